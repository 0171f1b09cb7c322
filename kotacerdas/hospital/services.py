"""Cirebon Lengko's entries on the home page (web.services appends them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.hospital import access

if TYPE_CHECKING:
    from kotacerdas.web.services import Service


def _anyone(user: AnyUser) -> bool:
    return True


def _clerk(user: AnyUser) -> bool:
    return bool(access.unit_ids(user, access.CLERK | {access.Role.VIEWER}))


def _clinic(user: AnyUser) -> bool:
    return bool(access.unit_ids(user, access.CLINIC | {access.Role.VIEWER}))


def services() -> list[Service]:
    # Imported here: web.services calls this while it is being imported.
    from kotacerdas.web.services import Service

    return [
        Service(
            "Cirebon Lengko",
            _("Book a clinic visit at RSD Gunung Jati"),
            _("Choose a clinic, a day and a doctor; get a queue number and follow the queue."),
            "hospital:index",
            _anyone,
        ),
        Service(
            "Cirebon Lengko",
            _("Free beds at RSD Gunung Jati"),
            _("Inpatient beds by room class: total, occupied, free and waiting, live."),
            "hospital:beds",
            _anyone,
        ),
        Service(
            "Cirebon Lengko",
            _("Registration counter"),
            _("Today's sessions, walk-in patients, new patients to register."),
            "hospital:counter",
            _clerk,
        ),
        Service(
            "Cirebon Lengko",
            _("Clinic queues"),
            _("Call the next patient, call again, skip, mark served."),
            "hospital:clinic-today",
            _clinic,
        ),
        Service(
            "Cirebon Lengko",
            _("Nurse station: beds"),
            _("One tap changes a bed's status; the public page follows."),
            "hospital:nurse-station",
            access.is_ward_staff,
        ),
    ]
