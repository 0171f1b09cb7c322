"""Brojol Aja Klalen in a real browser, on a phone-sized screen.

A parent signs in with the phone code, declares a birth and adds the
documents; a Disdukcapil registrar (password, then TOTP) validates and
registers it; the parent downloads the akta PDF; the QR read back from the
PDF opens the verification page, which says valid; a forged token and, once
revoked, the real one say not valid.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, ViewportSize, expect

from kotacerdas.births.models import Declaration
from kotacerdas.births.tests.conftest import PDF, PNG, form_data
from kotacerdas.births.tests.test_browser_steps import fill_steps
from kotacerdas.births.tests.test_certificate import needs_poppler, qr_of
from kotacerdas.conftest import sign_in_with_totp
from kotacerdas.messaging.adapters.file import FileAdapter

PHONE: ViewportSize = {"width": 360, "height": 780}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE, "accept_downloads": True}


def sign_in_as_citizen(page: Page, base: str, phone: str) -> None:
    page.goto(f"{base}/warga/masuk/")
    page.locator("[name=phone]").fill(phone)
    page.locator("form:has([name=phone]) [type=submit]").click()
    page.wait_for_url("**/warga/kode/")
    text = str(FileAdapter().read()[-1]["text"])
    code = re.search(r"\b(\d{6})\b", text).group(1)  # type: ignore[union-attr]
    page.locator("[name=code]").fill(code)
    page.locator("form:has([name=code]) [type=submit]").click()
    page.wait_for_url("**/warga/")


@needs_poppler
def test_a_parent_declares_and_downloads_an_akta_whose_qr_says_valid(
    live_server: Any,
    browser: Browser,
    page: Page,
    output_path: str,
    settings: Any,
    family: Any,
    registrar: Any,
    tmp_path: Path,
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    settings.BIRTHS_PUBLIC_BASE_URL = base
    # The page is shared from the cache for a few seconds (test_verify_cache.py shows a
    # revocation after them); here the revocation is looked at straight away.
    settings.PAGE_CACHE_SECONDS = {**settings.PAGE_CACHE_SECONDS, "certificate_verification": 0}

    # The parent signs in with the phone code and fills in F-2.01.
    sign_in_as_citizen(page, base, "0812-3456-7890")
    page.goto(f"{base}/kelahiran/")
    page.locator("main a.button[href$='/kelahiran/baru/']").click()
    data = form_data()
    del data["parent_phone"]
    page.screenshot(path=str(shots / "births-form.png"), full_page=True)
    fill_steps(page, data)  # one step a page, "Simpan dan lanjut" on each
    page.wait_for_url(re.compile(r".*/kelahiran/\d+/$"))
    declaration = Declaration.objects.get()

    # The documents, one by one; the list of what is missing shrinks to nothing.
    expect(page.locator("body")).to_contain_text("Masih kurang")
    for kind, name, content, mime in (
        ("skl", "skl.pdf", PDF, "application/pdf"),
        ("nikah", "buku-nikah.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
        ("kk", "kk.png", PNG, "image/png"),
    ):
        upload = page.locator("form:has([name=file])")
        upload.locator(f"[name=kind][value={kind}]").check()
        payload: FilePayload = {"name": name, "mimeType": mime, "buffer": content}
        upload.locator("[name=file]").set_input_files(files=[payload])
        upload.locator("[type=submit]").click()
        page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Semua dokumen sudah lengkap")
    page.locator("form[action$='/kirim/'] [type=submit]").click()
    expect(page.locator("body")).to_contain_text("Menunggu verifikasi")
    page.screenshot(path=str(shots / "births-sent.png"), full_page=True)

    # The registrar validates and registers it from the queue.
    officer = browser.new_page(locale="id-ID", viewport=PHONE)
    sign_in_with_totp(officer, base, registrar)
    officer.goto(f"{base}/kelahiran/antrean/")
    officer.screenshot(path=str(shots / "births-queues.png"), full_page=True)
    officer.get_by_role("link", name=declaration.reference).click()
    officer.locator("form[action$='/validasi/'] button").click()
    expect(officer.locator("body")).to_contain_text("Sudah diverifikasi")
    officer.locator("form[action$='/catat/'] button").click()
    expect(officer.locator("body")).to_contain_text("Dicatat dengan nomor akta")
    officer.screenshot(path=str(shots / "births-registered.png"), full_page=True)
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.REGISTERED
    officer.goto(f"{base}/kelahiran/dasbor/")
    officer.screenshot(path=str(shots / "births-dashboard.png"), full_page=True)

    # The parent downloads the PDF from their account.
    page.goto(f"{base}/kelahiran/")
    page.screenshot(path=str(shots / "births-start.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh akta (PDF)").first.click()
    pdf = tmp_path / "akta.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    url = qr_of(pdf.read_bytes(), tmp_path)
    assert url.startswith(f"{base}/akta/v/")

    # The QR's page says valid; a forged token does not.
    verifier = browser.new_page(locale="id-ID", viewport=PHONE)
    verifier.goto(url)
    expect(verifier.locator("[role=status]")).to_contain_text("SAH")
    expect(verifier.locator("[role=status]")).not_to_contain_text("TIDAK")
    expect(verifier.locator("body")).to_contain_text(declaration.akta_number or "")
    verifier.screenshot(path=str(shots / "births-verify.png"), full_page=True)
    forged = url.rstrip("/")[:-4] + "AAAA/"
    verifier.goto(forged)
    expect(verifier.locator("[role=status]")).to_contain_text("TIDAK SAH")

    # Revoked by the registrar: the same QR now says so.
    officer.goto(f"{base}/kelahiran/{declaration.pk}/")
    revoking = officer.locator("form[action$='/cabut/']")
    revoking.locator("[name=reason]").fill("Dokumen dasar tidak sah")
    revoking.locator("button").click()
    expect(officer.locator("body")).to_contain_text("Akta sudah dicabut")
    verifier.goto(url)
    expect(verifier.locator("[role=status]")).to_contain_text("TIDAK BERLAKU: DICABUT")
