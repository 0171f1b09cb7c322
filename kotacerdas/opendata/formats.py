"""Open Data Jabar's long format: one row per area, period and measure, as CSV and JSON.

``id,kode_provinsi,nama_provinsi,kode_kabupaten_kota,nama_kabupaten_kota,
kode_kecamatan,nama_kecamatan,kode_kelurahan,nama_kelurahan,<measure>,satuan,tahun[,bulan]``

Province and city as Open Data Jabar writes them (``32``, ``JAWA BARAT``,
``3274``, ``KOTA CIREBON``), taken from the regions register; kecamatan and
kelurahan codes are Kemendagri's (``32.74.01``, ``32.74.01.1001``), names upper
case. A hidden count (below the threshold, or hidden so
that it cannot be rebuilt from the totals) is an empty field in CSV and
``null`` in JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kotacerdas.regions.models import Region


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str
    city_code: str  # BPS-style four digits, as Open Data Jabar writes it: 3274
    city_name: str
    province_code: str
    province_name: str


def _up(region: Region | None) -> Region | None:
    return region.parent if region is not None else None


def places() -> list[Place]:
    """The kelurahan of the regions register in code order, with their kecamatan, city
    and province (from the register's tree: a province's site has many cities)."""
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN).select_related(
        "parent__parent__parent"
    )
    found = []
    for region in kelurahan.order_by("code"):
        kecamatan = _up(region)
        city = _up(kecamatan)
        province = _up(city)
        found.append(
            Place(
                region.code,
                region.name.upper(),
                kecamatan.code if kecamatan else "",
                kecamatan.name.upper() if kecamatan else "",
                city.code.replace(".", "") if city else "",
                city.name.upper() if city else "",
                province.code if province else "",
                province.name.upper() if province else "",
            )
        )
    return found


def header(measure: str, monthly: bool) -> list[str]:
    columns = [
        "id",
        "kode_provinsi",
        "nama_provinsi",
        "kode_kabupaten_kota",
        "nama_kabupaten_kota",
        "kode_kecamatan",
        "nama_kecamatan",
        "kode_kelurahan",
        "nama_kelurahan",
        measure,
        "satuan",
        "tahun",
    ]
    return [*columns, "bulan"] if monthly else columns


def rows(
    cells: Iterable[tuple[Place, int | None, int, int | None]], unit: str
) -> Iterator[list[Any]]:
    """Long-format rows of (place, value, year, month or None)."""
    for number, (place, value, year, month) in enumerate(cells, start=1):
        row = [
            number,
            place.province_code,
            place.province_name,
            place.city_code,
            place.city_name,
            place.kecamatan_code,
            place.kecamatan_name,
            place.code,
            place.name,
            value,
            unit,
            year,
        ]
        yield [*row, month] if month is not None else row


def to_csv(columns: list[str], body: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else value for value in row] for row in body)
    return out.getvalue().encode("utf-8")


def to_json(columns: list[str], body: Iterable[list[Any]], metadata: dict[str, Any]) -> bytes:
    data = [dict(zip(columns, row, strict=True)) for row in body]
    document = {"metadata": metadata, "data": data}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
