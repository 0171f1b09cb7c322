"""A class in a real browser (Chromium) on a phone-sized screen.

A citizen signs in with the phone code and registers; the volunteer's phone loses its
connection, the ticket code is scanned (typed in the manual field, as a camera scan would
feed it) and kept on the phone; once online the scan syncs and counts once. The citizen
downloads the certificate; the QR read back from the PDF (pdftoppm, zbarimg) opens the
verification page, which says valid. A participant who did not come gets no certificate.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from kotacerdas.accounts.models import User
from kotacerdas.conftest import PHONE, needs_qr_tools, read_qr, screenshots
from kotacerdas.literacy.models import CheckIn, ClassSession, Quiz, Registration
from kotacerdas.literacy.tests.conftest import make_quiz
from kotacerdas.messaging.adapters.file import FileAdapter


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE, "accept_downloads": True}


def citizen_page(browser: Browser, base: str, phone: str) -> Page:
    page = browser.new_page(locale="id-ID", viewport=PHONE, accept_downloads=True)  # type: ignore[arg-type]
    page.goto(f"{base}/warga/masuk/")
    page.locator("[name=phone]").fill(phone)
    page.locator("form:has([name=phone]) [type=submit]").click()
    page.wait_for_url("**/warga/kode/")
    text = str(FileAdapter().read()[-1]["text"])
    page.locator("[name=code]").fill(re.search(r"\b(\d{6})\b", text).group(1))  # type: ignore[union-attr]
    page.locator("form:has([name=code]) [type=submit]").click()
    page.wait_for_url("**/warga/")
    return page


def register(page: Page, base: str, session: ClassSession, name: str) -> str:
    page.goto(f"{base}/melet/kelas/")
    page.get_by_role("link", name=session.topic).click()
    page.get_by_label("Nama Anda").fill(name)
    page.get_by_role("button", name="Daftarkan saya", exact=True).click()
    expect(page.locator(".ticket-qr svg")).to_be_visible()
    return page.locator(".ticket-code").inner_text()


@needs_qr_tools
def test_register_check_in_offline_sync_certificate_valid_and_none_for_the_absent(
    live_server: Any,
    browser: Browser,
    session: ClassSession,
    trainer: User,
    settings: Any,
    output_path: str,
    tmp_path: Path,
) -> None:
    shots = Path(output_path)
    base = live_server.url
    settings.LITERACY_PUBLIC_BASE_URL = base

    pre = make_quiz("aman", Quiz.Kind.PRE)
    citizen = citizen_page(browser, base, "0812-3456-7890")
    code = register(citizen, base, session, "Siti Aminah")
    screenshots(citizen, shots / "class-ticket")
    citizen.get_by_role("link", name=pre.title).click()
    for question in citizen.locator("fieldset.question").all():
        question.get_by_label("Ya").check()
    screenshots(citizen, shots / "class-quiz")
    citizen.get_by_role("button", name="Kirim jawaban saya").click()
    expect(citizen.locator(".messages")).to_contain_text("Jawaban terkirim: 1 dari 2 benar.")
    absent = citizen_page(browser, base, "0812-9876-5432")
    register(absent, base, session, "Budi Santoso")

    door = browser.new_page(locale="id-ID", viewport=PHONE)  # type: ignore[arg-type]
    door.goto(f"{base}/masuk/")
    door.locator("[name=username]").fill(trainer.username)
    door.locator("[name=password]").fill("pw-" + trainer.username)
    with door.expect_navigation():
        door.locator("form:has([name=password]) [type=submit]").click()
    door.goto(f"{base}/melet/kelola/kelas/{session.pk}/")
    expect(door.locator("main")).to_contain_text("Siti Aminah")
    screenshots(door, shots / "class-staff")
    door.get_by_role("link", name="Catat kehadiran peserta").click()
    expect(door.locator("#scanner")).to_be_visible()

    door.context.set_offline(True)
    door.get_by_label("Kode tiket").fill(code)
    door.get_by_role("button", name="Catat hadir").click()
    expect(door.locator("#scan-results")).to_contain_text("Tersimpan di ponsel ini")
    expect(door.locator("#pending")).to_contain_text("1")
    screenshots(door, shots / "class-checkin-offline")
    assert not CheckIn.objects.exists()

    door.context.set_offline(False)
    expect(door.locator("#scan-results .scan-ok")).to_contain_text("Siti Aminah: Hadir.")
    expect(door.locator("#pending")).to_be_empty()
    screenshots(door, shots / "class-checkin-synced")
    assert CheckIn.objects.filter(result="ok").count() == 1

    citizen.reload()
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Unduh sertifikat saya (PDF)").click()
    pdf = tmp_path / "sertifikat.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    url = read_qr(pdf)
    assert url.startswith(f"{base}/melet/cek-sertifikat/")

    verifier = browser.new_page(locale="id-ID", viewport=PHONE)  # type: ignore[arg-type]
    verifier.goto(url)
    expect(verifier.locator("[role=status]")).to_contain_text("SAH")
    expect(verifier.locator("body")).to_contain_text("Siti Aminah")
    screenshots(verifier, shots / "class-certificate-verify")

    absent_ticket = Registration.objects.get(name="Budi Santoso")
    expect(absent.get_by_role("link", name="Unduh sertifikat saya (PDF)")).to_have_count(0)
    absent.goto(f"{base}/melet/tiket/{absent_ticket.code}/sertifikat.pdf")
    expect(absent.locator("[role=alert]")).to_contain_text("hanya untuk peserta yang hadir")
    screenshots(absent, shots / "class-no-certificate")


@pytest.mark.browser
def test_without_javascript_the_list_shows_and_the_door_form_checks_in(
    browser: Browser,
    live_server: Any,
    session: ClassSession,
    trainer: User,
    output_path: str,
) -> None:
    shots = Path(output_path)
    base = live_server.url
    ticket = Registration.objects.create(
        session=session,
        code="7KQ2M9TX7KQ2M9TX7KQ2M9TX7KQ2",
        name="Dewi Lestari",
        phone="+6281200000077",
        channel=Registration.Channel.DOOR,
        status=Registration.Status.CONFIRMED,
    )
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="id-ID")  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{base}/melet/kelas/")
    expect(page.get_by_role("link", name=session.topic)).to_be_visible()
    screenshots(page, shots / "class-list-no-js")
    page.goto(f"{base}/melet/indeks/")
    expect(page.get_by_role("heading", name="Metode")).to_be_visible()
    screenshots(page, shots / "class-index")

    page.goto(f"{base}/masuk/")
    page.locator("[name=username]").fill(trainer.username)
    page.locator("[name=password]").fill("pw-" + trainer.username)
    with page.expect_navigation():
        page.locator("form:has([name=password]) [type=submit]").click()
    page.goto(f"{base}/melet/kelola/kelas/{session.pk}/pindai/")
    expect(page.locator("#scanner")).to_be_hidden()
    page.get_by_label("Kode tiket").fill("7kq2-m9tx-7kq2-m9tx-7kq2-m9tx-7kq2")
    page.get_by_role("button", name="Catat hadir").click()
    expect(page.locator("p.msg[role=status]")).to_contain_text("Dewi Lestari: Hadir.")
    screenshots(page, shots / "class-checkin-no-js")
    assert CheckIn.objects.get().registration == ticket
    context.close()
