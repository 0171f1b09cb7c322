"""Look-ups in the register by someone outside the person's area.

Two roles reach the whole register through a NIK or a No. KK without a scope
over the person found: a protection officer linking a person to a Wadul Bae
case (``people.actions.look_up_nik``), and an RW operator whose form or import
hits a number registered elsewhere in the city. Both count against one limit,
``register_lookup`` (settings.RATE_LIMITS), per user.

An operator hears the same plain refusal for any number that cannot be used in
their area, never where it is registered; once the limit is used up, every
number not already in their area gets the "too many" answer, whether it is
registered elsewhere or new, so a refusal no longer tells anything. See docs/operations.md, "Register
look-ups by other roles".
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core import limits

LIMIT = "register_lookup"


def _key(user: User) -> str:
    return f"user:{user.pk}"


def count_lookup(user: User) -> bool:
    """Count one look-up outside the user's area; True while within the limit."""
    return limits.hit(LIMIT, _key(user))


def lookups_exhausted(user: User) -> bool:
    return limits.exhausted(LIMIT, _key(user))


def out_of_area_message(what: Literal["nik", "kk"]) -> str:
    """The same words whether the number is registered elsewhere or the limit is
    used up: the operator learns only that it cannot be used here."""
    if what == "nik":
        return _(
            "This NIK cannot be registered in your area. If the person lives here, "
            "ask the kelurahan office to move their record."
        )
    return _(
        "This No. KK cannot be used in your area. If the family lives here, "
        "ask the kelurahan office to move its record."
    )


def too_many_message() -> str:
    return _(
        "Too many numbers from outside your area were looked up in the last hour. "
        "Try again later, or ask the kelurahan office."
    )


def refusal_outside(user: User, what: Literal["nik", "kk"], *, elsewhere: bool) -> str | None:
    """Why a number that is not registered in the user's area cannot be used,
    or None when it is new and may be registered. ``elsewhere``: it is
    registered outside the user's area (that look-up is counted)."""
    if lookups_exhausted(user):
        return too_many_message()
    if not elsewhere:
        return None
    if not count_lookup(user):
        return too_many_message()
    return out_of_area_message(what)
