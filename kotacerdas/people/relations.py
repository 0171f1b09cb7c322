"""Who is whose parent on a family card: the register's one reading of it.

Used by ``people.access.persons_citizen_may_act_for`` (a parent acts for her
children) and by services that need the parents (posyandu's mother of a child).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kotacerdas.people.models import Person, Relationship


@dataclass
class Parents:
    mother: Person | None
    father: Person | None
    from_record: bool  # set by a cadre rather than read from the family card


# The child's own relationship in the KK, and who its parents are then.
_PARENT_ROLES = {
    Relationship.CHILD: (Relationship.HEAD, Relationship.WIFE, Relationship.HUSBAND),
    Relationship.GRANDCHILD: (Relationship.CHILD, Relationship.CHILD_IN_LAW),
}


def parents_from_family(child: Person, members: Iterable[Person]) -> Parents:
    """Mother and father as the family card shows them, where it is unambiguous.

    A child (SHDK 4) of the head: the female one of head/wife/husband is the
    mother, the male one the father. A grandchild (SHDK 6) with exactly one
    child and one child-in-law of the head of each sex: those two. Otherwise
    unknown (the cadre sets them).
    """
    roles = _PARENT_ROLES.get(Relationship(child.relationship)) if child.relationship else None
    if roles is None or child.family_id is None:
        return Parents(None, None, False)
    adults = [
        m
        for m in members
        if m.pk != child.pk
        and m.relationship in roles
        and m.birth_date is not None
        and m.birth_date < child.birth_date
    ]
    women = [m for m in adults if m.sex == "F"]
    men = [m for m in adults if m.sex == "M"]
    return Parents(women[0] if len(women) == 1 else None, men[0] if len(men) == 1 else None, False)


def years_before(day: dt.date, years: int) -> dt.date:
    """The birth date of someone turning ``years`` on ``day`` (29 February → 1 March)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 3, 1)
