"""The office pages: letter texts (sandboxed, previewed with a resident), agenda registers, statistics."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.kelurahan import stats
from kotacerdas.kelurahan.actions import letters
from kotacerdas.kelurahan.models import Correspondence, LetterRequest, LetterType

pytestmark = pytest.mark.django_db


def _edit(user: User, **data: Any) -> Any:
    return signed_in(user).post(reverse("kelurahan:edit-type", args=["domisili"]), data)


def test_a_text_with_an_unknown_placeholder_is_refused_in_indonesian(
    lurah: User, domisili: LetterType
) -> None:
    page = _edit(
        lurah, body="<p>{{ nama }} {{ gaji }}</p>", classification="470", publish="1"
    ).content.decode()
    assert "Isian tidak dikenal: gaji" in page
    assert domisili.versions.count() == 1


def test_a_text_that_reaches_outside_its_data_is_refused(lurah: User, domisili: LetterType) -> None:
    page = _edit(lurah, body="{% load static %}{{ nama }}", classification="470", publish="1")
    assert "tidak boleh dipakai" in page.content.decode()
    assert domisili.versions.count() == 1


def test_a_text_is_previewed_with_a_real_resident_then_published(
    lurah: User, domisili: LetterType, resident: Any
) -> None:
    body = "<p>Nama {{ nama|upper }}, NIK {{ nik }}</p>"
    page = _edit(lurah, body=body, classification="470", preview_nik=resident.nik, preview="1")
    assert "Nama DEWI LESTARI, NIK 3274015203950001" in page.content.decode()
    assert _edit(lurah, body=body, classification="470", publish="1").status_code == 302
    domisili.refresh_from_db()
    assert domisili.current_version().body == body  # type: ignore[union-attr]
    assert domisili.classification == "470"


def test_template_pages_triad(
    rw_operator: User, viewer: User, lurah: User, domisili: LetterType
) -> None:
    assert (
        signed_in(lurah).get(reverse("kelurahan:edit-type", args=["domisili"])).status_code == 200
    )
    assert (
        signed_in(rw_operator).get(reverse("kelurahan:edit-type", args=["domisili"])).status_code
        == 403
    )
    assert signed_in(viewer).get(reverse("kelurahan:types")).status_code == 200
    assert (
        signed_in(lurah).get(reverse("kelurahan:edit-type", args=["tidak-ada"])).status_code == 404
    )


def test_the_agenda_numbers_entries_searches_and_exports(
    kelurahan_officer: User, viewer: User, rw_operator: User
) -> None:
    client = signed_in(kelurahan_officer)
    entry = {
        "kelurahan": KEJAKSAN,
        "direction": "in",
        "date": "2026-11-30",
        "their_number": "005/DKIS",
        "counterpart": "DKIS Kota Cirebon",
        "subject": "Undangan rapat Satu Data",
        "classification": "000.1",
    }
    client.post(reverse("kelurahan:agenda"), entry)
    client.post(reverse("kelurahan:agenda"), entry | {"subject": "Edaran posyandu"})
    numbers = list(Correspondence.objects.order_by("sequence").values_list("sequence", flat=True))
    assert numbers == [1, 2]
    page = client.get(reverse("kelurahan:agenda"), {"q": "satu data"}).content.decode()
    assert "Undangan rapat" in page and "Edaran posyandu" not in page
    export = client.get(reverse("kelurahan:agenda"), {"q": "posyandu", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None and sheet.max_row == 2
    assert signed_in(viewer).post(reverse("kelurahan:agenda"), entry).status_code == 403
    assert signed_in(rw_operator).get(reverse("kelurahan:agenda")).status_code == 200
    assert (
        "Undangan" not in signed_in(rw_operator).get(reverse("kelurahan:agenda")).content.decode()
    )


def test_a_bad_agenda_entry_changes_nothing(kelurahan_officer: User) -> None:
    page = signed_in(kelurahan_officer).post(
        reverse("kelurahan:agenda"), {"kelurahan": KEJAKSAN, "direction": "in", "date": "kemarin"}
    )
    assert page.status_code == 200 and not Correspondence.objects.exists()


def test_statistics_count_letters_per_type_and_service_days(
    at_lurah: LetterRequest, lurah: User, kelurahan_officer: User, outsider: User
) -> None:
    letter = letters.approve(at_lurah.pk, lurah)
    year = letter.issued_on.year
    summary = stats.summary(year)
    assert summary.total == 1 and summary.by_type[0]["code"] == "domisili"
    assert summary.by_kelurahan[0]["name"] == "Kejaksan"
    assert summary.median_days == 0 and summary.on_time == 1
    issued = stats.letters_issued(year)
    assert [(f.kelurahan, f.value, f.group) for f in issued] == [(KEJAKSAN, 1, "domisili")]
    assert stats.letters_on_time(year)[0].value == 1
    page = signed_in(kelurahan_officer).get(reverse("kelurahan:stats"), {"tahun": year})
    assert "Surat Keterangan Domisili" in page.content.decode() and "<svg" in page.content.decode()
    export = signed_in(kelurahan_officer).get(
        reverse("kelurahan:stats"), {"tahun": str(year), "format": "xlsx"}
    )
    assert openpyxl.load_workbook(io.BytesIO(export.content)).sheetnames == [
        "Per jenis",
        "Per kelurahan",
    ]
    assert signed_in(outsider).get(reverse("kelurahan:stats")).status_code == 403


def test_service_days_skip_weekends() -> None:
    rows = [(KEJAKSAN, "K", "sktm", "SKTM", dt.date(2026, 11, 30), dt.date(2026, 11, 27), 3)]
    assert stats._service_days(rows) == [1]  # Friday → Monday: one working day
