"""Desa-style files: where each dusun/RW/RT of the file lies in the kelurahan.

OpenSID files of a desa put residents in a dusun with RW ``-``; a kelurahan's
register knows only RW and RT. The operator maps each area of the file once
(``save_area_mappings``, from the mapping screen or ``--map FILE``); the
mapping is remembered per kelurahan and used for every later file.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.people.imports.cells import area_key
from kotacerdas.people.imports.sheet import open_sheet
from kotacerdas.people.models import AreaMapping
from kotacerdas.regions.models import RT, Region


def file_areas(content: bytes, kelurahan: Region) -> list[dict[str, Any]]:
    """Each dusun/RW/RT of the file the kelurahan's RWs and RTs do not name
    directly, with the RT it is mapped to so far (None if not yet) and its rows."""
    existing = {
        (str(rw), str(rt))
        for rw, rt in RT.objects.filter(rw__kelurahan=kelurahan).values_list("rw__number", "number")
    }
    mapped = {
        (m.dusun, m.file_rw, m.file_rt): m.rt
        for m in AreaMapping.objects.filter(kelurahan=kelurahan).select_related("rt__rw")
    }
    areas: dict[tuple[str, str, str], int] = {}
    with open_sheet(content) as sheet:
        for _number, values in sheet.rows():
            key = area_key(values.get("dusun"), values.get("rw"), values.get("rt"))
            if key in mapped or (key[1], key[2]) not in existing:
                areas[key] = areas.get(key, 0) + 1
    return [
        {"dusun": d, "rw": w, "rt": t, "rows": n, "mapped": mapped.get((d, w, t))}
        for (d, w, t), n in sorted(areas.items())
    ]


def save_area_mappings(
    kelurahan: Region, choices: list[tuple[tuple[str, str, str], RT]], *, actor: User | None
) -> int:
    """Remember where each of the file's areas lies (one audit event)."""
    for _key, rt in choices:
        if rt.rw.kelurahan_id != kelurahan.pk:
            raise ValidationError(_("Choose an RT of this kelurahan."))
    with transaction.atomic():
        for (dusun, file_rw, file_rt), rt in choices:
            AreaMapping.objects.update_or_create(
                kelurahan=kelurahan,
                dusun=dusun,
                file_rw=file_rw,
                file_rt=file_rt,
                defaults={"rt": rt},
            )
        record("people.area_mapping", actor=actor, obj=kelurahan, count=len(choices))
    return len(choices)


def read_map_file(text: str, kelurahan: Region) -> list[tuple[tuple[str, str, str], RT]]:
    """A CSV ``dusun,rw,rt,kelurahan_rw,kelurahan_rt`` (the command's ``--map``)."""
    rts = {
        (rt.rw.number, rt.number): rt
        for rt in RT.objects.filter(rw__kelurahan=kelurahan).select_related("rw")
    }
    choices = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), 2):
        try:
            rt = rts[(int(row["kelurahan_rw"]), int(row["kelurahan_rt"]))]
        except (KeyError, ValueError, TypeError):
            raise ValidationError(
                _("Line %(line)d of the map: there is no such RW/RT in %(kelurahan)s.")
                % {"line": line, "kelurahan": kelurahan.name}
            ) from None
        choices.append((area_key(row.get("dusun"), row.get("rw"), row.get("rt")), rt))
    return choices
