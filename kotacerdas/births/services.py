"""Brojol Aja Klalen's entries on the home page (appended in web/services.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.births.access import is_birth_staff, reads_registry
from kotacerdas.web.services import Service

PROGRAMME = "Brojol Aja Klalen"


def _anyone(user: AnyUser) -> bool:
    return True


def _declaring_staff(user: AnyUser) -> bool:
    return is_birth_staff(user) and not reads_registry(user)


SERVICES: list[Service] = [
    Service(
        PROGRAMME,
        _("Report a birth"),
        _(
            "Parents, midwives and kelurahan report a birth online; the birth certificate "
            "(akta) is ready to download as soon as Disdukcapil registers it."
        ),
        "births:start",
        _anyone,
    ),
    Service(
        PROGRAMME,
        _("Birth reports"),
        _("Reports started by your puskesmas, hospital, kelurahan or RW, and where they stand."),
        "births:list",
        _declaring_staff,
    ),
    Service(
        PROGRAMME,
        _("Birth registration queues"),
        _(
            "To validate, possible duplicates, sent back, late approval, ready to register, "
            "ready to print."
        ),
        "births:queues",
        reads_registry,
    ),
    Service(
        PROGRAMME,
        _("Births dashboard"),
        _("Reported and registered per kelurahan and month, on time and late, completeness."),
        "births:dashboard",
        reads_registry,
    ),
]
