"""The monthly evidence pack: uptime from outages, use from imports, small counts hidden."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.literacy.models import Outage, Point
from kotacerdas.literacy.tests.radacct_files import session, write

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def november(tmp_path: Path, point: Point, other_point: Point) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    rows = [  # six devices at KJS01 in the evening, two at HRJ01
        session(f"k{n}", callingstationid=f"02-00-00-00-00-{n:02X}", acctstarttime=f"2026-11-0{n + 1} 19:10:00+07",
                acctsessiontime=1800, acctoutputoctets=10**8)
        for n in range(6)
    ] + [
        session(f"h{n}", nasipaddress="10.10.2.1", callingstationid=f"02-00-00-00-01-{n:02X}",
                acctsessiontime=600)
        for n in range(2)
    ]  # fmt: skip
    call_command("melet_import_radacct", str(write(tmp_path / "nov.csv", rows)), stdout=StringIO())
    # KJS01 was down for three days of thirty.
    Outage.objects.create(
        point=point,
        started_at=dt.datetime(2026, 11, 10, tzinfo=WIB),
        ended_at=dt.datetime(2026, 11, 13, tzinfo=WIB),
        cause="power",
    )


def test_the_pack_shows_uptime_use_and_hides_small_counts(
    november: None, wifi_officer: User
) -> None:
    page = (
        signed_in(wifi_officer)
        .get(reverse("literacy:evidence") + "?bulan=2026-11")
        .content.decode()
    )
    assert "90,0%" in page or "90.0%" in page  # 3 days down of 30
    assert "19.00" in page  # the evening peak
    assert "&lt;5" in page  # HRJ01's two devices are not shown as 2
    assert ">6<" in page  # KJS01's six distinct devices


def test_the_pack_downloads_as_pdf_and_excel(
    november: None, wifi_officer: User, tmp_path: Path
) -> None:
    client = signed_in(wifi_officer)
    pdf = client.get(reverse("literacy:evidence-pdf") + "?bulan=2026-11")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    (tmp_path / "pack.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(tmp_path / "pack.pdf"), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "KJS01" in text and "<5" in text
    book = load_workbook(
        BytesIO(client.get(reverse("literacy:evidence-xlsx") + "?bulan=2026-11").content)
    )
    points = {row[1]: row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert points["KJS01"][2] == 90.0 and points["KJS01"][4] == "6" and points["HRJ01"][4] == "<5"


def test_an_area_officer_gets_only_their_area(november: None, kejaksan_wifi_officer: User) -> None:
    page = (
        signed_in(kejaksan_wifi_officer)
        .get(reverse("literacy:evidence") + "?bulan=2026-11")
        .content.decode()
    )
    assert "KJS01" in page and "HRJ01" not in page


def test_someone_without_a_melet_role_gets_403(outsider: User) -> None:
    for name in ("literacy:evidence", "literacy:evidence-pdf", "literacy:evidence-xlsx"):
        assert signed_in(outsider).get(reverse(name)).status_code == 403


def test_a_bad_month_falls_back_to_the_last_whole_month(wifi_officer: User, point: Any) -> None:
    response = signed_in(wifi_officer).get(reverse("literacy:evidence") + "?bulan=kemarin")
    assert response.status_code == 200


def test_the_dashboard_figures_count_sessions_and_devices_per_kelurahan(november: None) -> None:
    from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
    from kotacerdas.literacy.stats import wifi_distinct_devices, wifi_sessions

    month = dt.date(2026, 11, 1)
    assert {(f.kelurahan, f.month, f.value) for f in wifi_sessions(2026)} == {
        (KEJAKSAN, month, 6),
        (HARJAMUKTI, month, 2),
    }
    assert {(f.kelurahan, f.value) for f in wifi_distinct_devices(2026)} == {
        (KEJAKSAN, 6),
        (HARJAMUKTI, 2),
    }
