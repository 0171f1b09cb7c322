"""Chromium: the Lurah of Kejaksan opens her kelurahan's page of the demo city.

She sees every programme's figures for Kejaksan in detail, the city's
kelurahan ranked by a figure she chooses (public values only), and nothing
of another kelurahan's months or breakdowns.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Page, expect

from kotacerdas.conftest import screenshots
from kotacerdas.dashboard.catalogue import figure_catalogue, programmes
from kotacerdas.dashboard.tables import load_year, monthly
from kotacerdas.dashboard.tests.conftest import KEJAKSAN, WEIGHED, YEAR

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results") / "dashboard"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID"}


def test_the_lurah_of_kejaksan_sees_every_programme_of_her_kelurahan_only(
    page: Page, live_server: Any
) -> None:
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    data = load_year(YEAR)
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto(f"{live_server.url}/masuk/")
    page.locator("[name=username]").fill("lurah.kejaksan")
    page.locator("[name=password]").fill("cirebon-demo")
    page.locator("form:has([name=password]) [type=submit]").click()
    page.goto(f"{live_server.url}/dasbor/wilayah/")
    page.locator(f"a[href='/dasbor/kelurahan/{KEJAKSAN}/']").click()
    page.locator("[name=figur]").select_option(WEIGHED)
    page.locator("form.search [type=submit]").click()

    for app in programmes():
        expect(page.locator(f"#program-{app}")).to_be_visible()
    for info in figure_catalogue().values():
        months = monthly(data.get(info.key, []), KEJAKSAN)
        cells = page.locator(f"#{info.slug}-bulan tbody td")
        expect(cells).to_have_text([str(value) for value in months])
    with translation.override("id"):
        expect(page.locator("#ranking tr.here th")).to_have_text("Kejaksan")
    # Nothing of another kelurahan in detail: one kelurahan's months, no grid.
    assert page.locator("[id$='-rinci']").count() == 0
    assert page.locator("a[href*='kelurahan=32.74.03']").count() == 0
    screenshots(page, SHOTS / "lurah-kejaksan")

    response = page.goto(f"{live_server.url}/dasbor/kelurahan/32.74.03.1002/")
    assert response is not None and response.status == 404
