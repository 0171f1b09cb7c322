from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.kelurahan import numbering
from kotacerdas.kelurahan.actions import letters
from kotacerdas.kelurahan.models import Letter, LetterRequest
from kotacerdas.regions.models import Region


def test_the_default_format_reads_like_opensid(city: Any, settings: Any) -> None:
    number = numbering.format_number(
        settings.KELURAHAN_NUMBER_FORMAT,
        sequence=7,
        code="400.8.1.6",
        kelurahan=Region.objects.get(code=KEJAKSAN),
        date=dt.date(2025, 4, 3),
    )
    assert number == "400.8.1.6/007/3274011001/IV/2025"


def test_a_format_with_an_unknown_part_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"\[nomer,3\]"):
        numbering.check_format("[nomer,3]/[tahun]")
    with pytest.raises(ValidationError):
        numbering.check_format("[kode]/[tahun]")
    numbering.check_format("[nomor,4]/PK/[bulan romawi]/[tahun]")


@pytest.mark.django_db
def test_numbers_follow_on_per_kelurahan_and_scope_and_restart_each_year(city: Any) -> None:
    kejaksan, harjamukti = Region.objects.get(code=KEJAKSAN), Region.objects.get(code=HARJAMUKTI)
    with transaction.atomic():
        taken = [numbering.take(kejaksan, 2025, "type:sktm") for _ in range(3)]
        other_type = numbering.take(kejaksan, 2025, "type:domisili")
        other_kelurahan = numbering.take(harjamukti, 2025, "type:sktm")
        next_year = numbering.take(kejaksan, 2026, "type:sktm")
    assert taken == [1, 2, 3]
    assert (other_type, other_kelurahan, next_year) == (1, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused(city: Any) -> None:
    with pytest.raises(RuntimeError):
        numbering.take(Region.objects.get(code=KEJAKSAN), 2025, "letters")


@pytest.mark.django_db
def test_a_rolled_back_issue_gives_its_number_back(city: Any) -> None:
    kejaksan = Region.objects.get(code=KEJAKSAN)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        numbering.take(kejaksan, 2025, "letters")
        1 / 0  # noqa: B018
    with transaction.atomic():
        assert numbering.take(kejaksan, 2025, "letters") == 1


def _at_once(count: int, work: Any) -> list[Any]:
    barrier, results = threading.Barrier(count), []

    def run(i: int) -> None:
        close_old_connections()
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_letters_issued_at_once_get_fifty_consecutive_numbers(
    make_person: Any,
    rt: Any,
    domisili: Any,
    lurah: Any,
    kelurahan_officer: Any,
    sekretaris_lurah: Any,
    rw_operator: Any,
    settings: Any,
) -> None:
    from kotacerdas.kelurahan.actions import requests as actions

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    settings.KELURAHAN_NUMBER_SCOPE = "letters"
    ids = []
    for i in range(50):
        person = make_person(rt(KEJAKSAN, 1, 1), f"Warga {i}", nik=f"32740152039{i:05d}")
        started = actions.start(
            letter_type=domisili,
            person=person,
            data={"keperluan": "x"},
            persons={},
            channel="rw",
            user=rw_operator,
        )
        actions.check(started.pk, kelurahan_officer, ["pengantar", "kk", "ktp"])
        actions.endorse(started.pk, sekretaris_lurah)
        ids.append(started.pk)
    results = _at_once(50, lambda i: letters.approve(ids[i], lurah).sequence)
    assert sorted(results) == list(range(1, 51))
    assert Letter.objects.count() == 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_the_same_request_at_once_issue_one_letter(
    at_lurah: LetterRequest, lurah: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    results = _at_once(2, lambda i: letters.approve(at_lurah.pk, lurah))
    issued = [r for r in results if isinstance(r, Letter)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(issued) == 1 and len(refused) == 1, results
    assert Letter.objects.filter(request=at_lurah).count() == 1
