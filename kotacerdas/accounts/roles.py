"""Every role a membership can hold, gathered from the apps that declare them.

The floor's roles are :class:`Role` below. Each service declares its own on
its ``AppConfig`` (see ``kotacerdas.web.declarations.ServiceConfig``):

- ``roles``: a ``TextChoices`` class, one member per role (the value is the
  code stored in ``Membership.role``; never change a code that is in use);
- ``second_factor_roles``: the codes whose holders must pass a second factor.

``Membership.role`` takes its choices from :func:`role_choices`; a migration
stores the function's path, not the list, so a new role needs no migration in
``accounts``. This module imports no model and no other app: it is read by
``apps.py`` modules before the models are loaded.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The floor's roles: administration, the register, SMS, read-only members."""

    CITY_ADMIN = "city_admin", _("City administrator")
    REGISTRAR = "registrar", _("Civil registry officer (Disdukcapil)")
    KELURAHAN_OFFICER = "kelurahan_officer", _("Kelurahan officer")
    RW_OPERATOR = "rw_operator", _("RW operator")
    # The heads who sign and who read their area's figures (letters, the dashboard).
    LURAH = "lurah", _("Lurah (head of kelurahan)")
    SEKRETARIS_LURAH = "sekretaris_lurah", _("Sekretaris Lurah")
    CAMAT = "camat", _("Camat (head of kecamatan)")
    CITY_LEADER = "city_leader", _("Wali Kota's office (city leadership)")
    DATA_STEWARD = "data_steward", _("Walidata (DKIS, Satu Data)")
    SMS_OPERATOR = "sms_operator", _("SMS gateway operator")
    VIEWER = "viewer", _("Viewer (read only)")


# Roles that may change the residents register within their unit's area.
PEOPLE_EDITORS = {Role.CITY_ADMIN, Role.REGISTRAR, Role.KELURAHAN_OFFICER, Role.RW_OPERATOR}
# The floor's roles whose reach (a whole city's personal data) demands a second factor.
FLOOR_SECOND_FACTOR_ROLES = frozenset({Role.CITY_ADMIN, Role.REGISTRAR})


def role_choices() -> list[tuple[str, str | Promise]]:
    """(code, label) of every declared role, the floor's first, then in INSTALLED_APPS order.

    The viewer stays last, where the membership form has always shown it.
    """
    declared: list[tuple[str, str | Promise]] = []
    for config in apps.get_app_configs():
        choices: type[models.TextChoices] | None = getattr(config, "roles", None)
        if choices is not None:
            declared += [(str(member.value), member.label) for member in choices]
    viewer = [(code, label) for code, label in declared if code == Role.VIEWER]
    return [(code, label) for code, label in declared if code != Role.VIEWER] + viewer


def role_codes() -> set[str]:
    return {code for code, _label in role_choices()}


def second_factor_roles() -> frozenset[str]:
    """Codes of the roles whose holders must pass the second factor."""
    codes: set[str] = set()
    for config in apps.get_app_configs():
        codes |= {str(code) for code in getattr(config, "second_factor_roles", ())}
    return frozenset(codes)
