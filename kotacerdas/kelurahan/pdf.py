"""The letter as an A4 PDF (WeasyPrint): letterhead, text, signature block and verification QR.

The text is the letter's own template version rendered in the sandbox with the
letter's frozen data, so a reprint of an old letter is the same letter.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from kotacerdas.core import pdf
from kotacerdas.core.addresses import public_base_url
from kotacerdas.kelurahan import sandbox, signing, tokens
from kotacerdas.kelurahan.models import Letter

STYLESHEET = Path(__file__).parent / "static" / "kelurahan" / "letter.css"


def verification_url(token: str) -> str:
    base = public_base_url(settings.KELURAHAN_PUBLIC_BASE_URL)
    return base + reverse("kelurahan:verify", kwargs={"token": token})


def html_of(letter: Letter) -> str:
    body = sandbox.render(letter.template.body, letter.data)
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "kelurahan/letter_pdf.html",
            {
                "letter": letter,
                "body": mark_safe(body),  # noqa: S308  # escaped by the sandbox, which allows no raw output
                "government": settings.KELURAHAN_LETTERHEAD,
                "office_address": settings.KELURAHAN_ADDRESS.format(
                    kelurahan=letter.kelurahan.name
                ),
                "qr": pdf.qr_png(verification_url(letter.token)),
                "code": tokens.grouped(letter.token),
                "electronic": signing.configured_signer(letter.kelurahan_id) is not None,
            },
        )


def render(letter: Letter) -> bytes:
    return pdf.html_to_pdf(html_of(letter), STYLESHEET)
