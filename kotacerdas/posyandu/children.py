"""Children under five and their parents, read from the people register."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from kotacerdas.people.models import Person
from kotacerdas.people.relations import Parents, parents_from_family, years_before

__all__ = [
    "Parents",
    "five_years_before",
    "mothers_children",
    "parents_from_family",
    "parents_of",
    "under_five",
    "under_five_q",
    "under_five_q_matches",
]


def five_years_before(day: dt.date) -> dt.date:
    """The birth date of a child turning five on ``day`` (29 February → 1 March)."""
    return years_before(day, 5)


def under_five_q(day: dt.date, prefix: str = "") -> Q:
    """Born on or before ``day`` and less than five years old on it, alive."""
    return Q(
        **{
            f"{prefix}birth_date__gt": five_years_before(day),
            f"{prefix}birth_date__lte": day,
            f"{prefix}status": Person.Status.ALIVE,
        }
    )


def under_five(day: dt.date | None = None) -> QuerySet[Person]:
    return Person.objects.filter(under_five_q(day or timezone.localdate()))


def parents_of(child: Person) -> Parents:
    from kotacerdas.posyandu.models import ChildRecord

    record = ChildRecord.objects.filter(child=child).select_related("mother", "father").first()
    derived = (
        parents_from_family(child, child.family.members.all())
        if child.family_id is not None and child.family is not None
        else Parents(None, None, False)
    )
    if record is None:
        return derived
    return Parents(
        record.mother or derived.mother,
        record.father or derived.father,
        bool(record.mother_id or record.father_id),
    )


def mothers_children(mother: Person, day: dt.date | None = None) -> list[Person]:
    """The children under five whose mother is ``mother`` (by record or by family card)."""
    from kotacerdas.posyandu.models import ChildRecord

    day = day or timezone.localdate()
    recorded = set(ChildRecord.objects.filter(mother=mother).values_list("child_id", flat=True))
    others_recorded = set(
        ChildRecord.objects.exclude(mother=mother)
        .filter(mother__isnull=False)
        .values_list("child_id", flat=True)
    )
    found: dict[int, Person] = {
        c.pk: c for c in Person.objects.filter(under_five_q(day), pk__in=recorded)
    }
    if mother.family_id is not None:
        members = list(mother.family.members.all()) if mother.family else []
        for member in members:
            if (
                member.pk in found
                or member.pk in others_recorded
                or not under_five_q_matches(member, day)
            ):
                continue
            if parents_from_family(member, members).mother == mother:
                found[member.pk] = member
    return sorted(found.values(), key=lambda c: (c.birth_date, c.pk))


def under_five_q_matches(person: Person, day: dt.date) -> bool:
    return (
        person.status == Person.Status.ALIVE and five_years_before(day) < person.birth_date <= day
    )
