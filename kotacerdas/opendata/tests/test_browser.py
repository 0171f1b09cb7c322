"""Chromium on a 360 px phone: the public catalogue and a dataset, then the walidata's review.

No JavaScript is needed: links and plain form posts. Screenshots at 360, 1280
and 1920 px go to test-results/opendata/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from kotacerdas.conftest import screenshots, signed_in
from kotacerdas.opendata.models import Dataset

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results") / "opendata"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "id-ID",
        "java_script_enabled": False,
        "viewport": {"width": 360, "height": 800},
    }


def test_a_visitor_finds_a_dataset_and_downloads_it(page: Page, live_server: Any, published):
    page.goto(f"{live_server.url}/data/")
    expect(page.locator("h1")).to_have_text("Data terbuka Kota Cirebon")
    screenshots(page, SHOTS / "catalogue")
    page.get_by_role("link", name="Jumlah sesi WiFi Cirebon Melet per kelurahan per bulan").click()

    expect(page.locator("h1")).to_contain_text("Jumlah sesi WiFi")
    expect(page.get_by_text("Ketepatan waktu: tepat waktu")).to_be_visible()
    screenshots(page, SHOTS / "dataset")
    with page.expect_download() as download:
        page.get_by_role("link", name="literacy-wifi-sessions-bulanan.csv").click()
    assert Path(download.value.path()).read_text().startswith("id,kode_provinsi")


def test_the_walidata_returns_a_submitted_dataset_without_javascript(
    page: Page, live_server: Any, published, steward
):
    Dataset.objects.filter(name="literacy-wifi-sessions-bulanan").update(status="submitted")
    client = signed_in(steward)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"{live_server.url}/data/kelola/")
    screenshots(page, SHOTS / "work")
    page.get_by_role("link", name="Jumlah sesi WiFi Cirebon Melet per kelurahan per bulan").click()
    page.get_by_label("Keputusan").select_option("return")
    page.get_by_label("Alasan pengembalian").fill("Satuan perlu dijelaskan.")
    screenshots(page, SHOTS / "edit")
    page.get_by_role("button", name="Simpan keputusan").click()

    expect(page.get_by_text("Alasan dikembalikan: Satuan perlu dijelaskan.")).to_be_visible()
    assert Dataset.objects.get(name="literacy-wifi-sessions-bulanan").status == "returned"
