"""The public WiFi page in Chromium: the map over the list when tiles load, the list
alone (with a note) when they cannot, and "report down" from a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kotacerdas.conftest import PHONE, screenshots
from kotacerdas.literacy.models import Outage, Point


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": PHONE}


def test_the_list_stays_when_tiles_fail_and_a_citizen_reports_a_point_down(
    page: Page, live_server: Any, point: Point, other_point: Point, settings: Any, output_path: str
) -> None:
    shots = Path(output_path)
    # Nothing listens on port 9: every tile fails, as when the tile server is unreachable.
    settings.LITERACY_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    page.goto(f"{live_server.url}/melet/wifi/")
    expect(page.locator("#wifi-map")).to_be_visible()
    expect(page.locator(".leaflet-interactive")).to_have_count(2)  # a marker per point
    expect(page.get_by_text("Peta tidak dapat dimuat sekarang")).to_be_visible()
    expect(page.get_by_role("heading", name="Kelurahan Harjamukti")).to_be_visible()
    screenshots(page, shots / "wifi-tiles-failed")
    page.get_by_role("link", name="Laporkan bahwa titik ini mati").first.click()
    page.get_by_role("button", name="Titik ini mati").click()
    expect(page.get_by_text("DKIS sudah tahu titik ini mati")).to_be_visible()
    screenshots(page, shots / "wifi-reported")
    assert Outage.objects.filter(ended_at__isnull=True).count() == 1


@pytest.mark.browser
def test_without_javascript_the_list_is_the_page(
    browser: Any, live_server: Any, point: Point, output_path: str
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/melet/wifi/")
    expect(page.locator("#wifi-map")).to_be_hidden()
    expect(page.get_by_text(point.name)).to_be_visible()
    screenshots(page, Path(output_path) / "wifi-no-js")
    context.close()
