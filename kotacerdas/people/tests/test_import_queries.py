"""Issue 17's speed, as query counts: the import is set-based, so a kelurahan's
extract of 1,000 rows takes as many queries as one of 100, for the first load
and for the monthly re-import (newcomers, unchanged residents); only the few
residents who die, move or change go through a register action of their own.
(The COPY of new rows streams on psycopg's own cursor and is not counted here:
one per table and chunk.)
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.people.actions import imports
from kotacerdas.people.models import ImportJob, LifeEvent, Person
from kotacerdas.people.tests import extracts
from kotacerdas.people.tests.extracts import resident


def residents(count: int, *, first: int = 1) -> list[dict[str, Any]]:
    """``count`` families of a head and a child each, numbered from ``first``."""
    rows = []
    for n in range(first, first + count // 2):
        kk = f"327401200520{n:04d}"
        rows.append(resident(2 * n, f"Warga {n}", kk=kk, shdk=1, rt=1 + n % 2))
        rows.append(
            resident(2 * n + 1, f"Anak {n}", kk=kk, shdk=4, born=dt.date(2012, 5, 1), rt=1 + n % 2)
        )
    return rows


def next_month(rows: list[dict[str, Any]], newcomers: int, serial: int) -> list[dict[str, Any]]:
    """Two deaths and ``newcomers`` babies born last month (NIK serials from
    ``serial``); the rest unchanged."""
    born = dt.date.today() - dt.timedelta(days=30)
    edited = [dict(row) for row in rows]
    edited[0]["status_dasar"] = 2
    edited[2]["status_dasar"] = 2
    for n in range(newcomers):
        head = rows[2 * (n % (len(rows) // 2))]
        edited.append(
            resident(serial + n, f"Bayi {n}", kk=head["no_kk"], shdk=4, sex=2, born=born,
                     rt=head["rt"])
        )  # fmt: skip
    return edited


@pytest.fixture
def counted(city: Any, tmp_path: Path) -> Any:
    """Imports the rows as a SIAK extract of the kelurahan; the number of queries."""

    def run(rows: list[dict[str, Any]], kelurahan: str) -> int:
        path = tmp_path / f"siak-{ImportJob.objects.count()}.xlsx"
        path.write_bytes(extracts.siak_workbook(rows))
        with CaptureQueriesContext(connection) as queries:
            call_command("import_residents", str(path), kelurahan=kelurahan, stdout=io.StringIO())
        job = ImportJob.objects.defer("content").latest("pk")
        assert job.status == "done" and job.rows_rejected == 0, job.rejected[:3]
        return len(queries)

    return run


def test_queries_do_not_grow_with_the_rows_of_an_extract(counted, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2000)  # one chunk each, as a kelurahan's
    small, large = residents(100), residents(1000, first=1000)

    first_small, first_large = counted(small, KEJAKSAN), counted(large, HARJAMUKTI)
    assert Person.objects.count() == 1100
    assert first_large <= first_small + 2, (first_small, first_large)

    monthly_small = counted(next_month(small, 10, 8000), KEJAKSAN)
    monthly_large = counted(next_month(large, 100, 9000), HARJAMUKTI)
    assert monthly_large <= monthly_small + 2, (monthly_small, monthly_large)
    assert LifeEvent.objects.filter(kind="birth").count() == 110
    assert LifeEvent.objects.filter(kind="death").count() == 4

    again_small = counted(next_month(small, 10, 8000), KEJAKSAN)  # nothing new: no writes
    again_large = counted(next_month(large, 100, 9000), HARJAMUKTI)
    assert again_large <= again_small + 2, (again_small, again_large)
    assert again_small < monthly_small


def test_insert_copies_new_rows_with_their_ids_defaults_and_related_ids(rt):
    from kotacerdas.people.actions import bulk
    from kotacerdas.people.models import Family

    family = Family(kk_number="3274012005200777", rt=rt(KEJAKSAN, 1, 1), address="Jl. A")
    person = Person(
        nik="3274010304850777",
        name="Warga",
        sex="M",
        birth_date=dt.date(1985, 4, 3),
        birth_place="Cirebon",
        rt=rt(KEJAKSAN, 1, 1),
        address="Jl. A",
        family=family,
    )  # fmt: skip  (father_nik and the other extract fields left to their database default)
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(Family, [family])
        bulk.insert(Person, [person])

    assert len(queries) == 2  # ids from the sequence (the COPY streams on the raw cursor)
    saved = Person.objects.select_related("family").get(pk=person.pk)
    assert (saved.family, saved.father_nik, saved.blood_type) == (family, "", "")
    assert saved.created_at is not None and not person._state.adding
    # The sequence moved on: the next row saved the usual way gets a new id.
    assert (
        Family.objects.create(kk_number="3274012005200778", rt=family.rt, address="B").pk
        > family.pk
    )
