"""Issued letters: the PDF, the public verification page, revocation, correction, reprints, BSrE."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.kelurahan import pdf, signing
from kotacerdas.kelurahan.actions import letters
from kotacerdas.kelurahan.actions import templates as template_actions
from kotacerdas.kelurahan.models import Letter, LetterRequest

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"  # poppler-utils


@pytest.fixture
def letter(at_lurah: LetterRequest, lurah: User) -> Letter:
    return letters.finalise(letters.approve(at_lurah.pk, lurah))


def _text(content: bytes) -> str:
    return subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_carries_the_letterhead_the_number_and_the_residents_data(letter: Letter) -> None:
    text = _text(bytes(letter.pdf or b""))
    assert "PEMERINTAH KOTA CIREBON" in text and "KELURAHAN KEJAKSAN" in text
    assert letter.number in text
    assert "Dewi Lestari" in text and "3274015203950001" in text
    assert "Melamar pekerjaan" in text
    assert letter.masked_nik == "3274••••••••0001"


def test_the_verification_page_shows_valid_then_revoked(
    letter: Letter, client: Any, lurah: User
) -> None:
    page = client.get(reverse("kelurahan:verify", args=[letter.token])).content.decode()
    assert "SAH" in page and letter.number in page and letter.pdf_sha256 in page
    assert "Dewi L" in page and "3274015203950001" not in page and "3274••••••••0001" in page
    signed_in(lurah).post(reverse("kelurahan:revoke", args=[letter.pk]), {"reason": "Salah data"})
    page = client.get(reverse("kelurahan:verify", args=[letter.token])).content.decode()
    assert "TIDAK BERLAKU: DICABUT" in page


def test_a_typed_code_is_read_forgivingly_and_a_wrong_one_is_not_valid(
    letter: Letter, client: Any
) -> None:
    typed = "-".join(letter.token[i : i + 4] for i in range(0, 28, 4)).lower()
    assert client.get(reverse("kelurahan:verify-form"), {"kode": typed}).status_code == 200
    wrong = client.get(reverse("kelurahan:verify-form"), {"kode": "ABCD-EFGH"})
    assert wrong.status_code == 404 and "TIDAK SAH" in wrong.content.decode()


def test_only_the_lurah_revokes(
    letter: Letter, kelurahan_officer: User, other_rw_operator: User
) -> None:
    url = reverse("kelurahan:revoke", args=[letter.pk])
    assert signed_in(kelurahan_officer).post(url, {"reason": "x"}).status_code == 403
    assert signed_in(other_rw_operator).post(url, {"reason": "x"}).status_code == 404
    letter.refresh_from_db()
    assert letter.status == "valid"


def test_a_correction_supersedes_and_keeps_the_number(
    letter: Letter, lurah: User, client: Any
) -> None:
    signed_in(lurah).post(
        reverse("kelurahan:correct", args=[letter.pk]),
        {"keperluan": "Melamar pekerjaan di Bandung", "reason": "Keperluan salah tulis"},
    )
    new = Letter.objects.get(version=2)
    assert (new.number, new.status) == (letter.number, "valid")
    assert "Bandung" in _text(bytes(new.pdf or b""))
    old = client.get(reverse("kelurahan:verify", args=[letter.token])).content.decode()
    assert "SUDAH DIGANTI" in old


def test_an_old_letter_reprints_identically_after_the_text_changes(
    letter: Letter, lurah: User
) -> None:
    before = pdf.html_of(letter)
    template_actions.publish(
        letter.letter_type_id,
        lurah,
        body="<p>Teks baru {{ nama }}</p>",
        classification="470",
        number_format="",
    )
    letter.refresh_from_db()
    assert pdf.html_of(letter) == before
    assert letter.letter_type.current_version().number == 2  # type: ignore[union-attr]


def test_staff_pdf_download_triad(
    letter: Letter, kelurahan_officer: User, other_rw_operator: User, viewer: User
) -> None:
    url = reverse("kelurahan:letter-pdf", args=[letter.pk])
    assert signed_in(kelurahan_officer).get(url).content.startswith(b"%PDF-")
    assert signed_in(viewer).get(url).status_code == 200
    assert signed_in(other_rw_operator).get(url).status_code == 404


def test_a_hand_signed_scan_is_attached_and_a_fake_one_refused(
    letter: Letter, kelurahan_officer: User, viewer: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("kelurahan:scan", args=[letter.pk])
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not a jpeg")
    page = signed_in(kelurahan_officer).post(url, {"scan": fake}, follow=True).content.decode()
    assert "bukan berkas JPG" in page
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
    signed_in(kelurahan_officer).post(url, {"scan": scan})
    letter.refresh_from_db()
    assert letter.scan_type == "application/pdf"
    assert signed_in(viewer).post(url, {"scan": scan}).status_code == 403


# BSrE ---------------------------------------------------------------------------------


class FakeBSrE(BaseHTTPRequestHandler):
    """Speaks the BSrE eSign API's shape: basic auth, multipart file/nik/passphrase, PDF back."""

    calls: list[dict[str, Any]] = []
    passphrase = "rahasia"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeBSrE.calls.append(
            {"path": self.path, "auth": self.headers["Authorization"], "body": body}
        )
        if b'name="passphrase"\r\n\r\n' + self.passphrase.encode() not in body:
            self._answer(
                400,
                "application/json",
                json.dumps({"error": "Passphrase anda salah", "status_code": 2031}).encode(),
            )
            return
        pdf_start = body.index(b"%PDF-")
        signed = body[pdf_start : body.rindex(b"\r\n--")] + b"\n% signed by fake BSrE\n"
        self._answer(200, "application/pdf", signed)

    def _answer(self, status: int, kind: str, content: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def bsre(settings: Any) -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), FakeBSrE)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeBSrE.calls = []
    settings.KELURAHAN_BSRE = {
        "url": f"http://127.0.0.1:{server.server_port}",
        "user": "esign",
        "password": "pw",
        "passphrase": "rahasia",
    }
    settings.KELURAHAN_BSRE_SIGNERS = [f"{KEJAKSAN}=3274010101700001"]
    yield server
    server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_bsre_signs_the_final_pdf_which_is_stored_as_returned(
    bsre: HTTPServer, at_lurah: LetterRequest, lurah: User
) -> None:
    letter = letters.finalise(letters.approve(at_lurah.pk, lurah))
    assert letter.signed_electronically
    assert bytes(letter.pdf or b"").endswith(b"% signed by fake BSrE\n")
    call = FakeBSrE.calls[0]
    assert call["path"] == "/api/sign/pdf" and call["auth"].startswith("Basic ")
    assert b'name="nik"\r\n\r\n3274010101700001' in call["body"]
    assert (
        b"BSrE"
        in subprocess.run([PDFTOTEXT, "-", "-"], input=letter.pdf, capture_output=True).stdout
    )


@pytest.mark.django_db(transaction=True)
def test_a_bsre_refusal_leaves_the_letter_unsigned_for_a_wet_signature(
    bsre: HTTPServer, at_lurah: LetterRequest, lurah: User, settings: Any
) -> None:
    settings.KELURAHAN_BSRE = settings.KELURAHAN_BSRE | {"passphrase": "salah"}
    letter = letters.finalise(letters.approve(at_lurah.pk, lurah))
    assert not letter.signed_electronically and bytes(letter.pdf or b"").startswith(b"%PDF-")
    assert letter.request.status == "ready"


def test_bsre_is_never_called_inside_a_transaction(bsre: HTTPServer) -> None:
    signer = signing.configured_signer(KEJAKSAN)
    assert signer is not None
    with pytest.raises(RuntimeError, match="transaction"), transaction.atomic():
        signer.sign(b"%PDF-1.4")
    assert FakeBSrE.calls == []
