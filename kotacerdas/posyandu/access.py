"""Who may see which posyandu, its children and its mothers.

- A cadre (``POSYANDU_CADRE`` on a posyandu unit) sees and records for that posyandu.
- A health officer (``HEALTH_OFFICER``) of a puskesmas sees the posyandu of its
  kecamatan (and any posyandu it supervises); of Dinkes, the whole city.
- A read-only member (``VIEWER``) of one of those units sees the same, changes nothing.

Outside the user's posyandu: 404. A reader trying to change: 403. Someone
with no posyandu role at all: 403 on the list pages.
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kotacerdas.accounts.access import NOTHING, AnyUser, memberships
from kotacerdas.accounts.models import Membership, Role, Unit
from kotacerdas.people.models import Person
from kotacerdas.posyandu import children
from kotacerdas.posyandu.models import (
    Alert,
    AntenatalVisit,
    Measurement,
    Posyandu,
    Pregnancy,
)
from kotacerdas.posyandu.roles import PosyanduRole
from kotacerdas.regions.models import Region

WRITERS = {PosyanduRole.POSYANDU_CADRE, PosyanduRole.HEALTH_OFFICER}
# Not Q(): an empty Q vanishes when or-ed with another.
EVERYTHING = Q(pk__isnull=False)


def _is_health_unit(unit: Unit) -> bool:
    return unit.kind in (Unit.Kind.POSYANDU, Unit.Kind.PUSKESMAS) or (
        unit.code == settings.POSYANDU_DINKES_UNIT_CODE
    )


def _membership_q(m: Membership) -> Q:
    unit = m.unit
    if m.role == PosyanduRole.POSYANDU_CADRE:
        return Q(unit_id=unit.pk) if unit.kind == Unit.Kind.POSYANDU else NOTHING
    if m.role not in (PosyanduRole.HEALTH_OFFICER, Role.VIEWER) or not _is_health_unit(unit):
        return NOTHING
    if unit.kind == Unit.Kind.POSYANDU:
        return Q(unit_id=unit.pk)
    if unit.kind == Unit.Kind.PUSKESMAS:
        q = Q(puskesmas_id=unit.pk)
        region = unit.region
        if region is not None and region.level == Region.Level.KECAMATAN:
            q |= Q(rw__kelurahan__code__startswith=f"{region.code}.")
        return q
    return EVERYTHING  # Dinkes: the city


def _q(user: AnyUser, roles: Collection[str] | None = None) -> Q:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    q = NOTHING
    for m in memberships(user):
        if roles is None or m.role in roles:
            q |= _membership_q(m)
    return q


def is_posyandu_staff(user: AnyUser) -> bool:
    return any(_membership_q(m) != NOTHING for m in memberships(user))


def require_posyandu_staff(user: AnyUser) -> None:
    if not is_posyandu_staff(user):
        raise PermissionDenied


def posyandu_for_user(user: AnyUser, *, write: bool = False) -> QuerySet[Posyandu]:
    return Posyandu.objects.filter(_q(user, WRITERS if write else None))


def _writable_ids(user: AnyUser) -> set[int]:
    cached: set[int] | None = getattr(user, "_posyandu_writable", None)
    if cached is None:
        cached = set(posyandu_for_user(user, write=True).values_list("pk", flat=True))
        if user.is_authenticated:
            user._posyandu_writable = cached  # type: ignore[union-attr,attr-defined]
    return cached


def get_posyandu_for_user(user: AnyUser, posyandu_id: int, *, write: bool = False) -> Posyandu:
    posyandu = (
        posyandu_for_user(user)
        .select_related("rw__kelurahan", "puskesmas", "unit")
        .filter(pk=posyandu_id)
        .first()
    )
    if posyandu is None:
        raise Http404
    if write and posyandu.pk not in _writable_ids(user):
        raise PermissionDenied
    return posyandu


def children_for_user(user: AnyUser) -> QuerySet[Person]:
    """The children under five of the user's posyandu (today)."""
    rws = posyandu_for_user(user).values("rw_id")
    return children.under_five().filter(rt__rw_id__in=rws)


def get_child_for_user(user: AnyUser, child_id: int, *, write: bool = False) -> Posyandu:
    """The posyandu through which the user reaches the child (404 if none; 403 to change as reader)."""
    child = children.under_five().filter(pk=child_id).select_related("rt").first()
    if child is None:
        raise Http404
    posyandu = (
        posyandu_for_user(user)
        .filter(rw_id=child.rt.rw_id)
        .select_related("rw__kelurahan", "puskesmas", "unit")
        .order_by("pk")
        .first()
    )
    if posyandu is None:
        raise Http404
    if write and posyandu.pk not in _writable_ids(user):
        raise PermissionDenied
    posyandu.child = child  # type: ignore[attr-defined]
    return posyandu


def measurements_for_user(user: AnyUser) -> QuerySet[Measurement]:
    return Measurement.objects.filter(posyandu__in=posyandu_for_user(user))


def alerts_for_user(user: AnyUser) -> QuerySet[Alert]:
    return Alert.objects.filter(posyandu__in=posyandu_for_user(user))


def get_alert_for_user(user: AnyUser, alert_id: int, *, write: bool = False) -> Alert:
    alert = alerts_for_user(user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    if write and alert.posyandu_id not in _writable_ids(user):
        raise PermissionDenied
    return alert


def pregnancies_for_user(user: AnyUser) -> QuerySet[Pregnancy]:
    return Pregnancy.objects.filter(posyandu__in=posyandu_for_user(user))


def get_pregnancy_for_user(user: AnyUser, pregnancy_id: int, *, write: bool = False) -> Pregnancy:
    pregnancy = (
        pregnancies_for_user(user)
        .select_related("woman", "posyandu__rw__kelurahan")
        .filter(pk=pregnancy_id)
        .first()
    )
    if pregnancy is None:
        raise Http404
    if write and pregnancy.posyandu_id not in _writable_ids(user):
        raise PermissionDenied
    return pregnancy


def visits_for_user(user: AnyUser) -> QuerySet[AntenatalVisit]:
    return AntenatalVisit.objects.filter(pregnancy__in=pregnancies_for_user(user))


def women_for_user(user: AnyUser) -> QuerySet[Person]:
    """Women of the user's posyandu RWs (to record a pregnancy)."""
    rws = posyandu_for_user(user).values("rw_id")
    return Person.objects.filter(
        rt__rw_id__in=rws, sex="F", status=Person.Status.ALIVE
    ).select_related("rt__rw")


def can_write(user: AnyUser, posyandu: Posyandu) -> bool:
    return posyandu.pk in _writable_ids(user)
