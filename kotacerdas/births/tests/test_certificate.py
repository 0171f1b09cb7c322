"""The akta PDF, its QR, the public verification page, corrections."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from kotacerdas.audit.models import AuditEvent
from kotacerdas.births import actions
from kotacerdas.births.models import Certificate, Correction
from kotacerdas.births.tests.conftest import MOTHER_NIK, citizen_client
from kotacerdas.conftest import read_qr, signed_in
from kotacerdas.people.models import Citizen

TOOLS = {
    name: shutil.which(name) or name for name in ("pdftoppm", "pdftotext", "pdfinfo", "zbarimg")
}
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(name) for name in TOOLS),
    reason="apt-get install poppler-utils zbar-tools",
)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "akta.pdf"
    path.write_bytes(content)
    return subprocess.run(
        [TOOLS["pdftotext"], "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def qr_of(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "akta.pdf"
    path.write_bytes(content)
    return read_qr(path)


@needs_poppler
def test_the_parent_downloads_an_a4_akta_whose_qr_opens_the_verification_page(
    registered, citizen, tmp_path
):
    response = citizen_client(citizen).get(reverse("births:certificate", args=[registered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content, tmp_path)
    assert "KUTIPAN AKTA KELAHIRAN" in text
    assert "AISYAH PUTRI" in text and "SITI AMINAH" in text and "BUDI SANTOSO" in text
    assert registered.akta_number in text
    assert MOTHER_NIK not in text  # the akta shows names, never NIKs
    info = subprocess.run(
        [TOOLS["pdfinfo"], str(tmp_path / "akta.pdf")], capture_output=True, text=True
    ).stdout
    assert "595.276 x 841.89" in info  # A4
    url = qr_of(content, tmp_path)
    certificate = registered.current_certificate
    assert url == f"http://testserver/akta/v/{certificate.token}/"
    assert len(certificate.token) >= 22  # 128 random bits, never the record id
    assert AuditEvent.objects.filter(action="birth.certificate_read").exists()

    page = Client().get(url.removeprefix("http://testserver"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "SAH" in body and "TIDAK SAH" not in body
    assert "Aisyah Putri" in body and registered.akta_number in body
    assert MOTHER_NIK not in body and registered.kk_number not in body


def test_a_forged_token_is_not_valid(registered, client):
    page = client.get(reverse("births:verify", args=["Zm9yZ2VkLXRva2VuLTEyMzQ1Njc4"]))
    assert page.status_code == 404
    assert "TIDAK SAH" in page.content.decode()
    assert "Aisyah" not in page.content.decode()


def test_a_revoked_certificate_shows_as_revoked(registered, registrar, client):
    certificate = registered.current_certificate
    actions.revoke(certificate, "Dokumen dasar palsu", actor=registrar, request=None)
    body = client.get(reverse("births:verify", args=[certificate.token])).content.decode()
    assert "TIDAK BERLAKU: DICABUT" in body
    # The parent can no longer download a valid akta.
    assert (
        citizen_client(Citizen.objects.get())
        .get(reverse("births:certificate", args=[registered.pk]))
        .status_code
        == 404
    )


def test_a_correction_issues_a_new_version_and_the_old_one_is_superseded(
    registered, registrar, citizen, client, django_capture_on_commit_callbacks
):
    parent = citizen_client(citizen)
    old = registered.current_certificate
    response = parent.post(
        reverse("births:correction", args=[registered.pk]),
        {
            "child_name": "Aisyah Putri Ramadhani",
            "child_sex": "F",
            "birth_date": registered.birth_date.isoformat(),
            "birth_time": "07:45",
            "mother_name": "Siti Aminah",
            "father_name": "Budi Santoso",
            "reason": "Nama anak kurang lengkap.",
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.changes == {"child_name": ["Aisyah Putri", "Aisyah Putri Ramadhani"]}
    registered.refresh_from_db()
    assert registered.child_name == "Aisyah Putri", "nothing changes before approval"
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(registrar, verified=True).post(
            reverse("births:decide-correction", args=[registered.pk, correction.pk]),
            {"decision": "approve"},
        )
    registered.refresh_from_db()
    assert registered.child_name == "Aisyah Putri Ramadhani"
    assert registered.child.name == "Aisyah Putri Ramadhani"
    new = registered.current_certificate
    assert new.version == 2 and new.akta_number == old.akta_number and new.token != old.token
    assert new.shown["child_name"] == "Aisyah Putri Ramadhani"
    old.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED
    old_page = client.get(reverse("births:verify", args=[old.token])).content.decode()
    assert "SUDAH DIGANTI" in old_page
    assert "SAH" in client.get(reverse("births:verify", args=[new.token])).content.decode()


def test_a_correction_with_no_change_is_refused(registered, citizen):
    response = citizen_client(citizen).post(
        reverse("births:correction", args=[registered.pk]),
        {
            "child_name": "Aisyah Putri",
            "child_sex": "F",
            "birth_date": registered.birth_date.isoformat(),
            "birth_time": "07:45",
            "mother_name": "Siti Aminah",
            "father_name": "Budi Santoso",
            "reason": "-",
        },
    )
    assert response.status_code == 200
    assert not Correction.objects.exists()


def test_a_rejected_correction_changes_nothing(registered, registrar):
    correction = actions.request_correction(
        registered, {"child_name": ["Aisyah Putri", "Aisya"]}, "typo", request=None
    )
    actions.decide_correction(
        correction, approve=False, note="Sesuai SKL", actor=registrar, request=None
    )
    registered.refresh_from_db()
    assert registered.child_name == "Aisyah Putri"
    assert registered.certificates.count() == 1


def test_a_revoked_akta_is_not_brought_back_by_a_correction(registered, registrar):
    correction = actions.request_correction(
        registered, {"child_name": ["Aisyah Putri", "Aisyah P."]}, "typo", request=None
    )
    certificate = registered.current_certificate
    actions.revoke(certificate, "Dokumen dasar palsu", actor=registrar, request=None)
    with pytest.raises(ValidationError):
        actions.decide_correction(correction, approve=True, note="", actor=registrar, request=None)
    assert not Certificate.objects.filter(status=Certificate.Status.VALID).exists()
    correction.refresh_from_db()
    assert correction.status == Correction.Status.REQUESTED
    # Nor can a new correction be asked for.
    with pytest.raises(ValidationError):
        actions.request_correction(
            registered, {"child_name": ["Aisyah Putri", "Aisyah Q."]}, "typo", request=None
        )


def test_a_requested_correction_is_shown_in_words_not_field_names(registered, registrar):
    actions.request_correction(
        registered,
        {"child_name": ["Aisyah Putri", "Aisyah P."], "child_sex": ["F", "M"]},
        "typo",
        request=None,
    )
    with translation.override("id"):
        body = (
            signed_in(registrar, verified=True)
            .get(reverse("births:detail", args=[registered.pk]))
            .content.decode()
        )
        assert "child_name" not in body and "child_sex" not in body
        assert f"{capfirst(gettext('sex'))}: “{gettext('Female')}” → “{gettext('Male')}”" in body


def test_a_corrected_birth_date_reaches_the_register_and_its_birth_event(registered, registrar):
    import datetime as dt

    from kotacerdas.people.models import LifeEvent

    new_date = registered.birth_date - dt.timedelta(days=1)
    correction = actions.request_correction(
        registered,
        {"birth_date": [registered.birth_date.isoformat(), new_date.isoformat()]},
        "Salah tanggal",
        request=None,
    )
    actions.decide_correction(correction, approve=True, note="", actor=registrar, request=None)
    registered.refresh_from_db()
    registered.child.refresh_from_db()
    assert registered.birth_date == registered.child.birth_date == new_date
    assert LifeEvent.objects.get(person=registered.child, kind="birth").date == new_date
    assert registered.current_certificate.shown["birth_date"] == new_date.isoformat()
