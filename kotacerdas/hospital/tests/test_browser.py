"""Cirebon Lengko in a real browser, on a phone-sized screen.

A signed-in citizen books and sees the queue number and the QR; the kiosk
checks the booking in; clinic staff call the next patient; the waiting-room
screen, opened before the call, shows that number without being reloaded,
and so does the patient's ticket.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, ViewportSize, expect

from kotacerdas.accounts.models import User
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.hospital.tests.conftest import CARD, NIK
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen

PHONE: ViewportSize = {"width": 360, "height": 780}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE}


def sign_in_citizen(page: Page, base: str, citizen: Citizen) -> None:
    """The phone-code sign-in is messaging's to test; here the session is made directly."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[CITIZEN_SESSION_KEY] = citizen.pk
    store.create()
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base}]
    )


def sign_in_staff(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/masuk/")
    page.locator("[name=username]").fill(user.username)
    page.locator("[name=password]").fill("pw-" + user.username)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_load_state()


def test_book_check_in_call_and_the_screen_follows(
    live_server: Any,
    browser: Browser,
    page: Page,
    output_path: str,
    settings: Any,
    citizen: Citizen,
    today_session: Session,
    clinic_staff: User,
) -> None:
    # The hospital takes online bookings until three hours into a session here.
    settings.HOSPITAL_BOOKING_CUTOFF_MINUTES = -180
    settings.HOSPITAL_REFRESH_SECONDS = 2
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    # The citizen books and sees the number and the QR code.
    sign_in_citizen(page, base, citizen)
    page.goto(f"{base}/lengko/")
    page.get_by_role("link", name="Poli Penyakit Dalam").click()
    page.get_by_role("link", name="Pesan").first.click()
    expect(page.locator("#remaining")).to_contain_text("Masih ada 30 tempat (20 untuk BPJS/JKN")
    page.get_by_label("Orang lain: saya isi NIK-nya").check()
    page.locator("[name=nik]").fill(NIK)
    page.locator("[name=bpjs_card]").fill(CARD)
    page.locator("[name=medical_record]").fill("RM001")  # returning: straight to the clinic
    page.locator("[name=referral_number]").fill("0123R0011125B000001")
    page.screenshot(path=str(shots / "lengko-book.png"), full_page=True)
    page.get_by_role("button", name="Pesan sesi ini").click()
    expect(page.locator("#queue-number")).to_have_text("INT-1")
    expect(page.locator(".qr svg")).to_be_visible()
    page.screenshot(path=str(shots / "lengko-ticket.png"), full_page=True)
    code = page.locator("#booking-code").inner_text()
    assert Booking.objects.get().code == code

    # The waiting-room screen is on before anyone is called.
    screen = browser.new_page(locale="id-ID", viewport={"width": 1280, "height": 720})
    screen.goto(f"{base}/lengko/layar/INT/")
    expect(screen.locator(".board-serving")).to_have_text("–")

    # The kiosk checks the patient in (a QR scanner types the code the same way).
    kiosk = browser.new_page(locale="id-ID", viewport={"width": 1080, "height": 1920})
    kiosk.goto(f"{base}/lengko/anjungan/")
    kiosk.locator("[name=code]").fill(code)
    kiosk.get_by_role("button", name="Check-in").click()
    expect(kiosk.locator("h1")).to_have_text("Anda sudah check-in")
    expect(kiosk.locator("#queue-number")).to_have_text("INT-1")
    kiosk.screenshot(path=str(shots / "lengko-kiosk.png"))

    # Clinic staff call the next patient.
    staff = browser.new_page(locale="id-ID", viewport=PHONE)
    sign_in_staff(staff, base, clinic_staff)
    staff.goto(f"{base}/lengko/poli/sesi/{today_session.pk}/")
    staff.get_by_role("button", name="Panggil pasien berikutnya").click()
    expect(staff.locator(".msg")).to_contain_text("INT-1 dipanggil")
    staff.screenshot(path=str(shots / "lengko-clinic.png"), full_page=True)

    # The screen and the patient's ticket update by themselves.
    expect(screen.locator(".board-serving")).to_have_text("INT-1", timeout=15_000)
    screen.screenshot(path=str(shots / "lengko-display.png"))
    expect(page.locator("[data-field=serving]")).to_have_text("INT-1", timeout=15_000)
    expect(page.locator("[data-field=status_label]")).to_have_text("Dipanggil")
    # Stop the polling before the test database goes away.
    for other in (screen, kiosk, staff):
        other.close()
    page.goto("about:blank")
