"""Who may see and change which WiFi points.

- A WiFi officer (``WIFI_OFFICER``) of the DKIS unit (``LITERACY_DKIS_UNIT_CODE``)
  or of any city-wide unit sees and changes every point, and registers new ones;
  of a kecamatan or kelurahan office, the points of that area.
- A read-only member (``VIEWER``) or the walidata (``DATA_STEWARD``) of the DKIS
  unit sees every point and changes nothing; a lurah or camat sees their area's.
- Points awaiting details (registered by the importer, no kelurahan yet) are
  seen by city-wide members only.

Outside the user's area: 404. A reader trying to change: 403. Someone with no
Melet role at all: 403 on the staff pages.
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kotacerdas.accounts.access import NOTHING, AnyUser, memberships
from kotacerdas.accounts.models import Membership, Role
from kotacerdas.literacy.models import ClassSession, Outage, Point
from kotacerdas.literacy.roles import LiteracyRole
from kotacerdas.regions.models import Region

WRITERS = {LiteracyRole.WIFI_OFFICER}
DKIS_READERS = {Role.VIEWER, Role.DATA_STEWARD}
AREA_READERS = {Role.LURAH, Role.SEKRETARIS_LURAH, Role.CAMAT}
# Not Q(): an empty Q vanishes when or-ed with another.
EVERYTHING = Q(pk__isnull=False)


def _area_q(m: Membership) -> Q:
    region = m.unit.region
    if region is None:
        return NOTHING
    if region.level in (Region.Level.KOTA, Region.Level.PROVINSI):
        return EVERYTHING
    if region.level == Region.Level.KELURAHAN:
        return Q(kelurahan_id=region.code)
    return Q(kelurahan__code__startswith=f"{region.code}.")


def _membership_q(m: Membership) -> Q:
    if m.role == LiteracyRole.WIFI_OFFICER:
        if m.unit.code == settings.LITERACY_DKIS_UNIT_CODE:
            return EVERYTHING
        return _area_q(m)
    if m.role in DKIS_READERS and m.unit.code == settings.LITERACY_DKIS_UNIT_CODE:
        return EVERYTHING
    if m.role in AREA_READERS:
        return _area_q(m)
    return NOTHING


def _q(user: AnyUser, roles: Collection[str] | None = None) -> Q:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    q = NOTHING
    for m in memberships(user):
        if roles is None or m.role in roles:
            q |= _membership_q(m)
    return q


def is_wifi_staff(user: AnyUser) -> bool:
    """The staff pages of the WiFi register (nav link, list)."""
    return any(_membership_q(m) != NOTHING for m in memberships(user))


def require_wifi_staff(user: AnyUser) -> None:
    if not is_wifi_staff(user):
        raise PermissionDenied


def registers_points(user: AnyUser) -> bool:
    """May add new points: a WiFi officer of the city (DKIS)."""
    return any(
        m.role == LiteracyRole.WIFI_OFFICER and _membership_q(m) == EVERYTHING
        for m in memberships(user)
    )


def points_for_user(user: AnyUser, *, write: bool = False) -> QuerySet[Point]:
    return Point.objects.filter(_q(user, WRITERS if write else None))


def get_point_for_user(user: AnyUser, point_id: int, *, write: bool = False) -> Point:
    point = points_for_user(user).select_related("kelurahan").filter(pk=point_id).first()
    if point is None:
        raise Http404
    if write and not points_for_user(user, write=True).filter(pk=point.pk).exists():
        raise PermissionDenied
    return point


def get_outage_for_user(user: AnyUser, outage_id: int, *, write: bool = False) -> Outage:
    outage = (
        Outage.objects.filter(point__in=points_for_user(user))
        .select_related("point")
        .filter(pk=outage_id)
        .first()
    )
    if outage is None:
        raise Http404
    if write and not points_for_user(user, write=True).filter(pk=outage.point_id).exists():
        raise PermissionDenied
    return outage


def can_write(user: AnyUser, point: Point) -> bool:
    return points_for_user(user, write=True).filter(pk=point.pk).exists()


# ---------------------------------------------------------------------------
# Classes
#
# - A WiFi officer of the DKIS unit (city-wide) creates and edits every class
#   and may run any class's door.
# - A trainer or volunteer (``CLASS_TRAINER``) sees and runs the door of the
#   classes they are named on (trainer or volunteer); others: 404.
# - A read-only DKIS member (viewer, walidata) sees every class, changes nothing (403).


def organises_classes(user: AnyUser) -> bool:
    """May create and edit classes: a WiFi officer of the city (DKIS)."""
    return registers_points(user)


def _reads_all_classes(user: AnyUser) -> bool:
    return organises_classes(user) or any(
        m.role in DKIS_READERS and m.unit.code == settings.LITERACY_DKIS_UNIT_CODE
        for m in memberships(user)
    )


def _trains(user: AnyUser) -> bool:
    return any(m.role == LiteracyRole.CLASS_TRAINER for m in memberships(user))


def is_class_staff(user: AnyUser) -> bool:
    """The staff pages of the classes (nav link, list)."""
    return _reads_all_classes(user) or _trains(user)


def require_class_staff(user: AnyUser) -> None:
    if not is_class_staff(user):
        raise PermissionDenied


def classes_for_user(user: AnyUser) -> QuerySet[ClassSession]:
    if _reads_all_classes(user):
        return ClassSession.objects.all()
    if _trains(user):
        return ClassSession.objects.filter(Q(trainer=user) | Q(volunteers=user)).distinct()
    return ClassSession.objects.none()


def runs_door(user: AnyUser, session: ClassSession) -> bool:
    if organises_classes(user):
        return True
    if user.pk is None or not _trains(user):
        return False
    return session.trainer_id == user.pk or session.volunteers.filter(pk=user.pk).exists()


def get_class_for_user(
    user: AnyUser, session_id: int, *, write: bool = False, door: bool = False
) -> ClassSession:
    """The class, if the user sees it (else 404); ``write``: organisers only,
    ``door``: who runs its door (else 403)."""
    session = (
        classes_for_user(user)
        .select_related("kelurahan", "point", "trainer")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    if write and not organises_classes(user):
        raise PermissionDenied
    if door and not runs_door(user, session):
        raise PermissionDenied
    return session
