"""The nightly build: the services' figures become suppressed tables, then published files.

For each figure and year, the service's stats function runs once (one or two
aggregate queries, on the replica when there is one); the kelurahan × month
table, summed over groups, is suppressed (kotacerdas.opendata.suppression) and
kept in ``YearTable``. Then each dataset's CSV and JSON are assembled from the
kept tables. Memory holds one figure's year at a time. The nightly run
recomputes the recent years (``years_to_build``), ``--full`` every year
covered; a dataset whose files come out byte for byte the same keeps its
``metadata_modified``, so harvesters fetch only what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kotacerdas.opendata import formats
from kotacerdas.opendata.catalogue import PUBLISHED_LABELS, Source, dataset_name, sources
from kotacerdas.opendata.models import Dataset, Organization, Resource, YearTable
from kotacerdas.opendata.schedule import next_release
from kotacerdas.opendata.suppression import suppress
from kotacerdas.web.figures import compute

log = logging.getLogger(__name__)
LATE_ENTRIES_DAYS = 10  # in January, last year's figures still change for this long
WALIDATA = "Dinas Komunikasi, Informatika dan Statistik (DKIS) Kota Cirebon"
COVERAGE = "Kota Cirebon, 22 kelurahan"


@dataclass
class Report:
    tables: int = 0
    tables_changed: int = 0
    datasets_changed: int = 0
    failed: int = 0


def covered_years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year - settings.OPENDATA_YEARS + 1, today.year + 1))


def years_to_build(*, full: bool, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    if full:
        return covered_years(today)
    if today.month == 1 and today.day <= LATE_ENTRIES_DAYS:
        return [today.year - 1, today.year]
    return [today.year]


def build(
    years: Iterable[int], keys: Iterable[str] | None = None, today: dt.date | None = None
) -> Report:
    today = today or timezone.localdate()
    found = sources()
    chosen = [found[key] for key in keys] if keys is not None else list(found.values())
    report = Report()
    places = formats.places()
    for source in chosen:
        datasets = ensure_datasets(source)
        for year in years:
            try:
                changed = build_table(source, year, places, today)
            except Exception:  # one broken service must not stop the others' datasets
                log.exception("opendata: figure %s failed for %s", source.key, year)
                report.failed += 1
                continue
            report.tables += 1
            report.tables_changed += int(changed)
        for dataset in datasets:
            report.datasets_changed += int(publish_files(dataset, source, places, today))
    return report


def ensure_datasets(source: Source) -> list[Dataset]:
    """The figure's datasets, drafted from the catalogue the first time."""
    producer = source.producer
    organization, _ = Organization.objects.get_or_create(
        name=producer.name,
        defaults={
            "title": producer.title,
            "unit_code": getattr(settings, producer.unit_setting, "")
            if producer.unit_setting
            else "",
        },
    )
    levels = [Dataset.Level.MONTH] + ([Dataset.Level.YEAR] if source.draft.yearly else [])
    now = timezone.now()
    found = []
    for level in levels:
        per = "per bulan" if level == Dataset.Level.MONTH else "per tahun"
        dataset, _ = Dataset.objects.get_or_create(
            figure=source.key,
            level=level,
            defaults={
                "name": dataset_name(source.key, level),
                "organization": organization,
                "title": f"{source.draft.title} per kelurahan {per} di Kota Cirebon",
                "concept": source.draft.concept or source.draft.title,
                "definition": source.draft.concept or source.draft.title,
                "measure": source.draft.measure,
                "unit": source.draft.unit,
                "frequency": "Bulanan",
                "coverage": COVERAGE,
                "walidata": WALIDATA,
                "method": _method(source, level),
                "sensitivity": "spesifik" if source.specific else "umum",
                "metadata_created": now,
                "metadata_modified": now,
            },
        )
        found.append(dataset)
    return found


def _method(source: Source, level: str) -> str:
    how = (
        "nilai bulan terakhir tahun itu (jumlah pada suatu hari)"
        if source.stock
        else "jumlah dua belas bulan"
    )
    year = "" if level == Dataset.Level.MONTH else f" Nilai tahunan: {how}."
    return (
        "Dihitung setiap malam dari catatan layanan di platform Kota Cerdas Cirebon "
        f"(agregat, tanpa data per orang).{year} Angka 1 sampai {source.threshold - 1} "
        "disembunyikan, beserta sel pelengkap agar tidak dapat dihitung ulang dari total."
    )


def build_table(source: Source, year: int, places: list[formats.Place], today: dt.date) -> bool:
    """Compute and suppress one figure's year; True when the kept table changed."""
    if year > today.year:
        return False
    months = 12 if year < today.year else today.month
    index = {place.code: i for i, place in enumerate(places)}
    matrix = [[0] * months for _ in places]
    seen = False
    for figure in compute(source.function, year):
        row = index.get(figure.kelurahan)
        if row is None or figure.month.year != year or figure.month.month > months:
            continue
        matrix[row][figure.month.month - 1] += max(figure.value, 0)
        seen = True
    if not seen:  # nothing recorded that year (or the figure is only kept for this year)
        return YearTable.objects.filter(figure=source.key, year=year).delete()[0] > 0
    cells, totals, hidden = _suppressed(source, places, matrix)
    digest = hashlib.sha256(json.dumps([months, cells, totals]).encode()).hexdigest()
    kept = YearTable.objects.filter(figure=source.key, year=year).first()
    if kept is not None and kept.sha256 == digest:
        return False
    YearTable.objects.update_or_create(
        figure=source.key,
        year=year,
        defaults={
            "months": months,
            "cells": cells,
            "years": totals,
            "hidden": hidden,
            "sha256": digest,
            "built_at": timezone.now(),
        },
    )
    return True


def _suppressed(
    source: Source, places: list[formats.Place], matrix: list[list[int]]
) -> tuple[dict[str, list[int | None]], dict[str, int | None], int]:
    """Suppress each city's kelurahan × month table on its own (one city on Cirebon's
    site; a province's site keeps each city's table the size of one city's)."""
    cities: dict[str, list[int]] = {}
    for i, place in enumerate(places):
        cities.setdefault(place.city_code, []).append(i)
    cells: dict[str, list[int | None]] = {}
    totals: dict[str, int | None] = {}
    hidden = 0
    for rows in cities.values():
        table = [matrix[i] for i in rows]
        result = suppress(table, source.threshold, row_totals=not source.stock)
        years = result.row_totals if not source.stock else [row[-1] for row in result.cells]
        for n, i in enumerate(rows):
            cells[places[i].code] = result.cells[n]
            totals[places[i].code] = years[n]
        hidden += result.hidden
    return cells, totals, hidden


def metadata(dataset: Dataset) -> dict[str, object]:
    """The Satu Data metadata that travels inside the JSON file."""
    return {
        "judul": dataset.title,
        "konsep": dataset.concept,
        "definisi": dataset.definition,
        "satuan": dataset.unit,
        "frekuensi": dataset.frequency,
        "cakupan": dataset.coverage,
        "produsen_data": dataset.organization.title,
        "walidata": dataset.walidata,
        "metode": dataset.method,
        "klasifikasi": PUBLISHED_LABELS[dataset.classification],
        "sifat_data": PUBLISHED_LABELS[dataset.sensitivity],
    }


Cell = tuple[formats.Place, int | None, int, int | None]  # place, value, year, month


def publish_files(
    dataset: Dataset, source: Source, places: list[formats.Place], today: dt.date
) -> bool:
    """Assemble the dataset's CSV and JSON; True when their content changed."""
    monthly = dataset.level == Dataset.Level.MONTH
    cells = _cells(source, places, today, monthly=monthly)
    columns = formats.header(dataset.measure, monthly)
    body = list(formats.rows(cells, dataset.unit))
    files: dict[str, bytes] = {
        Resource.Format.CSV: formats.to_csv(columns, body),
        Resource.Format.JSON: formats.to_json(columns, body, metadata(dataset)),
    }
    digest = hashlib.sha256(b"".join(files.values())).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        changed = digest != dataset.content_hash
        dataset.built_at = now
        dataset.next_release = next_release(today, dataset.frequency)
        fields = ["built_at", "next_release"]
        if changed:
            _store_files(dataset, files, now)
            dataset.content_hash = digest
            dataset.metadata_modified = now
            dataset.first_issued = dataset.first_issued or now
            dataset.rows = len(body)
            dataset.hidden = sum(1 for cell in cells if cell[1] is None)
            fields += ["content_hash", "metadata_modified", "first_issued", "rows", "hidden"]
        dataset.save(update_fields=fields)
    return changed


def _cells(
    source: Source, places: list[formats.Place], today: dt.date, *, monthly: bool
) -> list[Cell]:
    """The kept tables of the covered years as (place, value, year, month) in file order."""
    tables = YearTable.objects.filter(figure=source.key, year__in=covered_years(today))
    cells: list[Cell] = []
    for table in tables.order_by("year"):
        for place in places:
            if monthly:
                values = table.cells.get(place.code) or [0] * table.months
                cells += [(place, v, table.year, m) for m, v in enumerate(values, start=1)]
            else:
                cells.append((place, table.years.get(place.code, 0), table.year, None))
    return cells


def _store_files(dataset: Dataset, files: Mapping[str, bytes], now: dt.datetime) -> None:
    """Replace the dataset's files. Call inside ``atomic()``."""
    for fmt, content in files.items():
        stored = {
            "content": content,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "last_modified": now,
        }
        Resource.objects.update_or_create(
            dataset=dataset,
            format=fmt,
            defaults=stored,
            create_defaults={**stored, "created": now},
        )
