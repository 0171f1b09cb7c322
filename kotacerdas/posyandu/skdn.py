"""SKDN: the monthly posyandu figures, added up in SQL (posyandu.md §6).

S  children under five living in the posyandu's RW at the end of the month
K  of them, those with a KIA book (KMS): all but those a cadre marked without
D  weighed at the posyandu in the month
N, T, 2T, O, B, BGM  from the growth status stored on each measurement

Two queries per report whatever the number of posyandu and months: one over
the register (S, K), one over the measurements (D and the rest), each
grouped by posyandu (by RW) and month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.people.models import Person
from kotacerdas.posyandu.children import five_years_before
from kotacerdas.posyandu.models import Measurement, Posyandu, add_months

STUNTED = ("stunted", "severely_stunted")
WASTED = ("wasted", "severely_wasted")


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
    posyandu: list[Posyandu], months: list[dt.date]
) -> dict[int, dict[dt.date, Counts]]:
    """Counts for each posyandu and month."""
    result: dict[int, dict[dt.date, Counts]] = {
        p.pk: {m: Counts() for m in months} for p in posyandu
    }
    if not posyandu or not months:
        return result
    by_rw: dict[int, list[int]] = defaultdict(list)
    for p in posyandu:
        by_rw[p.rw_id].append(p.pk)
    ends = [month_end(m) for m in months]
    windows = [Q(birth_date__gt=five_years_before(end), birth_date__lte=end) for end in ends]
    aggregates = {}
    for i, window in enumerate(windows):
        aggregates[f"s{i}"] = Count("id", filter=window)
        aggregates[f"x{i}"] = Count("id", filter=window & Q(posyandu_record__has_kia_book=False))
    register = (
        Person.objects.filter(
            rt__rw_id__in=list(by_rw),
            status=Person.Status.ALIVE,
            birth_date__gt=five_years_before(min(ends)),
            birth_date__lte=max(ends),
        )
        .values("rt__rw_id")
        .annotate(**aggregates)
    )
    for row in register:
        for pid in by_rw[row["rt__rw_id"]]:
            for i, month in enumerate(months):
                counts = result[pid][month]
                counts.S = row[f"s{i}"]
                counts.K = row[f"s{i}"] - row[f"x{i}"]
    weighed = (
        Measurement.objects.filter(posyandu_id__in=list(result), month__in=months)
        .values("posyandu_id", "month")
        .annotate(
            D=Count("id"),
            N=Count("id", filter=Q(growth="N")),
            T=Count("id", filter=Q(growth="T")),
            two_t=Count("id", filter=Q(two_t=True)),
            O=Count("id", filter=Q(growth="O")),
            B=Count("id", filter=Q(growth="B")),
            BGM=Count("id", filter=Q(bgm=True)),
            stunted=Count("id", filter=Q(cat_pb_u__in=STUNTED)),
            wasted=Count("id", filter=Q(cat_bb_pb__in=WASTED)),
        )
    )
    for row in weighed:
        counts = result[row["posyandu_id"]][row["month"]]
        for name in ("D", "N", "T", "two_t", "O", "B", "BGM", "stunted", "wasted"):
            setattr(counts, name, row[name])
    return result


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
AGE_GROUPS = [(0, 5), (6, 11), (12, 23), (24, 35), (36, 59)]
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


def by_age_and_sex(posyandu: list[Posyandu], month: dt.date) -> list[AgeRow]:
    """S, D, N, T, BGM and stunted by age group and sex for one month: two queries."""
    rows = [
        AgeRow(f"{low}–{high}", {f: dict.fromkeys(SEXES, 0) for f in BY_AGE_FIELDS})
        for low, high in AGE_GROUPS
    ]
    if not posyandu:
        return rows
    end = month_end(month)
    register: dict[str, Any] = {}
    weighed: dict[str, Any] = {}
    for i, (low, high) in enumerate(AGE_GROUPS):
        born = Q(
            birth_date__gt=months_before(end, high + 1), birth_date__lte=months_before(end, low)
        )
        aged = Q(age_months__gte=low, age_months__lte=high)
        for sex in SEXES:
            register[f"S_{i}_{sex}"] = Count("id", filter=born & Q(sex=sex))
            of_sex = aged & Q(child__sex=sex)
            weighed[f"D_{i}_{sex}"] = Count("id", filter=of_sex)
            weighed[f"N_{i}_{sex}"] = Count("id", filter=of_sex & Q(growth="N"))
            weighed[f"T_{i}_{sex}"] = Count("id", filter=of_sex & Q(growth="T"))
            weighed[f"BGM_{i}_{sex}"] = Count("id", filter=of_sex & Q(bgm=True))
            weighed[f"stunted_{i}_{sex}"] = Count("id", filter=of_sex & Q(cat_pb_u__in=STUNTED))
    people = Person.objects.filter(
        rt__rw_id__in={p.rw_id for p in posyandu},
        status=Person.Status.ALIVE,
        birth_date__gt=five_years_before(end),
        birth_date__lte=end,
    ).aggregate(**register)
    measured = Measurement.objects.filter(
        posyandu_id__in=[p.pk for p in posyandu], month=month
    ).aggregate(**weighed)
    for key, value in (people | measured).items():
        name, group, sex = key.rsplit("_", 2)
        rows[int(group)].counts[name][sex] = value or 0
    return rows
