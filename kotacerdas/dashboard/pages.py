"""What each dashboard page shows: one block per figure, built from the precomputed rows.

A page costs a fixed handful of queries whatever the city's size: the year's
values (one query), the kelurahan names (one), the figures' last runs (one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from kotacerdas.dashboard.catalogue import FigureInfo, figure_catalogue
from kotacerdas.dashboard.charts import Chart, month_chart, ranked_chart
from kotacerdas.dashboard.models import FigureRun
from kotacerdas.dashboard.refresh import last_computed
from kotacerdas.dashboard.scope import Scope
from kotacerdas.dashboard.tables import (
    Place,
    Row,
    Table,
    figure_tables,
    load_year,
    places,
)


@dataclass
class Block:
    """One figure on a page: what it is, where it comes from, when it was computed, its tables."""

    info: FigureInfo
    run: FigureRun | None
    tables: list[tuple[Table, Chart | None]]
    headline: str = ""  # the year's value as shown to this reader
    detail: bool = False


@dataclass
class Programme:
    app: str
    name: str
    blocks: list[Block] = field(default_factory=list)


def offered_years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, today.year - settings.DASHBOARD_YEARS, -1))


def _chart(table: Table, info: FigureInfo) -> Chart | None:
    if not table.numbers:
        return None
    shown = [cells[-1] for _label, cells in table.rows]
    labels = [label for label, _cells in table.rows]
    if table.name == "bulan":
        return month_chart(f"{info.title}: {table.title}", labels, table.numbers[0], shown)
    return ranked_chart(f"{info.title}: {table.title}", labels, table.numbers[0], shown)


def _headline(info: FigureInfo, tables: dict[str, Table], kelurahan: str | None) -> str:
    if kelurahan is not None and "kelurahan" in tables:
        return _value_of(tables["kelurahan"], kelurahan)
    months = tables["bulan"]
    values = [v for v in months.numbers[0] if v is not None] if months.numbers else []
    if any(not cells[0].isdigit() for _label, cells in months.rows):
        return ""  # a hidden month: no total that would give it away
    if info.stock:
        last = max((i for i, (_l, cells) in enumerate(months.rows) if cells[0] != "0"), default=0)
        return months.rows[last][1][0]
    return str(sum(values))


def _value_of(table: Table, kelurahan_name: str) -> str:
    for label, cells in table.rows:
        if label == kelurahan_name:
            return cells[-1]
    return "0"


def blocks(
    chosen: list[FigureInfo],
    year: int,
    scope: Scope,
    *,
    kelurahan: str | None = None,
    only: tuple[str, ...] = ("bulan", "kelurahan", "kelompok", "rinci"),
) -> list[Programme]:
    """The blocks of ``chosen`` figures, grouped by programme, as ``scope`` sees them."""
    data = _load(chosen, year, scope, kelurahan, only)
    where = places()
    runs = last_computed(year)
    found: dict[str, Programme] = {}
    for info in chosen:
        block = block_for(info, data.get(info.key, []), year, scope, where, kelurahan, only)
        block.run = runs.get(info.key)
        found.setdefault(info.app, Programme(info.app, str(info.programme))).blocks.append(block)
    return list(found.values())


def _load(
    chosen: list[FigureInfo],
    year: int,
    scope: Scope,
    kelurahan: str | None,
    only: tuple[str, ...],
) -> dict[str, list[Row]]:
    """Only the sums the page shows: the city's months for the city page, one
    kelurahan's rows for the figures its reader sees in detail there."""
    keys = [info.key for info in chosen]
    if kelurahan is None:
        city_only = set(only) <= {"bulan"}
        return load_year(year, keys, per_kelurahan=not city_only, groups="kelompok" in only)
    detail = [info.key for info in chosen if scope.detail(info.app, kelurahan)]
    public = [key for key in keys if key not in detail]
    data = load_year(year, detail, kelurahan=kelurahan, groups=True) if detail else {}
    if public:
        data.update(load_year(year, public))
    return data


def block_for(
    info: FigureInfo,
    rows: list[Row],
    year: int,
    scope: Scope,
    where: dict[str, Place],
    kelurahan: str | None,
    only: tuple[str, ...],
) -> Block:
    wanted = (*only, "kelurahan") if kelurahan is not None else only
    tables = figure_tables(info, rows, year, scope, where, kelurahan, wanted)
    name = where[kelurahan].name if kelurahan in where else None
    headline = _headline(info, tables, name)
    shown = [(tables[n], _chart(tables[n], info)) for n in only if n in tables]
    if kelurahan is not None and not scope.detail(info.app, kelurahan):
        shown = []  # the public value is the headline; the other kelurahan stay on the ranked table
    return Block(info, None, shown, headline, scope.detail(info.app, kelurahan))


def map_block(key: str | None, year: int, scope: Scope) -> tuple[FigureInfo, Table, Chart] | None:
    """The ranked table of the 22 kelurahan by the chosen figure (the map's stand-in)."""
    catalogue = figure_catalogue()
    info = catalogue.get(key or "") or next(iter(catalogue.values()), None)
    if info is None:
        return None
    rows = load_year(year, [info.key]).get(info.key, [])
    table = figure_tables(info, rows, year, scope, places(), only=("kelurahan",))["kelurahan"]
    chart = _chart(table, info)
    assert chart is not None
    return info, table, chart
