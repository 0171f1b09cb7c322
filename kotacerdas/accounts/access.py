"""Who may see which part of the city.

A member sees the area of the unit they belong to: an RW unit its RW, a
kelurahan office its kelurahan, a kecamatan office its kecamatan, a city
agency the whole city. Apps build their own querysets from ``area_q``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from kotacerdas.accounts.models import Membership, Role, Unit, User
from kotacerdas.regions.models import Region

NOTHING = Q(pk__in=[])
REGISTER_ROLES = {Role.CITY_ADMIN, Role.REGISTRAR, Role.KELURAHAN_OFFICER, Role.RW_OPERATOR}
TERRITORIAL_UNITS = {Unit.Kind.KECAMATAN, Unit.Kind.KELURAHAN, Unit.Kind.RW}
# What request.user is: views pass it straight in.
AnyUser = User | AnonymousUser


class StaffRequest(HttpRequest):
    """A request past LoginRequiredMiddleware: ``user`` is signed in."""

    user: User  # type: ignore[assignment]


def memberships(user: AnyUser) -> list[Membership]:
    """The user's memberships, loaded once per request."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit__region"))
        user._memberships_cache = cached  # type: ignore[attr-defined]
    return cached


def area_q(membership: Membership, rw_path: str) -> Q:
    """A filter for objects whose RW is reached by ``rw_path`` (e.g. ``rt__rw``)."""
    unit = membership.unit
    if unit.rw_id is not None:
        return Q(**{f"{rw_path}_id": unit.rw_id})
    region = unit.region
    if region is None:
        return NOTHING
    if region.level == Region.Level.KELURAHAN:
        return Q(**{f"{rw_path}__kelurahan_id": region.code})
    return Q(**{f"{rw_path}__kelurahan__code__startswith": f"{region.code}."})


def scope_q(user: AnyUser, rw_path: str, *, roles: set[Role] | None = None) -> Q:
    """Union of the areas of the user's memberships that read the register.

    Only register roles count (see ``reads_register``): an SMS operator or a
    protection officer belongs to a city-wide unit, but that gives them no
    view of the residents. ``roles`` narrows further (e.g. to editors).
    """
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    q = NOTHING
    for membership in memberships(user):
        if reads_register(membership) and (roles is None or membership.role in roles):
            q |= area_q(membership, rw_path)
    return q


def reads_register(membership: Membership) -> bool:
    """Register roles, and read-only members of the territorial offices (RW up to kecamatan)."""
    if membership.role in REGISTER_ROLES:
        return True
    return membership.role == Role.VIEWER and membership.unit.kind in TERRITORIAL_UNITS


def reaches_beyond_a_kelurahan(user: AnyUser) -> bool:
    """True for members of kecamatan and city-wide units (large lists)."""
    return any(
        m.unit.rw_id is None
        and m.unit.region is not None
        and m.unit.region.level != Region.Level.KELURAHAN
        for m in memberships(user)
    )


def needs_second_factor(user: AnyUser) -> bool:
    return user.is_authenticated and (
        user.is_superuser or any(m.needs_second_factor for m in memberships(user))
    )


def reads_any_register(user: AnyUser) -> bool:
    return any(reads_register(m) for m in memberships(user))


def require_register_reader(user: AnyUser) -> None:
    """Register pages: a member without a register role gets 403."""
    if not reads_any_register(user):
        raise PermissionDenied


class AreaQuerySet(QuerySet[Any]):
    """For models that sit in an RW: ``for_user`` keeps what the user's units cover.

    Subclasses name the path from the model to its RW (``rt__rw`` for a
    resident). ``roles`` narrows to memberships with those roles (e.g. the
    ones that may edit).
    """

    rw_path: ClassVar[str] = "rw"

    def for_user(self, user: AnyUser, *, roles: set[Role] | None = None) -> QuerySet[Any]:
        return self.filter(scope_q(user, self.rw_path, roles=roles))
