"""Who works on which dataset (the Satu Data workflow); the public reads only published ones.

- The walidata (``data_steward``, DKIS) and the city administrator review every
  dataset and approve the yearly Daftar Data.
- A producing agency's staff (members of the agency's unit the services'
  settings name, or members of an agency unit holding a role the dataset's
  service declares) draft their datasets' metadata and submit them; a
  viewer's membership drafts nothing.
- Anyone else on the staff gets 403 on the workflow pages; a dataset outside
  a member's agencies is 404.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Unit
from kotacerdas.accounts.roles import Role
from kotacerdas.opendata.catalogue import PRODUCERS
from kotacerdas.opendata.models import Dataset

STEWARD_ROLES = {Role.DATA_STEWARD, Role.CITY_ADMIN}


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


def is_steward(user: AnyUser) -> bool:
    return any(m.role in STEWARD_ROLES for m in memberships(user))


def _producer_units() -> set[str]:
    """Unit codes of the producing agencies the catalogue names (from the services' settings)."""
    return {
        str(getattr(settings, producer.unit_setting, ""))
        for producer in PRODUCERS.values()
        if producer.unit_setting
    } - {""}


def _producer_q(user: AnyUser) -> Q | None:
    """Which datasets the member produces, or None: members of a producing agency's unit,
    and agency members holding a role a service declares (that service's datasets)."""
    units: set[str] = set()
    apps_: set[str] = set()
    producers = _producer_units()
    role_apps = _role_apps()
    for membership in memberships(user):
        if membership.role == Role.VIEWER:
            continue
        if membership.unit.code in producers:
            units.add(membership.unit.code)
        if membership.unit.kind == Unit.Kind.AGENCY and membership.role in role_apps:
            apps_.add(role_apps[membership.role])
    if not units and not apps_:
        return None
    where = Q(organization__unit_code__in=units)
    for app in apps_:
        where |= Q(figure__startswith=f"{app}.")
    return where


def works_on_data(user: AnyUser) -> bool:
    """The navigation's predicate (no query): the walidata, or staff of a producing agency."""
    return is_steward(user) or _producer_q(user) is not None


def datasets_for(user: AnyUser) -> QuerySet[Dataset]:
    """The datasets the member drafts or reviews; 403 for a member who does neither."""
    if is_steward(user):
        return Dataset.objects.all()
    where = _producer_q(user)
    if where is None:
        raise PermissionDenied
    return Dataset.objects.filter(where)


def dataset_for(user: AnyUser, name: str) -> Dataset:
    found = datasets_for(user).select_related("organization").filter(name=name).first()
    if found is None:
        raise Http404
    return found


def require_steward(user: AnyUser) -> None:
    if not is_steward(user):
        raise PermissionDenied


def published_dataset(name: str) -> Dataset:
    """A published dataset by name for the public pages, 404 otherwise."""
    found = Dataset.objects.published().select_related("organization").filter(name=name).first()
    if found is None:
        raise Http404
    return found
