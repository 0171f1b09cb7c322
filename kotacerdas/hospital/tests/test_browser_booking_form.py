"""Issue 16 in a browser: a mother books for her child; the counter prints a walk-in's ticket."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kotacerdas.conftest import PHONE, screenshots
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.hospital.tests.conftest import NIK2
from kotacerdas.hospital.tests.test_browser import sign_in_citizen, sign_in_staff
from kotacerdas.people.models import Citizen, Relationship


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE}


@pytest.mark.browser
def test_a_mother_books_for_her_child_by_name(
    live_server: Any,
    page: Page,
    output_path: str,
    citizen: Citizen,
    session: Session,
    rt: Any,
    make_person: Any,
    make_family: Any,
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    home = rt("32.74.01.1001", 1, 1)
    family = make_family(home)
    mother = make_person(
        home,
        "Ibu Siti",
        family=family,
        relationship=Relationship.HEAD,
        birth_date=dt.date(1990, 1, 1),
    )
    child = make_person(
        home,
        "Anak Dinda",
        family=family,
        relationship=Relationship.CHILD,
        birth_date=dt.date(2018, 3, 5),
    )
    citizen.person = mother
    citizen.save()
    base = live_server.url
    sign_in_citizen(page, base, citizen)
    page.goto(f"{base}/lengko/sesi/{session.pk}/pesan/")
    expect(page.get_by_label("Anak Dinda (anak Anda)")).to_be_visible()
    expect(page.locator("[name=nik]")).to_be_hidden()
    expect(page.get_by_label("Kunjungan pertama, dengan rujukan")).to_be_checked()
    screenshots(page, shots / "book-form")
    page.get_by_label("Orang lain: saya isi NIK-nya").check()
    expect(page.get_by_label("NIK orang tersebut (16 digit)")).to_be_visible()
    screenshots(page, shots / "book-form-other")
    page.get_by_label("Anak Dinda (anak Anda)").check()
    expect(page.locator("[name=nik]")).to_be_hidden()
    page.get_by_role("button", name="Pesan sesi ini").click()
    expect(page.locator("#queue-number")).to_have_text("INT-1")
    expect(page.locator("[data-live-note]")).to_have_text("Halaman ini diperbarui sendiri.")
    assert Booking.objects.get().person == child
    screenshots(page, shots / "ticket")


@pytest.mark.browser
def test_the_counter_prints_a_walk_ins_ticket(
    live_server: Any, page: Page, output_path: str, clerk: Any, today_session: Session
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    sign_in_staff(page, base, clerk)
    page.goto(f"{base}/lengko/loket/")
    screenshots(page, shots / "counter")
    page.locator("[name=session]").select_option(str(today_session.pk))
    page.locator("[name=name]").fill("Ibu Wati")
    page.locator("[name=nik]").fill(NIK2)
    page.get_by_role("button", name="Pesan", exact=True).click()
    expect(page.locator("#patient-name")).to_have_text("Ibu Wati")
    expect(page.locator("#queue-number")).to_have_text("INT-1")
    expect(page.get_by_role("button", name="Cetak tiket")).to_be_visible()
    screenshots(page, shots / "counter-ticket")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Cetak tiket")).to_be_hidden()
    expect(page.locator("header").first).to_be_hidden()
    page.screenshot(path=str(shots / "counter-ticket-print.png"), full_page=True)
    page.pdf(path=str(shots / "counter-ticket.pdf"), prefer_css_page_size=True)
