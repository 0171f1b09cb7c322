"""Issue 16 in a browser: the cadre weighs a child whose weight fell by 4 kg.

The method is already chosen, the decimal comma is taken, the fall is asked
about before anything is saved, the result reads in words, and the puskesmas
sees one alert for the visit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kotacerdas.conftest import PHONE, screenshots
from kotacerdas.posyandu import actions
from kotacerdas.posyandu.models import Alert, Measurement
from kotacerdas.posyandu.tests.conftest import months_ago


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE}


@pytest.mark.browser
def test_a_fall_of_4_kg_is_asked_about_then_one_alert(
    live_server: Any, page: Page, output_path: str, cadre: Any, posyandu: Any, make_child: Any
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    child = make_child("Rafa Pratama", birth_date=months_ago(14, 1))
    fields = {"date": months_ago(1, 2), "weight": Decimal("10.54"), "lenhei": Decimal("71.6")}
    actions.record_measurement(child, posyandu, {**fields, "measure": "l"}, user=cadre)

    page.goto(f"{base}/masuk/")
    page.locator("[name=username]").fill(cadre.username)
    page.locator("[name=password]").fill("pw-" + cadre.username)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.goto(f"{base}/posyandu/anak/{child.pk}/timbang/")
    expect(page.locator("[name=measure][value=l]")).to_be_checked()
    expect(page.locator("form.quick")).to_contain_text("mis. 8,75")
    screenshots(page, shots / "weigh-form")

    page.locator("[name=weight]").fill("6,50")
    page.locator("[name=lenhei]").fill("70,0")
    page.locator("form.quick [type=submit]").click()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Berat badan turun dari 10,54 kg menjadi 6,50 kg")
    expect(changes).to_contain_text("71,6 cm menjadi 70,0 cm")
    expect(page.locator("[name=weight]")).to_have_value("6,50")
    assert not Measurement.objects.filter(month=months_ago(0, 1)).exists()
    screenshots(page, shots / "weigh-warning")

    page.locator("[name=confirm]").check()
    page.locator("form.quick [type=submit]").click()
    expect(page.locator("#growth-mark")).to_have_text("Tidak naik (T)")
    expect(page.locator(".result")).to_contain_text("Turun 4,04 kg")
    screenshots(page, shots / "weighed")

    assert Alert.objects.filter(measurement__child=child).count() == 1
    page.goto(f"{base}/posyandu/peringatan/")
    card = page.locator("li.card", has_text="Rafa Pratama")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Perubahan besar sejak kunjungan sebelumnya")
    screenshots(page, shots / "alerts")
