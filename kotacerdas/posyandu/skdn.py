"""SKDN: the monthly posyandu figures, added up in SQL (posyandu.md §6).

S  children under five living in the posyandu's RW at the end of the month
K  of them, those with a KIA book (KMS): all but those a cadre marked without
D  weighed at the posyandu in the month
N, T, 2T, O, B, BGM  from the growth status stored on each measurement

A report reads the tallies kept by ``tallies.py`` (a few hundred rows), not
the register's and the measurements' raw rows: one query over the register
tallies (S, K), one over the weighing tallies (D and the rest), each grouped
by posyandu (by RW) and month. Months the register tallies do not cover yet
are counted from the register.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kotacerdas.people.models import Person
from kotacerdas.posyandu import access, tallies
from kotacerdas.posyandu.children import five_years_before, under_five_q
from kotacerdas.posyandu.models import (
    TALLY_COUNTS,
    Measurement,
    Posyandu,
    RegisterTally,
    WeighingTally,
    add_months,
)

STUNTED = tallies.STUNTED
WASTED = tallies.WASTED


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _ratio(numerator: int, denominator: int) -> float | None:
    return None if not denominator else 100.0 * numerator / denominator


@dataclass
class Counts:
    S: int = 0
    K: int = 0
    D: int = 0
    N: int = 0
    T: int = 0
    two_t: int = 0
    O: int = 0  # noqa: E741 - the SKDN letter
    B: int = 0
    BGM: int = 0
    stunted: int = 0
    wasted: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def k_s(self) -> float | None:
        return _ratio(self.K, self.S)

    @property
    def d_s(self) -> float | None:
        return _ratio(self.D, self.S)

    @property
    def d_k(self) -> float | None:
        return _ratio(self.D, self.K)

    @property
    def n_d(self) -> float | None:
        return _ratio(self.N, self.D)

    @property
    def n_d_prime(self) -> float | None:
        """N/D′, D′ = D − O − B: of the children weighed two months running."""
        return _ratio(self.N, self.D - self.O - self.B)


# (attribute, label) in report order; ratios are percentages.
COLUMNS: list[tuple[str, object, bool]] = [
    ("S", _("S — children under five"), False),
    ("K", _("K — with a KIA book"), False),
    ("D", _("D — weighed"), False),
    ("N", _("N — gained"), False),
    ("T", _("T — not gained"), False),
    ("two_t", _("2T — not gained twice"), False),
    ("O", _("O — not weighed last month"), False),
    ("B", _("B — first weighing"), False),
    ("BGM", _("BGM — below the red line"), False),
    ("stunted", _("Stunted (TB/U < −2 SD)"), False),
    ("wasted", _("Wasted (BB/TB < −2 SD)"), False),
    ("k_s", _("K/S (%)"), True),
    ("d_s", _("D/S (%)"), True),
    ("d_k", _("D/K (%)"), True),
    ("n_d", _("N/D (%)"), True),
    ("n_d_prime", _("N/D′ (%), D′ = D − O − B"), True),
]


def per_posyandu(
    posyandu: list[Posyandu],
    months: list[dt.date],
    *,
    from_rows: bool = False,
    covered: set[dt.date] | None = None,
) -> dict[int, dict[dt.date, Counts]]:
    """Counts for each posyandu and month, from the tallies (``tallies.py``): two or
    three queries. ``from_rows`` counts the raw rows instead (what the tallies must equal)."""
    result: dict[int, dict[dt.date, Counts]] = {
        p.pk: {m: Counts() for m in months} for p in posyandu
    }
    if not posyandu or not months:
        return result
    by_rw: dict[int, list[int]] = defaultdict(list)
    for p in posyandu:
        by_rw[p.rw_id].append(p.pk)
    if from_rows:
        covered = set()
    elif covered is None:
        covered = tallies.covered_months(months)
    covered = covered & set(months)
    register = _register_from_rows([m for m in months if m not in covered], list(by_rw))
    if covered:
        register |= tallies.register_counts(sorted(covered), list(by_rw))
    for (rw_id, month), (s_count, k_count) in register.items():
        for pid in by_rw.get(rw_id, ()):
            result[pid][month].S, result[pid][month].K = s_count, k_count
    weighed: Any
    if from_rows:
        weighed = (
            Measurement.objects.filter(posyandu_id__in=list(result), month__in=months)
            .values("posyandu_id", "month")
            .annotate(**tallies.WEIGHING_COUNTS)
        )
    else:
        weighed = (
            WeighingTally.objects.filter(posyandu_id__in=list(result), month__in=months)
            .values("posyandu_id", "month")
            .annotate(**{name: Sum(name) for name in TALLY_COUNTS})
        )
    for row in weighed:
        counts = result[row["posyandu_id"]][row["month"]]
        for name in TALLY_COUNTS:
            setattr(counts, name, row[name])
    return result


def _register_from_rows(
    months: list[dt.date], rw_ids: list[int]
) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """(S, K) per (RW, month) counted from the register itself: one query."""
    if not months or not rw_ids:
        return {}
    ends = [month_end(m) for m in months]
    windows = [Q(birth_date__gt=five_years_before(end), birth_date__lte=end) for end in ends]
    aggregates = {}
    for i, window in enumerate(windows):
        aggregates[f"s{i}"] = Count("id", filter=window)
        aggregates[f"x{i}"] = Count("id", filter=window & Q(posyandu_record__has_kia_book=False))
    register = (
        Person.objects.filter(
            rt__rw_id__in=rw_ids,
            status=Person.Status.ALIVE,
            birth_date__gt=five_years_before(min(ends)),
            birth_date__lte=max(ends),
        )
        .values("rt__rw_id")
        .annotate(**aggregates)
    )
    found = {}
    for row in register:
        for i, month in enumerate(months):
            found[(row["rt__rw_id"], month)] = (row[f"s{i}"], row[f"s{i}"] - row[f"x{i}"])
    return found


@dataclass
class Area:
    key: str
    label: str
    months: dict[dt.date, Counts] = field(default_factory=dict)


def months_up_to(month: dt.date, count: int) -> list[dt.date]:
    return [add_months(month, -i) for i in range(count - 1, -1, -1)]


def group(
    posyandu: Iterable[Posyandu],
    counts: dict[int, dict[dt.date, Counts]],
    months: list[dt.date],
    key: Callable[[Posyandu], tuple[str, str]],
) -> list[Area]:
    areas: dict[str, Area] = {}
    # S and K are the children living in a posyandu's RW: two posyandu of one
    # RW share them, so an area counts each RW's children once.
    rws_counted: dict[str, set[int]] = defaultdict(set)
    for p in posyandu:
        k, label = key(p)
        area = areas.setdefault(k, Area(k, label, {m: Counts() for m in months}))
        shared = p.rw_id in rws_counted[k]
        rws_counted[k].add(p.rw_id)
        for m in months:
            add = counts[p.pk][m]
            if shared:
                add = replace(add, S=0, K=0)
            area.months[m] += add
    return sorted(areas.values(), key=lambda a: a.label)


def by_kecamatan(p: Posyandu) -> tuple[str, str]:
    kecamatan = p.rw.kelurahan.parent
    return (f"kec-{kecamatan.code}", f"Kecamatan {kecamatan.name}") if kecamatan else ("", "")


def by_kelurahan(p: Posyandu) -> tuple[str, str]:
    return f"kel-{p.rw.kelurahan_id}", f"Kelurahan {p.rw.kelurahan.name}"


def by_posyandu(p: Posyandu) -> tuple[str, str]:
    return f"pos-{p.pk}", p.name


def everything(label: str) -> Callable[[Posyandu], tuple[str, str]]:
    return lambda p: ("all", label)


# FORMAT F2 disaggregation: age groups in completed months, and sex.
AGE_GROUPS = tallies.AGE_GROUPS
SEXES = ("M", "F")
BY_AGE_FIELDS = ("S", "D", "N", "T", "BGM", "stunted")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    first = add_months(day.replace(day=1), -months)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))


@dataclass
class AgeRow:
    label: str
    counts: dict[str, dict[str, int]]  # field → sex → count


def by_age_and_sex(
    posyandu: list[Posyandu],
    month: dt.date,
    *,
    from_rows: bool = False,
    covered: set[dt.date] | None = None,
) -> list[AgeRow]:
    """S, D, N, T, BGM and stunted by age group and sex for one month: two queries,
    from the tallies (``from_rows``: counted from the raw rows)."""
    rows = [
        AgeRow(f"{low}–{high}", {f: dict.fromkeys(SEXES, 0) for f in BY_AGE_FIELDS})
        for low, high in AGE_GROUPS
    ]
    if not posyandu:
        return rows
    if covered is None and not from_rows:
        covered = tallies.covered_months([month])
    if from_rows or month not in (covered or set()):
        people = _age_register_from_rows(posyandu, month)
    else:
        people = {
            f"S_{row['age_group']}_{row['sex']}": row["n"]
            for row in RegisterTally.objects.filter(
                rw_id__in={p.rw_id for p in posyandu}, month=month, age_group__gte=0
            )
            .values("age_group", "sex")
            .annotate(n=Sum("S"))
        }
    measured = (
        _age_weighings_from_rows(posyandu, month)
        if from_rows
        else {
            f"{name}_{row['age_group']}_{row['sex']}": row[name]
            for row in _age_weighings(posyandu, month)
            for name in BY_AGE_FIELDS
            if name != "S"
        }
    )
    for key, value in (people | measured).items():
        name, group, sex = key.rsplit("_", 2)
        if sex in SEXES:
            rows[int(group)].counts[name][sex] = value or 0
    return rows


def _age_weighings(posyandu: list[Posyandu], month: dt.date) -> list[dict[str, Any]]:
    rows: Any = (
        WeighingTally.objects.filter(
            posyandu_id__in=[p.pk for p in posyandu], month=month, age_group__gte=0
        )
        .values("age_group", "sex")
        .annotate(**{name: Sum(name) for name in BY_AGE_FIELDS if name != "S"})
    )
    return list(rows)


def _age_register_from_rows(posyandu: list[Posyandu], month: dt.date) -> dict[str, Any]:
    end = month_end(month)
    register: dict[str, Any] = {}
    for i, (low, high) in enumerate(AGE_GROUPS):
        born = Q(
            birth_date__gt=months_before(end, high + 1), birth_date__lte=months_before(end, low)
        )
        for sex in SEXES:
            register[f"S_{i}_{sex}"] = Count("id", filter=born & Q(sex=sex))
    return Person.objects.filter(
        rt__rw_id__in={p.rw_id for p in posyandu},
        status=Person.Status.ALIVE,
        birth_date__gt=five_years_before(end),
        birth_date__lte=end,
    ).aggregate(**register)


def _age_weighings_from_rows(posyandu: list[Posyandu], month: dt.date) -> dict[str, Any]:
    weighed: dict[str, Any] = {}
    for i, (low, high) in enumerate(AGE_GROUPS):
        aged = Q(age_months__gte=low, age_months__lte=high)
        for sex in SEXES:
            of_sex = aged & Q(child__sex=sex)
            weighed[f"D_{i}_{sex}"] = Count("id", filter=of_sex)
            weighed[f"N_{i}_{sex}"] = Count("id", filter=of_sex & Q(growth="N"))
            weighed[f"T_{i}_{sex}"] = Count("id", filter=of_sex & Q(growth="T"))
            weighed[f"BGM_{i}_{sex}"] = Count("id", filter=of_sex & Q(bgm=True))
            weighed[f"stunted_{i}_{sex}"] = Count("id", filter=of_sex & Q(cat_pb_u__in=STUNTED))
    return Measurement.objects.filter(
        posyandu_id__in=[p.pk for p in posyandu], month=month
    ).aggregate(**weighed)


# The report as a user sees it: the areas they may choose, the chosen month ---


def request_months() -> int:
    return max(1, min(settings.POSYANDU_SKDN_MONTHS, 24))


@dataclass
class Choices:
    """The areas a user may report on: everything they see, then each kecamatan,
    kelurahan and posyandu when there is more than one."""

    visible: list[Posyandu]
    areas: list[tuple[str, str]]
    everything_label: str
    kecamatan_count: int


def choices_for(user: Any) -> Choices:
    scoped = access.posyandu_for_user(user)
    visible = list(
        scoped.filter(active=True).select_related("rw__kelurahan__parent").order_by("name", "pk")
    )
    kecamatan = sorted({by_kecamatan(p) for p in visible}, key=lambda a: a[1])
    kelurahan = sorted({by_kelurahan(p) for p in visible}, key=lambda a: a[1])
    city_wide = scoped.count() == Posyandu.objects.count()
    everything_label = gettext("Kota Cirebon") if city_wide else gettext("All your posyandu")
    areas = [("", everything_label)]
    areas += kecamatan if len(kecamatan) > 1 else []
    areas += kelurahan if len(kelurahan) > 1 else []
    areas += [by_posyandu(p) for p in visible] if len(visible) > 1 else []
    return Choices(visible, areas, everything_label, len(kecamatan))


def select(visible: list[Posyandu], chosen: str) -> list[Posyandu]:
    """The posyandu of the chosen area key ("kec-…", "kel-…", "pos-…"; "" is all)."""
    for prefix, key in (("kec-", by_kecamatan), ("kel-", by_kelurahan), ("pos-", by_posyandu)):
        if chosen.startswith(prefix):
            return [p for p in visible if key(p)[0] == chosen]
    return visible


def breakdown_key(
    chosen: str, selected: list[Posyandu], kecamatan_count: int
) -> Callable[[Posyandu], tuple[str, str]]:
    """One level below the chosen area."""
    if not chosen and kecamatan_count > 1:
        return by_kecamatan
    if not chosen.startswith(("kel-", "pos-")) and len({p.rw.kelurahan_id for p in selected}) > 1:
        return by_kelurahan
    return by_posyandu


def age_table(rows: list[AgeRow]) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """FORMAT F2 as a header and rows (field × sex per column)."""
    stunted = gettext("Stunted")
    sexes = {"M": gettext("M (boys)"), "F": gettext("F (girls)")}
    header = [
        f"{stunted if name == 'stunted' else name} {sexes[sex]}"
        for name in BY_AGE_FIELDS
        for sex in SEXES
    ]
    table = [
        (row.label, [row.counts[name][sex] for name in BY_AGE_FIELDS for sex in SEXES])
        for row in rows
    ]
    return header, table


def report(user: Any, month: dt.date, chosen: str, choices: Choices) -> dict[str, Any]:
    """Every figure of the SKDN page and workbook for ``user``'s chosen area and month."""
    selected = select(choices.visible, chosen)
    label = dict(choices.areas).get(chosen, choices.everything_label)
    months = months_up_to(month, request_months())
    covered = tallies.covered_months(months)
    counts = per_posyandu(selected, months, covered=covered)
    total = group(selected, counts, months, everything(str(label)))
    key = breakdown_key(chosen, selected, choices.kecamatan_count)
    age_header, age_rows = age_table(by_age_and_sex(selected, month, covered=covered))
    return {
        "age_header": age_header,
        "age_rows": age_rows,
        "month": month,
        "months": months,
        "label": label,
        "total": total[0] if total else Area("all", str(label), {m: Counts() for m in months}),
        "breakdown": group(selected, counts, [month], key),
        "columns": COLUMNS,
        "posyandu_count": len(selected),
    }


# Stunting and wasting by kelurahan, from each child's latest measurement ------

STUNTING_COUNTS = (
    "measured",
    "measured_length",
    "measured_wflh",
    "stunted",
    "severely_stunted",
    "wasted",
    "severely_wasted",
    "underweight",
)


def stunting_by_kelurahan(
    measurements: Any, today: dt.date
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Rows per kelurahan with rates, and the total (None without rows): one query."""
    rows = (
        measurements.filter(under_five_q(today, "child__"), latest=True)
        .values("child__rt__rw__kelurahan_id", "child__rt__rw__kelurahan__name")
        .annotate(
            measured=Count("id"),
            measured_length=Count("id", filter=Q(cat_pb_u__gt="")),
            measured_wflh=Count("id", filter=Q(cat_bb_pb__gt="")),
            stunted=Count("id", filter=Q(cat_pb_u__in=STUNTED)),
            severely_stunted=Count("id", filter=Q(cat_pb_u="severely_stunted")),
            wasted=Count("id", filter=Q(cat_bb_pb__in=WASTED)),
            severely_wasted=Count("id", filter=Q(cat_bb_pb="severely_wasted")),
            underweight=Count("id", filter=Q(cat_bb_u__in=("underweight", "severely_underweight"))),
        )
        .order_by("child__rt__rw__kelurahan__name")
    )
    table = []
    total: dict[str, int] = dict.fromkeys(STUNTING_COUNTS, 0)
    for row in rows:
        for key in STUNTING_COUNTS:
            total[key] += row[key]
        table.append(with_rates(dict(row)))
    return table, (with_rates(dict(total)) if table else None)


def with_rates(row: dict[str, Any]) -> dict[str, Any]:
    def pct(n: int, d: int) -> float | None:
        return 100.0 * n / d if d else None

    return {
        **row,
        "stunted_pct": pct(row["stunted"], row["measured_length"]),
        "wasted_pct": pct(row["wasted"], row["measured_wflh"]),
        "underweight_pct": pct(row["underweight"], row["measured"]),
    }
