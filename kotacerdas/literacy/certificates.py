"""The class certificate as an A4 PDF (WeasyPrint) with a verification QR (segno), and the ticket QR."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from kotacerdas.core import tokens
from kotacerdas.core.addresses import public_base_url
from kotacerdas.literacy.models import ClassCertificate

STYLE = """
@page { size: A4 landscape; margin: 18mm; }
body { font-family: sans-serif; color: #1a1a1a; text-align: center; }
h1 { font-size: 30pt; margin: 8mm 0 2mm; letter-spacing: 1pt; }
.name { font-size: 26pt; font-weight: bold; margin: 8mm 0; }
.topic { font-size: 16pt; }
.small { font-size: 10pt; color: #444; }
.verify { margin-top: 10mm; display: flex; justify-content: center; gap: 8mm; align-items: center; }
.code { font-family: monospace; font-size: 11pt; }
"""


def verification_url(token: str) -> str:
    """What the QR opens: the code as stored."""
    base = public_base_url(settings.LITERACY_PUBLIC_BASE_URL)
    return base + reverse("literacy:certificate-verify", kwargs={"token": token})


def qr_svg(content: str, scale: int = 3) -> SafeString:
    return mark_safe(segno.make(content, error="m").svg_inline(scale=scale, border=2))  # noqa: S308 (segno's own SVG)


def _fetcher() -> Any:
    """Loads ``data:`` URLs only: no text on the certificate makes the server fetch anything."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise ValueError(f"Certificate rendering fetches no URLs: {url[:80]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols=("data",), allow_redirects=False)


def render_pdf(certificate: ClassCertificate) -> bytes:
    from weasyprint import CSS, HTML

    url = verification_url(certificate.token)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "literacy/certificate_pdf.html",
            {
                "shown": certificate.shown,
                "day": dt.date.fromisoformat(certificate.shown["date"]),
                "qr": qr_svg(url),
                "verify_url": url,
                "code": tokens.grouped(certificate.token),
            },
        )
    content: bytes = HTML(string=html, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[CSS(string=STYLE)]
    )
    return content
