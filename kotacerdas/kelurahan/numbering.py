"""Letter and agenda numbers: per kelurahan and year, in a configurable format and scope.

``take`` runs inside the transaction that issues the letter (or enters the
agenda line): it creates the year's counter row if missing (``ON CONFLICT DO
NOTHING``, so two first letters of a year cannot both create it), locks it
with ``SELECT … FOR UPDATE`` and adds one. A rolled-back issue rolls the
counter back too, so numbers neither repeat nor skip; a new year is a new row,
so numbering restarts at 1.

Scopes (``settings.KELURAHAN_NUMBER_SCOPE``): ``type`` one sequence per letter
type, ``letters`` one for all letters, ``shared`` one for letters and both
agenda registers. The format (``KELURAHAN_NUMBER_FORMAT``, or the type's own)
knows ``[kode]``, ``[nomor]``, ``[nomor,N]`` (zero-padded to N digits),
``[kode kelurahan]``, ``[bulan romawi]`` and ``[tahun]``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.kelurahan.models import NumberSequence
from kotacerdas.regions.models import Region

SCOPES = ("type", "letters", "shared")
PLACEHOLDER = re.compile(r"\[([^\]]*)\]")
KNOWN = {"kode", "nomor", "kode kelurahan", "bulan romawi", "tahun"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def letter_scope(type_code: str) -> str:
    scope = settings.KELURAHAN_NUMBER_SCOPE
    if scope == "type":
        return f"type:{type_code}"
    return "shared" if scope == "shared" else "letters"


def agenda_scope(direction: str) -> str:
    """The agenda registers count on their own unless the scope is shared with letters."""
    return "shared" if settings.KELURAHAN_NUMBER_SCOPE == "shared" else f"agenda:{direction}"


def take(kelurahan: Region, year: int, scope: str) -> int:
    """The next number of this counter. Call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.take must run inside the transaction that uses the number")
    NumberSequence.objects.bulk_create(
        [NumberSequence(kelurahan=kelurahan, year=year, scope=scope)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(
        kelurahan=kelurahan, year=year, scope=scope
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def check_format(text: str) -> None:
    """ValidationError naming the first placeholder the format does not know."""
    for found in PLACEHOLDER.findall(text):
        name = found.split(",")[0].strip().lower()
        if name not in KNOWN:
            raise ValidationError(
                _("The number format has an unknown part: [%(part)s].") % {"part": found},
                code="number_format",
            )
    if not any(p.split(",")[0].strip().lower() == "nomor" for p in PLACEHOLDER.findall(text)):
        raise ValidationError(_("The number format must contain [nomor]."), code="number_format")


def format_number(
    template: str, *, sequence: int, code: str, kelurahan: Region, date: dt.date
) -> str:
    """``S-01/007/3274011001/IV/2025`` from ``[kode]/[nomor,3]/[kode kelurahan]/[bulan romawi]/[tahun]``."""

    def part(match: re.Match[str]) -> str:
        name, _sep, width = match.group(1).partition(",")
        name = name.strip().lower()
        if name == "nomor":
            return f"{sequence:0{int(width.strip() or 0)}d}"
        if name == "kode":
            return code
        if name == "kode kelurahan":
            return kelurahan.code.replace(".", "")
        if name == "bulan romawi":
            return ROMAN[date.month - 1]
        if name == "tahun":
            return str(date.year)
        return match.group(0)

    return PLACEHOLDER.sub(part, template)
