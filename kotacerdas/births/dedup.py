"""Possible duplicates of a declaration, found when it is submitted.

After OpenCRVS's rules, with the NIK of the mother as the strong key:
1. the same mother's NIK with a child born within a few days
   (``BIRTHS_DUPLICATE_DAYS``) — unless both are declared as a multiple
   birth with different child numbers (twins);
2. a near-identical child's name and mother's name, born within a year;
3. a child already in the register, in the same family, with the same birth date.
The registrar decides; nothing is merged automatically.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from kotacerdas.births.models import BirthType, Declaration
from kotacerdas.people.models import Person

SIMILAR = 0.88


@dataclass
class Match:
    reason: str
    other: Declaration | None = None
    person: Person | None = None


def normalise(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace(".", " ").split())


def similar(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR)


def _twins(a: Declaration, b: Declaration) -> bool:
    return (
        a.birth_type != BirthType.SINGLE
        and b.birth_type != BirthType.SINGLE
        and a.birth_order != b.birth_order
    )


def find_duplicates(declaration: Declaration) -> list[Match]:
    days = dt.timedelta(days=settings.BIRTHS_DUPLICATE_DAYS)
    year = dt.timedelta(days=365)
    born = declaration.birth_date
    others = (
        Declaration.objects.exclude(pk=declaration.pk)
        .exclude(status__in=[Declaration.Status.DRAFT, Declaration.Status.DUPLICATE])
        .filter(
            Q(mother_nik=declaration.mother_nik, birth_date__range=(born - days, born + days))
            | Q(
                birth_date__range=(born - year, born + year),
                child_sex=declaration.child_sex,
                child_name__istartswith=declaration.child_name.strip()[:1],
            )
        )
    )
    matches: list[Match] = []
    for other in others:
        if other.mother_nik == declaration.mother_nik and abs((other.birth_date - born).days) <= (
            settings.BIRTHS_DUPLICATE_DAYS
        ):
            if not _twins(declaration, other):
                matches.append(
                    Match(_("Same mother's NIK, child born within a few days"), other=other)
                )
        elif similar(other.child_name, declaration.child_name) and similar(
            other.mother_name, declaration.mother_name
        ):
            matches.append(Match(_("Nearly the same child's and mother's names"), other=other))
    if declaration.family_id is not None:
        for person in Person.objects.filter(family_id=declaration.family_id, birth_date=born):
            if person.pk != declaration.child_id and not (
                declaration.birth_type != BirthType.SINGLE
                and not similar(person.name, declaration.child_name)
            ):
                matches.append(
                    Match(
                        _("A child with this birth date is already on the family card"),
                        person=person,
                    )
                )
    return matches
