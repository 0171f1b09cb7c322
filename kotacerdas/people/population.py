"""Population statistics of the register: who lives in an area, counted three ways.

Three aggregate queries per area, whatever its size (no per-person Python): one
grouped by sex, birth year, education, religion and marital status (a few
thousand rows for the whole city), one for the commonest occupations, one for
the sub-areas (kelurahan of the city, RW of a kelurahan, RT of an RW). Ages are
reached in the current year (birth-year cohorts), as BPS pyramids are.

Public figures go through :func:`suppress`: counts under a threshold are hidden,
and one more in the same distribution when a single hidden cell could be
rebuilt from the total.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from kotacerdas.people.models import Education, MaritalStatus, Person, Religion, Sex
from kotacerdas.regions.models import Region

BAND_YEARS = 5
OLDEST_BAND = 75  # "75+"
OCCUPATIONS_SHOWN = 12


@dataclass
class Unit:
    label: str
    male: int
    female: int
    key: str = ""  # the sub-area's code or number, for a link to its own figures

    @property
    def total(self) -> int:
        return self.male + self.female


@dataclass
class Population:
    area: str
    total: int = 0
    by_sex: dict[str, int] = field(default_factory=dict)
    pyramid: list[Unit] = field(default_factory=list)  # youngest band first
    distributions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    unit_label: str = ""


def band_of(age: int) -> int:
    return min(max(age, 0) // BAND_YEARS * BAND_YEARS, OLDEST_BAND)


def band_label(start: int) -> str:
    return f"{start}+" if start >= OLDEST_BAND else f"{start}–{start + BAND_YEARS - 1}"


def population(
    people: QuerySet[Person],
    *,
    area: str,
    units_by: tuple[str, str] | None,
    today: dt.date | None = None,
) -> Population:
    """The residents of ``people`` (already narrowed to an area), alive and living here.

    ``units_by`` is (the path to the sub-area's label, its heading), e.g.
    ``("rt__rw__number", "RW")``, or None for an RT.
    """
    year = (today or dt.date.today()).year
    living = people.filter(status=Person.Status.ALIVE).order_by()
    found = Population(area=area)
    sexes: Counter[str] = Counter()
    bands: dict[int, Counter[str]] = {start: Counter() for start in range(0, OLDEST_BAND + 1, 5)}
    counts: dict[str, Counter[str]] = {
        "education": Counter(),
        "religion": Counter(),
        "marital_status": Counter(),
    }
    akta = Count("pk", filter=~Q(birth_certificate_number=""))
    rows = living.values("sex", "education", "religion", "marital_status").annotate(
        born=ExtractYear("birth_date"), n=Count("pk"), with_akta=akta
    )
    certificates: Counter[str] = Counter()
    for typed in rows:
        row: dict[str, Any] = dict(typed)
        n = row["n"]
        certificates["yes"] += row["with_akta"]
        certificates["no"] += n - row["with_akta"]
        sexes[row["sex"]] += n
        bands[band_of(year - row["born"])][row["sex"]] += n
        for name, counter in counts.items():
            counter[row[name] or ""] += n
    found.total = sum(sexes.values())
    found.by_sex = {str(label): sexes[value] for value, label in Sex.choices}
    found.pyramid = [
        Unit(band_label(start), c[Sex.MALE], c[Sex.FEMALE]) for start, c in bands.items()
    ]
    not_recorded = _("Not recorded")
    for name, choices in (
        ("education", Education.choices),
        ("religion", Religion.choices),
        ("marital_status", MaritalStatus.choices),
    ):
        labels = dict(choices)
        found.distributions[name] = [
            (str(labels.get(value, not_recorded)) if value else not_recorded, n)
            for value, n in counts[name].most_common()
        ]
    found.distributions["occupation"] = _occupations(living, found.total)
    # Birth-certificate ownership: an akta number in the register (from SIAK or
    # OpenSID extracts, or a certificate issued here); none recorded is not "none".
    found.distributions["birth_certificate"] = [
        (_("Birth certificate number recorded"), certificates["yes"]),
        (_("No birth certificate number recorded"), certificates["no"]),
    ]
    if units_by is not None:
        path, found.unit_label = units_by
        found.units = _units(living, path)
    return found


def _occupations(living: QuerySet[Person], total: int) -> list[tuple[str, int]]:
    """The commonest occupations as typed (case-folded), the rest together."""
    rows = list(living.values("occupation").annotate(n=Count("pk")).order_by("-n", "occupation"))
    merged: Counter[str] = Counter()
    for row in rows:
        merged[" ".join(row["occupation"].split()).upper() or ""] += row["n"]
    not_recorded = merged.pop("", 0)
    top = merged.most_common(OCCUPATIONS_SHOWN)
    others = total - not_recorded - sum(n for _, n in top)
    result = [(name.title(), n) for name, n in top]
    if others:
        result.append((_("Other occupations"), others))
    if not_recorded:
        result.append((_("Not recorded"), not_recorded))
    return result


def _units(living: QuerySet[Person], path: str) -> list[Unit]:
    by_unit: dict[Any, Counter[str]] = {}
    for row in living.values(path, "sex").annotate(n=Count("pk")).order_by(path):
        by_unit.setdefault(row[path], Counter())[row["sex"]] += row["n"]
    names: dict[Any, str] = {}
    if path.endswith("kelurahan_id"):
        names = dict(Region.objects.filter(code__in=list(by_unit)).values_list("code", "name"))
    return [
        Unit(
            names.get(key, f"{key:02d}" if isinstance(key, int) else str(key)),
            counts[Sex.MALE],
            counts[Sex.FEMALE],
            key=str(key),
        )
        for key, counts in by_unit.items()
    ]


def suppress(values: list[int], threshold: int) -> list[int | None]:
    """Counts from 1 to ``threshold - 1`` hidden (None); if only one is hidden in a
    distribution whose total is shown, the next smallest is hidden too."""
    hidden = [0 < value < threshold for value in values]
    if sum(hidden) == 1 and len(values) > 1:
        candidates = [(value, i) for i, value in enumerate(values) if not hidden[i] and value > 0]
        if candidates:
            hidden[min(candidates)[1]] = True
    return [None if hide else value for value, hide in zip(values, hidden, strict=True)]
