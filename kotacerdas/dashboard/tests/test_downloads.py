"""Every dashboard table downloads as CSV and Excel, as the reader's page shows it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.dashboard.tests.conftest import HARJAMUKTI, KEJAKSAN, WEIGHED, YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("weighings")]


def url(table: str, fmt: str) -> str:
    return reverse("dashboard:download", args=[WEIGHED, table, fmt])


def test_the_public_month_table_downloads_as_csv_with_small_counts_hidden(client: Client) -> None:
    response = client.get(url("bulan", "csv"), {"tahun": YEAR})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(lines) == 13
    assert [line[1] for line in lines[1:4]] == ["47", "<11", "×"]


def test_the_kelurahan_table_downloads_as_excel_with_numbers(client: Client) -> None:
    response = client.get(url("kelurahan", "xlsx"), {"tahun": YEAR})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Kejaksan", "Kejaksan", 43)
    assert rows[2] == ("Harjamukti", "Harjamukti", 32)
    assert len(rows) == 23  # the header and the 22 kelurahan


def test_the_detail_grid_is_not_found_for_the_public_and_downloads_for_the_leader(
    client: Client, leader: User
) -> None:
    assert client.get(url("rinci", "csv")).status_code == 404
    response = signed_in(leader).get(url("rinci", "csv"))
    assert "Kejaksan,40,3," in response.content.decode()


def test_one_kelurahans_months_download_for_its_lurah_only(lurah: User, other_lurah: User) -> None:
    mine = signed_in(lurah).get(url("bulan", "csv"), {"kelurahan": KEJAKSAN})
    theirs = signed_in(other_lurah).get(url("bulan", "csv"), {"kelurahan": KEJAKSAN})

    assert [line[1] for line in csv.reader(io.StringIO(mine.content.decode()))][1:3] == ["40", "3"]
    assert theirs.status_code == 404
    assert (
        signed_in(other_lurah).get(url("bulan", "csv"), {"kelurahan": HARJAMUKTI}).status_code
        == 200
    )


def test_an_unknown_figure_table_or_format_is_not_found(client: Client, settings: Any) -> None:
    assert (
        client.get(reverse("dashboard:download", args=["x.y", "bulan", "csv"])).status_code == 404
    )
    assert client.get(url("nothing", "csv")).status_code == 404
    assert client.get(url("bulan", "pdf")).status_code == 404
