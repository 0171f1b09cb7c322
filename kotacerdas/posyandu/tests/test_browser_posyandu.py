"""Posyandu day in a real browser on a phone-sized screen.

A cadre signs in, weighs a child with an implausible weight, sees the
warning (nothing saved), corrects the weight, sees the category and the N/T
mark; the SKDN report counts the child.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from kotacerdas.posyandu import actions
from kotacerdas.posyandu.models import Measurement
from kotacerdas.posyandu.tests.conftest import months_ago

PHONE: ViewportSize = {"width": 360, "height": 780}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE}


@pytest.mark.browser
def test_a_cadre_corrects_an_implausible_weight_and_skdn_counts_the_child(
    live_server: Any, page: Page, output_path: str, cadre: Any, posyandu: Any, make_child: Any
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    child = make_child("Aisyah Putri", birth_date=months_ago(14, 1))
    actions.record_measurement(
        child, posyandu, {"date": months_ago(1, 2), "weight": Decimal("8.50")}, user=cadre
    )

    page.goto(f"{base}/masuk/")
    page.locator("[name=username]").fill(cadre.username)
    page.locator("[name=password]").fill("pw-" + cadre.username)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.goto(f"{base}/posyandu/{posyandu.pk}/")
    page.screenshot(path=str(shots / "posyandu-day.png"), full_page=True)
    page.locator("li.kid", has_text="Aisyah Putri").get_by_role("link", name="Timbang").click()

    page.locator("[name=weight]").fill("29")
    page.locator("[name=lenhei]").fill("74")
    page.locator("[name=measure][value=l]").check()
    page.locator("form.quick [type=submit]").click()
    expect(page.locator("[role=alert]").first).to_contain_text("Periksa nilai ini")
    page.screenshot(path=str(shots / "posyandu-warning.png"), full_page=True)
    assert Measurement.objects.filter(month=months_ago(0, 1)).count() == 0

    page.locator("[name=weight]").fill("8.9")
    page.locator("form.quick [type=submit]").click()
    expect(page.locator("#growth-mark")).to_have_text("Naik (N)")
    expect(page.locator("#cat-bb-u")).to_contain_text("Berat badan")
    page.screenshot(path=str(shots / "posyandu-saved.png"), full_page=True)
    saved = Measurement.objects.get(child=child, month=months_ago(0, 1))
    assert saved.weight == Decimal("8.90") and saved.growth == "N"

    page.goto(f"{base}/posyandu/skdn/")
    table = page.locator("#skdn-months")
    d_row = table.locator("tr", has_text="D — ditimbang")
    expect(d_row.locator("td").first).to_have_text("1")  # the current month comes first
    n_row = table.locator("tr", has_text="N — naik")
    expect(n_row.locator("td").first).to_have_text("1")
    page.screenshot(path=str(shots / "posyandu-skdn.png"), full_page=True)

    page.goto(f"{base}/posyandu/anak/{child.pk}/grafik/")
    expect(page.locator("svg.growth-svg circle.child-point")).to_have_count(
        3
    )  # two weights, one length
    page.screenshot(path=str(shots / "posyandu-chart.png"), full_page=True)
