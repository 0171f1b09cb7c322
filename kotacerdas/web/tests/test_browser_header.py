"""The header in a real browser whose phone is set to English (en-US, Chromium's default).

The site answers in Indonesian anyway; the switch in the header gives English
and it stays chosen. A citizen signed in with a phone code sees her masked
number and signs out from the header; staff land on "my work" with their name.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from kotacerdas.messaging.adapters.file import FileAdapter

PHONE: ViewportSize = {"width": 360, "height": 800}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "en-US", "viewport": PHONE}


@pytest.mark.browser
def test_an_english_phone_gets_indonesian_until_english_is_chosen(
    page: Page, live_server: Any, city: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/wadul/")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.locator("header").get_by_role("button", name="English").click()
    page.wait_for_load_state()

    expect(page).to_have_url(f"{base}/wadul/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{base}/kamar/")  # another page, later: still English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("header").get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "id")


@pytest.mark.browser
def test_a_citizen_sees_who_is_signed_in_and_signs_out_from_the_header(
    page: Page, live_server: Any, city: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/warga/masuk/")
    page.locator("[name=phone]").fill("0812-3456-7890")
    page.locator("form:has([name=phone]) [type=submit]").click()
    expect(page.locator("main")).to_contain_text("berlaku selama 5 menit")
    code = re.search(r"\b(\d{6})\b", str(FileAdapter().read()[-1]["text"])).group(1)  # type: ignore[union-attr]
    page.locator("[name=code]").fill(code)
    page.locator("form:has([name=code]) [type=submit]").click()

    header = page.locator("header")
    expect(header).to_contain_text("+6281•••••7890")
    expect(header).not_to_contain_text("+6281234567890")
    page.goto(f"{base}/wadul/")
    expect(header.get_by_role("link", name="+6281•••••7890")).to_have_attribute("href", "/warga/")
    header.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()

    expect(header).not_to_contain_text("7890")
    expect(header.get_by_role("link", name="Masuk petugas")).to_be_visible()


@pytest.mark.browser
def test_staff_land_on_their_work_with_their_name(
    page: Page, live_server: Any, rw_operator: Any
) -> None:
    rw_operator.first_name, rw_operator.last_name = "Dedi", "Supriatna"
    rw_operator.save()
    base = live_server.url
    page.goto(f"{base}/masuk/")
    page.locator("[name=username]").fill("rw01")
    page.locator("[name=password]").fill("pw-rw01")
    page.locator("form:has([name=password]) [type=submit]").click()

    expect(page).to_have_url(f"{base}/kerja/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pekerjaan saya")
    expect(page.locator("header")).to_contain_text("Dedi Supriatna")
    expect(page.locator("header")).not_to_contain_text("rw01")
