"""The agenda of incoming and outgoing correspondence, numbered by the letters' machinery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kotacerdas.audit.actions import record
from kotacerdas.kelurahan import numbering
from kotacerdas.kelurahan.models import Correspondence
from kotacerdas.regions.models import Region

AGENDA_FORMAT = {"in": "[nomor,3]/AGD-M/[kode kelurahan]/[tahun]", "out": None}


def enter(
    kelurahan: Region, user: Any, *, direction: str, date: dt.date, **fields: Any
) -> Correspondence:
    """A new line of the agenda with the next number of its scope (this year's)."""
    today = timezone.localdate()
    with transaction.atomic():
        scope = numbering.agenda_scope(direction)
        sequence = numbering.take(kelurahan, today.year, scope)
        template = AGENDA_FORMAT.get(direction) or settings.KELURAHAN_NUMBER_FORMAT
        number = numbering.format_number(
            template,
            sequence=sequence,
            code=fields.get("classification") or "000",
            kelurahan=kelurahan,
            date=today,
        )
        entry = Correspondence.objects.create(
            kelurahan=kelurahan,
            direction=direction,
            year=today.year,
            sequence=sequence,
            scope=scope,
            number=number,
            date=date,
            created_by=user,
            **fields,
        )
        record("kelurahan.correspondence_entered", actor=user, obj=entry, number=number)
    return entry
