"""Wadul Bae in a real browser, on a phone-sized screen.

An anonymous citizen files a report, receives a code and checks its stage;
a protection officer (password, then TOTP) confirms it as a case and moves
it to penjangkauan; the citizen sees the new stage; an officer of another
protection unit cannot open the case (404).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from kotacerdas.accounts.models import User
from kotacerdas.conftest import sign_in_with_totp
from kotacerdas.reports.models import Case, Report, Stage

PHONE: ViewportSize = {"width": 360, "height": 780}
STORY = "Anak perempuan tetangga kami sering dipukul dan dikunci di kamar mandi."


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE}


def check_stage(page: Page, base_url: str, code: str) -> str:
    page.goto(f"{base_url}/wadul/cek/")
    page.locator("[name=code]").fill(code)
    page.locator("form:has([name=code]) [type=submit]").click()
    return page.locator("[role=status] strong").inner_text()


def test_a_report_becomes_a_case_and_the_citizen_follows_its_stage(
    live_server: Any,
    browser: Browser,
    page: Page,
    output_path: str,
    officer: User,
    other_officer: User,
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    # An anonymous citizen files a report and receives a code.
    page.goto(f"{base}/wadul/")
    page.locator("[name=story]").fill(STORY)
    page.locator("[name=age_group]").select_option("5-12")
    page.locator("form:has([name=story]) [type=submit]").click()
    page.screenshot(path=str(shots / "wadul-sent.png"), full_page=True)
    code = Report.objects.get().tracking_code
    expect(page.locator("body")).to_contain_text(code)
    assert code not in page.url
    received = check_stage(page, base, code)
    assert received

    # The officer triages it into a case and moves it to penjangkauan.
    officer_page = browser.new_page(locale="id-ID", viewport=PHONE)
    sign_in_with_totp(officer_page, base, officer)
    officer_page.goto(f"{base}/wadul/triase/")
    officer_page.get_by_role("link", name=code).click()
    expect(officer_page.locator("body")).to_contain_text(STORY)
    opening = officer_page.locator("form:has([name=decision][value=open])")
    opening.locator("[name=category]").select_option("physical")
    opening.locator("[name=reason]").fill("Cerita jelas, korban anak usia SD")
    opening.locator("[type=submit]").click()
    officer_page.wait_for_url("**/wadul/kasus/*/")
    case = Case.objects.get()
    moving = officer_page.locator("form:has([name=to_stage])")
    moving.locator("[name=to_stage]").select_option(Stage.PENJANGKAUAN)
    moving.locator("[name=reason]").fill("Kunjungan rumah bersama RT")
    moving.locator("[type=submit]").click()
    officer_page.wait_for_load_state()
    officer_page.screenshot(path=str(shots / "wadul-case.png"), full_page=True)
    case.refresh_from_db()
    assert case.stage == Stage.PENJANGKAUAN

    # The citizen sees the new stage, and nothing else.
    now = check_stage(page, base, code)
    assert now != received
    assert "penjangkauan" in now.lower()
    expect(page.locator("body")).not_to_contain_text("dipukul")

    # An officer of another protection unit cannot open the case.
    other_page = browser.new_page(locale="id-ID", viewport=PHONE)
    sign_in_with_totp(other_page, base, other_officer)
    response = other_page.goto(f"{base}/wadul/kasus/{case.pk}/")
    assert response is not None and response.status == 404
    expect(other_page.locator("body")).not_to_contain_text(STORY)
