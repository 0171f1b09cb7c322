from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from kotacerdas.regions.models import Region

LEVEL_DEPTH = {
    Region.Level.PROVINSI: 1,
    Region.Level.KOTA: 2,
    Region.Level.KECAMATAN: 3,
    Region.Level.KELURAHAN: 4,
}


@dataclass
class LoadResult:
    created: int
    updated: int


def load_regions(path: Path) -> LoadResult:
    """Load a ``code,level,name,parent_code`` file; existing codes are updated.

    The whole file is checked before anything is written, so a bad row leaves
    the register as it was.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return load_region_rows(rows)


def load_region_rows(rows: Iterable[dict[str, str]]) -> LoadResult:
    parsed = [_parse_row(number, row) for number, row in enumerate(rows, start=2)]
    codes = {row["code"] for row in parsed}
    known = set(Region.objects.values_list("code", flat=True))
    for row in parsed:
        if row["parent_code"] and row["parent_code"] not in codes | known:
            raise ValidationError(
                f"Baris {row['line']}: induk {row['parent_code']} untuk {row['code']} tidak ada"
            )
    created = updated = 0
    with transaction.atomic():
        # Parents first: sorting by depth keeps the foreign keys satisfied.
        for row in sorted(parsed, key=lambda r: LEVEL_DEPTH[Region.Level(r["level"])]):
            _, was_created = Region.objects.update_or_create(
                code=row["code"],
                defaults={
                    "level": row["level"],
                    "name": row["name"],
                    "parent_id": row["parent_code"] or None,
                },
            )
            created += was_created
            updated += not was_created
    return LoadResult(created=created, updated=updated)


def _parse_row(line: int, row: dict[str, str]) -> dict[str, str]:
    code = (row.get("code") or "").strip()
    level = (row.get("level") or "").strip().lower()
    name = " ".join((row.get("name") or "").split())
    parent = (row.get("parent_code") or "").strip()
    if level not in Region.Level.values:
        raise ValidationError(f"Baris {line}: tingkat {level!r} tidak dikenal")
    segments = code.split(".")
    if len(segments) != LEVEL_DEPTH[Region.Level(level)] or not all(s.isdigit() for s in segments):
        raise ValidationError(f"Baris {line}: kode {code!r} tidak cocok untuk tingkat {level}")
    if not name:
        raise ValidationError(f"Baris {line}: nama kosong")
    if parent != ".".join(segments[:-1]):
        raise ValidationError(f"Baris {line}: induk {parent!r} tidak cocok dengan kode {code}")
    return {"line": str(line), "code": code, "level": level, "name": name, "parent_code": parent}
