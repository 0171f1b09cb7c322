"""melet_import_radacct --database-url: reads radacct itself, read-only, from where it stopped."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from kotacerdas.literacy.models import ImportRun, Point, UsageHour
from kotacerdas.literacy.tests.radacct_database import SCHEMA, radacct_database

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
T0 = dt.datetime(2026, 11, 3, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
INSERT = (
    "INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime,"
    " acctupdatetime, acctstoptime, acctsessiontime, acctinputoctets, acctoutputoctets,"
    " callingstationid, framedipaddress) VALUES (%s, %s, 'voucher-1', '10.10.1.1', %s, %s, %s, %s,"
    " %s, %s, 'A5-4D-CA-18-25-30', '10.5.50.2')"
)


@pytest.fixture
def radacct(db: Any) -> Any:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    if not SCHEMA.exists():
        pytest.skip("needs FreeRADIUS's schema: apt-get install freeradius-postgresql")
    with radacct_database(f"{connection.settings_dict['NAME']}_radacct") as url:
        yield url


def _run(url: str) -> str:
    out = StringIO()
    call_command("melet_import_radacct", "--database-url", url, stdout=out)
    return out.getvalue()


def test_it_reads_the_table_incrementally_and_never_writes_to_it(
    radacct: str, point: Point
) -> None:
    with psycopg.connect(radacct, autocommit=True) as conn:
        conn.execute(INSERT, ["s1", "u1", T0, T0 + dt.timedelta(minutes=20), None, 1200, 100, 1000])
    first = _run(radacct)
    assert "1 rows read, 1 counted" in first
    with psycopg.connect(radacct, autocommit=True) as conn:
        conn.execute(
            "UPDATE radacct SET acctstoptime = %s, acctsessiontime = 2700, acctinputoctets = 300,"
            " acctoutputoctets = 3000 WHERE acctuniqueid = 'u1'",
            [T0 + dt.timedelta(minutes=45)],
        )
        before = conn.execute("SELECT md5(string_agg(radacct::text, '')) FROM radacct").fetchone()
    _run(radacct)
    third = _run(radacct)  # nothing new: re-reads only the overlap, counts nothing
    assert "0 counted" in third
    hours = {u.hour.hour: (u.sessions, u.devices, u.seconds, u.bytes_in, u.bytes_out)
             for u in UsageHour.objects.filter(point=point)}  # fmt: skip
    # 08:30-08:50 WIB with 100 in, then 08:50-09:15 with 200 more: 80 before 09:00, 120 after.
    assert hours == {1: (1, 1, 1800, 180, 1800), 2: (0, 1, 900, 120, 1200)}
    with psycopg.connect(radacct) as conn:
        after = conn.execute("SELECT md5(string_agg(radacct::text, '')) FROM radacct").fetchone()
    assert after == before
    runs = list(ImportRun.objects.order_by("started_at"))
    assert all(run.source.startswith("database:") and "@" not in run.source for run in runs)


def test_the_connection_is_read_only(radacct: str) -> None:
    with (
        psycopg.connect(radacct, options="-c default_transaction_read_only=on") as conn,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        conn.execute("DELETE FROM radacct")
