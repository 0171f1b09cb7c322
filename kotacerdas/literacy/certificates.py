"""The class certificate as an A4 PDF (``core.pdf``) with a verification QR, and the ticket QR."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from kotacerdas.core import pdf, tokens
from kotacerdas.core.addresses import public_base_url
from kotacerdas.literacy.models import ClassCertificate

STYLESHEET = Path(__file__).parent / "static" / "literacy" / "certificate.css"


def verification_url(token: str) -> str:
    """What the QR opens: the code as stored."""
    base = public_base_url(settings.LITERACY_PUBLIC_BASE_URL)
    return base + reverse("literacy:certificate-verify", kwargs={"token": token})


def qr_svg(content: str, scale: int = 3) -> SafeString:
    return mark_safe(segno.make(content, error="m").svg_inline(scale=scale, border=2))  # noqa: S308 (segno's own SVG)


def render_pdf(certificate: ClassCertificate) -> bytes:
    url = verification_url(certificate.token)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "literacy/certificate_pdf.html",
            {
                "shown": certificate.shown,
                "day": dt.date.fromisoformat(certificate.shown["date"]),
                "qr": pdf.qr_png(url),
                "verify_url": url,
                "code": tokens.grouped(certificate.token),
            },
        )
    return pdf.html_to_pdf(html, STYLESHEET)
