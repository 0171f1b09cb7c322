"""The letter of issue 13 in a real browser (Chromium), on a phone-sized screen.

The RW operator starts a domisili request for a resident; the kelurahan
operator checks the requirements; the Sekretaris Lurah passes it on; the Lurah
approves it; the resident signs in with the phone code and downloads the PDF;
the QR read back from the PDF (pdftoppm, zbarimg) opens the verification page,
which says valid; once the Lurah revokes the letter, it says revoked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from kotacerdas.accounts.models import User
from kotacerdas.conftest import needs_qr_tools, read_qr, screenshots
from kotacerdas.kelurahan.models import LetterRequest
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.people.models import Citizen, Person

PHONE: ViewportSize = {"width": 360, "height": 780}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE, "accept_downloads": True}


def sign_in(browser: Browser, base: str, user: User) -> Page:
    page = browser.new_page(locale="id-ID", viewport=PHONE)
    page.goto(f"{base}/masuk/")
    page.locator("[name=username]").fill(user.username)
    page.locator("[name=password]").fill("pw-" + user.username)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_load_state()
    return page


def sign_in_as_citizen(page: Page, base: str, phone: str) -> None:
    page.goto(f"{base}/warga/masuk/")
    page.locator("[name=phone]").fill(phone)
    page.locator("form:has([name=phone]) [type=submit]").click()
    page.wait_for_url("**/warga/kode/")
    code = re.search(r"\b(\d{6})\b", str(FileAdapter().read()[-1]["text"])).group(1)  # type: ignore[union-attr]
    page.locator("[name=code]").fill(code)
    page.locator("form:has([name=code]) [type=submit]").click()
    page.wait_for_url("**/warga/")


@needs_qr_tools
def test_rw_to_lurah_to_citizen_download_and_the_qr_says_valid_then_revoked(
    live_server: Any,
    browser: Browser,
    page: Page,
    output_path: str,
    settings: Any,
    resident: Person,
    domisili: Any,
    rw_operator: User,
    kelurahan_officer: User,
    sekretaris_lurah: User,
    lurah: User,
    tmp_path: Path,
) -> None:
    shots = Path(output_path)
    base = live_server.url
    settings.KELURAHAN_PUBLIC_BASE_URL = base
    Citizen.objects.create(phone=resident.phone, person=resident)

    rw = sign_in(browser, base, rw_operator)
    rw.goto(f"{base}/surat/baru/")
    screenshots(rw, shots / "letters-choose")
    rw.get_by_role("link", name="Surat Keterangan Domisili", exact=True).click()
    rw.locator("[name=nik]").fill("3274 0152 0395 0001")
    rw.locator("[name=keperluan]").fill("Melamar pekerjaan")
    screenshots(rw, shots / "letters-form")
    rw.locator("main form [type=submit]").click()
    expect(rw.locator("body")).to_contain_text("Diperiksa")
    request = LetterRequest.objects.get()

    officer = sign_in(browser, base, kelurahan_officer)
    officer.goto(f"{base}/surat/")
    screenshots(officer, shots / "letters-queue")
    officer.get_by_role("link", name=request.code).click()
    for box in officer.locator("[name=seen]").all():
        box.check()
    screenshots(officer, shots / "letters-check")
    officer.locator("form[action$='/check/'] [type=submit]").click()
    expect(officer.locator("body")).to_contain_text("Sekretaris Lurah")

    sekretaris = sign_in(browser, base, sekretaris_lurah)
    sekretaris.goto(f"{base}/surat/{request.pk}/")
    sekretaris.locator("form[action$='/endorse/'] [type=submit]").click()

    head = sign_in(browser, base, lurah)
    head.goto(f"{base}/surat/{request.pk}/")
    head.locator("form[action$='/approve/'] [type=submit]").click()
    expect(head.locator("body")).to_contain_text("Siap diambil")
    screenshots(head, shots / "letters-approved")

    sign_in_as_citizen(page, base, "0812-3456-7890")
    page.goto(f"{base}/warga/surat/")
    screenshots(page, shots / "letters-citizen-list")
    page.locator("ul.cards a", has_text="Surat Keterangan Domisili").click()
    screenshots(page, shots / "letters-citizen-request")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh surat (PDF)").click()
    pdf = tmp_path / "surat.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    url = read_qr(pdf)
    assert url.startswith(f"{base}/cek-surat/")

    verifier = browser.new_page(locale="id-ID", viewport=PHONE)
    verifier.goto(url)
    expect(verifier.locator("[role=status]")).to_contain_text("SAH")
    expect(verifier.locator("[role=status]")).not_to_contain_text("TIDAK")
    expect(verifier.locator("body")).to_contain_text(request.letters.get().number)
    screenshots(verifier, shots / "letters-verify")

    head.goto(f"{base}/surat/{request.pk}/")
    revoking = head.locator("form[action$='/cabut/']")
    revoking.locator("[name=reason]").fill("Alamat tidak sesuai")
    revoking.locator("button").click()
    verifier.goto(url)
    expect(verifier.locator("[role=status]")).to_contain_text("TIDAK BERLAKU: DICABUT")
    screenshots(verifier, shots / "letters-verify-revoked")
