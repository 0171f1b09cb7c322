"""The akta kelahiran as an A4 PDF (WeasyPrint) with a verification QR (segno)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kotacerdas.births import tokens
from kotacerdas.births.models import Certificate, Declaration
from kotacerdas.core import pdf
from kotacerdas.core.addresses import public_base_url


def public_base() -> str:
    """Where the public reaches the site: the setting, in development the address served."""
    return public_base_url(settings.BIRTHS_PUBLIC_BASE_URL)


def verification_url(token: str) -> str:
    """What the QR opens: the code as stored (scanned, not typed, so not grouped)."""
    return public_base() + reverse("births:verify", kwargs={"token": token})


def shown_on_certificate(declaration: Declaration) -> dict[str, Any]:
    """Exactly what the certificate shows, and so what verification may show."""
    return {
        "child_name": declaration.child_name,
        "sex": declaration.child_sex,
        "birth_date": declaration.birth_date.isoformat(),
        "birth_time": declaration.birth_time.strftime("%H:%M") if declaration.birth_time else "",
        "birth_place": declaration.birth_place,
        "birth_order": declaration.birth_order,
        "mother_name": declaration.mother_name,
        "father_name": declaration.father_name,
        "akta_number": declaration.akta_number,
        "registered_on": (declaration.registered_at or declaration.updated_at).date().isoformat(),
        "late": declaration.late,
    }


def qr_png(token: str) -> str:
    return pdf.qr_png(verification_url(token))


STYLESHEET = Path(__file__).parent / "static" / "births" / "certificate.css"


def html_to_pdf(html: str) -> bytes:
    return pdf.html_to_pdf(html, STYLESHEET)


def render_pdf(certificate: Certificate) -> bytes:

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "births/certificate.html",
            {
                "certificate": certificate,
                "shown": certificate.shown,
                "birth_date": dt.date.fromisoformat(certificate.shown["birth_date"]),
                "registered_on": dt.date.fromisoformat(certificate.shown["registered_on"]),
                "qr": qr_png(certificate.token),
                "verify_url": verification_url(certificate.token),
                "verify_page": public_base() + reverse("births:verify-form"),
                "code_groups": tokens.grouped(certificate.token).split("-")
                if tokens.is_new(certificate.token)
                else [certificate.token],
                "signatory_title": settings.BIRTHS_SIGNATORY_TITLE,
            },
        )
    return html_to_pdf(html)


def pdf_of(certificate: Certificate) -> bytes:
    """The stored PDF; made and stored on first use (each version is rendered once)."""
    if certificate.pdf:
        return bytes(certificate.pdf)  # type: ignore[arg-type]
    content = render_pdf(certificate)
    # Two first downloads at once both render; only the first is kept.
    updated = Certificate.objects.filter(pk=certificate.pk, pdf__isnull=True).update(
        pdf=content, pdf_sha256=hashlib.sha256(content).hexdigest()
    )
    if not updated:
        certificate.refresh_from_db(fields=["pdf", "pdf_sha256"])
        return bytes(certificate.pdf)  # type: ignore[arg-type]
    certificate.pdf, certificate.pdf_sha256 = content, hashlib.sha256(content).hexdigest()
    return content
