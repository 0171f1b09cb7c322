"""Who sees which figure in detail, and what everyone else sees.

- The Wali Kota's office (``city_leader``), the walidata (``data_steward``,
  DKIS) and the city administrator see every figure in detail.
- An agency sees its own programmes in detail, city-wide: members of an
  agency unit holding a role a service declares (a protection officer of
  DP3A: Wadul Bae; a Dinkes health officer: E-Posyandu), and the members of
  the agencies the services name in their settings (Disdukcapil: births;
  Dinkes: the hospital's figures too).
- A Lurah, Sekretaris Lurah or Camat sees every programme of their area (the
  unit's kelurahan or kecamatan) in detail.
- Everyone, signed in or not, sees the public figures: yearly totals per
  kelurahan and monthly totals for the city, small counts hidden.

"Detail" is the kelurahan × month grid, the breakdowns and unsuppressed
counts. The kelurahan page is for readers whose scope reaches the kelurahan
(404 outside it); a member with none of these roles gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Unit
from kotacerdas.accounts.roles import Role

LEADER_ROLES = {Role.CITY_LEADER, Role.DATA_STEWARD, Role.CITY_ADMIN}
HEAD_ROLES = {Role.LURAH, Role.SEKRETARIS_LURAH, Role.CAMAT}


def agency_programmes() -> dict[str, set[str]]:
    """{unit code: app labels} of the agencies the services' settings name."""
    return {
        settings.BIRTHS_REGISTRY_UNIT_CODE: {"births"},
        settings.POSYANDU_DINKES_UNIT_CODE: {"posyandu", "hospital"},
        settings.WADUL_UNIT_CODE: {"reports"},
    }


@cache
def _role_apps() -> dict[str, str]:
    """{role code: app label} of the roles the services declare."""
    found = {}
    for config in apps.get_app_configs():
        choices = getattr(config, "roles", None)
        if choices is not None and choices is not Role:
            for member in choices:
                found[str(member.value)] = config.label
    return found


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    programmes: frozenset[str] = frozenset()  # app labels in detail, city-wide
    areas: tuple[str, ...] = field(default=())  # kelurahan or kecamatan codes

    def in_area(self, kelurahan: str) -> bool:
        return any(kelurahan == code or kelurahan.startswith(f"{code}.") for code in self.areas)

    def detail(self, app: str, kelurahan: str | None = None) -> bool:
        """Whether the user sees this programme's figures in detail (for the kelurahan,
        or city-wide when ``kelurahan`` is None)."""
        if self.everything or app in self.programmes:
            return True
        return kelurahan is not None and self.in_area(kelurahan)

    def reaches(self, kelurahan: str) -> bool:
        return self.everything or bool(self.programmes) or self.in_area(kelurahan)

    @property
    def reads_dashboard(self) -> bool:
        return self.everything or bool(self.programmes) or bool(self.areas)


def scope_for(user: AnyUser) -> Scope:
    """The user's scope, from their memberships (loaded once per request)."""
    everything = False
    programmes: set[str] = set()
    areas: list[str] = []
    role_apps = _role_apps()
    unit_apps = agency_programmes()
    for membership in memberships(user):
        unit = membership.unit
        if membership.role in LEADER_ROLES:
            everything = True
        elif membership.role in HEAD_ROLES and unit.region_id:
            areas.append(unit.region_id)
        elif unit.kind == Unit.Kind.AGENCY:
            if membership.role in role_apps:
                programmes.add(role_apps[membership.role])
            programmes.update(unit_apps.get(unit.code, ()))
    return Scope(everything, frozenset(programmes), tuple(areas))


def reads_dashboard(user: AnyUser) -> bool:
    """The staff navigation's predicate: someone with a detailed view of something."""
    return scope_for(user).reads_dashboard


def require_kelurahan_reader(user: AnyUser, kelurahan: str) -> Scope:
    """The kelurahan page: 403 without a dashboard role, 404 outside the reader's scope."""
    scope = scope_for(user)
    if not scope.reads_dashboard:
        raise PermissionDenied
    if not scope.reaches(kelurahan):
        raise Http404
    return scope


def require_steward(user: AnyUser) -> None:
    """The collaboration registers: the walidata, the Wali Kota's office and the administrator."""
    if not scope_for(user).everything:
        raise PermissionDenied


def reads_everything(user: AnyUser) -> bool:
    return scope_for(user).everything
