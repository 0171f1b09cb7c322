"""The dashboard's tables, read from the precomputed ``FigureValue`` rows.

One query loads a year (of every figure, or of one); everything else is
arithmetic on at most a few thousand rows. Each table comes in the form the
reader may see: detail for those whose scope covers it, otherwise the public
form, with counts from 1 to the figure's threshold - 1 shown as "<k" and,
where exactly one cell of a table is hidden, the next smallest hidden too
("×"), so the hidden one cannot be worked out from a total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kotacerdas.dashboard.catalogue import FigureInfo
from kotacerdas.dashboard.models import FigureValue
from kotacerdas.dashboard.scope import Scope
from kotacerdas.regions.models import Region

HIDDEN = "×"
MONTHS = range(12)


@dataclass(frozen=True)
class Row:
    kelurahan: str
    month: int  # 0 … 11
    group: str
    value: int


@dataclass
class Table:
    """A table as shown and downloaded: ``rows`` are (label, shown cells)."""

    name: str
    title: str
    header: list[str]
    rows: list[tuple[str, list[str]]]
    detail: bool
    numbers: list[list[int | None]] = field(default_factory=list)  # for charts


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    kecamatan: str


def places() -> dict[str, Place]:
    """Every kelurahan of the city, by code (one query)."""
    return {
        code: Place(code, name, kecamatan or "")
        for code, name, kecamatan in Region.objects.filter(
            level=Region.Level.KELURAHAN
        ).values_list("code", "name", "parent__name")
    }


def load_year(
    year: int,
    keys: list[str] | None = None,
    *,
    per_kelurahan: bool = True,
    kelurahan: str | None = None,
    groups: bool = False,
) -> dict[str, list[Row]]:
    """{figure key: its rows} of one year, summed in the database to the level a
    page needs: the city's months, each kelurahan's months, or with the groups too."""
    chosen = FigureValue.objects.filter(
        month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1)
    )
    if keys is not None:
        chosen = chosen.filter(figure__in=keys)
    if kelurahan is not None:
        chosen = chosen.filter(kelurahan=kelurahan)
    fields = ["figure", "month"]
    if per_kelurahan or kelurahan is not None:
        fields.append("kelurahan")
    if groups:
        fields.append("group")
    found: dict[str, list[Row]] = defaultdict(list)
    for item in chosen.order_by().values(*fields).annotate(total=Sum("value")):
        found[item["figure"]].append(
            Row(
                item.get("kelurahan", ""),
                item["month"].month - 1,
                item.get("group", ""),
                int(item["total"]),
            )
        )
    return found


def suppressed(values: list[int], small: int) -> list[str]:
    """Each count as shown to the public: "<k" below the threshold, and the smallest
    other non-zero count hidden too when exactly one is below it."""
    shown = [f"<{small}" if 0 < value < small else str(value) for value in values]
    hidden = [i for i, value in enumerate(values) if 0 < value < small]
    if len(hidden) == 1:
        others = sorted((value, i) for i, value in enumerate(values) if value >= small)
        if others:
            shown[others[0][1]] = HIDDEN
    return shown


def month_labels(year: int) -> list[str]:
    return list(_month_labels(year, get_language()))


@cache
def _month_labels(year: int, language: str | None) -> tuple[str, ...]:
    return tuple(date_format(dt.date(year, month + 1, 1), "M Y") for month in MONTHS)


def monthly(rows: list[Row], kelurahan: str | None = None) -> list[int]:
    totals = [0] * 12
    for row in rows:
        if kelurahan is None or row.kelurahan == kelurahan:
            totals[row.month] += row.value
    return totals


def last_month(rows: list[Row]) -> int:
    return max((row.month for row in rows), default=0)


def of_year(info: FigureInfo, months: list[int], last: int) -> int:
    """A year's figure: the sum of its months, or for a stock its last month."""
    return months[last] if info.stock else sum(months)


def by_kelurahan(info: FigureInfo, rows: list[Row], codes: list[str]) -> dict[str, int]:
    last = last_month(rows)
    grid: dict[str, list[int]] = {code: [0] * 12 for code in codes}
    for row in rows:
        grid.setdefault(row.kelurahan, [0] * 12)[row.month] += row.value
    return {code: of_year(info, months, last) for code, months in grid.items()}


def by_group(info: FigureInfo, rows: list[Row], kelurahan: str | None = None) -> dict[str, int]:
    last = last_month(rows)
    grid: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for row in rows:
        if row.group and (kelurahan is None or row.kelurahan == kelurahan):
            grid[row.group][row.month] += row.value
    return {group: of_year(info, grid[group], last) for group in sorted(grid)}


def _shown(values: list[int], detail: bool, small: int) -> list[str]:
    return [str(value) for value in values] if detail else suppressed(values, small)


def months_table(
    info: FigureInfo, rows: list[Row], year: int, scope: Scope, kelurahan: str | None = None
) -> Table:
    """The figure by month: the city's (public) or one kelurahan's (detail only)."""
    values = monthly(rows, kelurahan)
    detail = scope.detail(info.app, kelurahan)
    shown = _shown(values, detail, info.small)
    labels = month_labels(year)
    return Table(
        "bulan",
        _("By month"),
        [_("Month"), _("Value")],
        [(labels[m], [shown[m]]) for m in MONTHS],
        detail,
        [[None if not shown[m].isdigit() else values[m] for m in MONTHS]],
    )


def kelurahan_table(
    info: FigureInfo, rows: list[Row], scope: Scope, places: dict[str, Place]
) -> Table:
    """The figure's year per kelurahan, largest first: the public form, with the
    reader's own kelurahan (or programme) in detail."""
    totals = by_kelurahan(info, rows, list(places))
    codes = sorted(
        totals, key=lambda code: (-totals[code], places[code].name if code in places else code)
    )
    public = dict(zip(codes, suppressed([totals[c] for c in codes], info.small), strict=True))
    shown = {c: str(totals[c]) if scope.detail(info.app, c) else public[c] for c in codes}
    return Table(
        "kelurahan",
        _("By kelurahan"),
        [_("Kelurahan"), _("Kecamatan"), _("Value")],
        [(_name(places, c), [_kecamatan(places, c), shown[c]]) for c in codes],
        scope.detail(info.app),
        [[totals[c] if shown[c].isdigit() else None for c in codes]],
    )


def groups_table(
    info: FigureInfo, rows: list[Row], scope: Scope, kelurahan: str | None = None
) -> Table | None:
    totals = by_group(info, rows, kelurahan)
    if not totals:
        return None
    detail = scope.detail(info.app, kelurahan)
    if kelurahan is not None and not detail:
        return None  # one kelurahan's breakdown is detail
    shown = _shown(list(totals.values()), detail, info.small)
    return Table(
        "kelompok",
        _("By group"),
        [_("Group"), _("Value")],
        [(group, [value]) for group, value in zip(totals, shown, strict=True)],
        detail,
    )


def grid_table(
    info: FigureInfo, rows: list[Row], year: int, scope: Scope, places: dict[str, Place]
) -> Table | None:
    """Kelurahan × month, only the kelurahan the reader sees in detail; None if none."""
    codes = [
        code
        for code in sorted(places, key=lambda c: places[c].name)
        if scope.detail(info.app, code)
    ]
    if not codes:
        return None
    grid = {code: monthly(rows, code) for code in codes}
    return Table(
        "rinci",
        _("By kelurahan and month"),
        [_("Kelurahan"), *month_labels(year)],
        [(_name(places, code), [str(v) for v in grid[code]]) for code in codes],
        True,
    )


def _name(places: dict[str, Place], code: str) -> str:
    return places[code].name if code in places else code


def _kecamatan(places: dict[str, Place], code: str) -> str:
    return places[code].kecamatan if code in places else ""


def figure_tables(
    info: FigureInfo,
    rows: list[Row],
    year: int,
    scope: Scope,
    places: dict[str, Place],
    kelurahan: str | None = None,
    only: tuple[str, ...] = ("bulan", "kelurahan", "kelompok", "rinci"),
) -> dict[str, Table]:
    """The tables named in ``only`` of one figure, as this reader sees them (pages and
    downloads). For one kelurahan the reader sees in detail: its months and groups;
    for one they do not: the public ranking of every kelurahan."""
    makers: dict[str, Callable[[], Table | None]]
    if kelurahan is not None and not scope.detail(info.app, kelurahan):
        makers = {"kelurahan": lambda: kelurahan_table(info, rows, scope, places)}
    elif kelurahan is not None:
        makers = {
            "bulan": lambda: months_table(info, rows, year, scope, kelurahan),
            "kelompok": lambda: groups_table(info, rows, scope, kelurahan),
        }
    else:
        makers = {
            "bulan": lambda: months_table(info, rows, year, scope),
            "kelurahan": lambda: kelurahan_table(info, rows, scope, places),
            "kelompok": lambda: groups_table(info, rows, scope),
            "rinci": lambda: grid_table(info, rows, year, scope, places),
        }
    tables = {name: make() for name, make in makers.items() if name in only}
    return {name: table for name, table in tables.items() if table is not None}
