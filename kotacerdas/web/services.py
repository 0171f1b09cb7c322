"""The services the platform offers, as the home page lists them.

The platform's own entries are listed here; each service app (posyandu,
births, hospital) keeps its entries, and their translations, in its own
``services`` module, gathered once by :func:`all_services`. An entry shows
only to users its ``may_use`` lets in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser, reads_any_register
from kotacerdas.messaging.access import can_read_log
from kotacerdas.reports.access import coordinated_school_ids, is_protection_staff


@dataclass(frozen=True)
class Service:
    programme: str | Promise
    title: str | Promise
    description: str | Promise
    url_name: str
    may_use: Callable[[AnyUser], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def _anyone(user: AnyUser) -> bool:
    return True


CORE_SERVICES = [
    Service(
        "Cirebon Sedulur",
        _("Residents register"),
        _("Residents and families of each RW, kept by the RW and kelurahan."),
        "people:person-list",
        reads_any_register,
    ),
    Service(
        "Cirebon Sedulur",
        _("Family cards"),
        _("Families (Kartu Keluarga) and their members."),
        "people:family-list",
        reads_any_register,
    ),
    Service(
        "Wadul Bae",
        _("Report harm to a child or a mother"),
        _(
            "Violence, bullying, neglect, child marriage: tell the city's protection unit, anonymously if you wish. Also by SMS: WADUL <story>."
        ),
        "reports:report",
        _anyone,
    ),
    Service(
        "Wadul Bae",
        _("Check a report's stage"),
        _("With the tracking code you received (or by SMS: CEK <code>)."),
        "reports:status",
        _anyone,
    ),
    Service(
        "Wadul Bae",
        _("Triage and cases"),
        _("Reports waiting for triage, open cases, overdue deadlines."),
        "reports:triage",
        is_protection_staff,
    ),
    Service(
        "Wadul Bae",
        _("Wadul Bae at school"),
        _("Register pupil reporters and follow what they sent."),
        "reports:school",
        lambda user: bool(coordinated_school_ids(user)),
    ),
    Service(
        _("For citizens"),
        _("Sign in with your mobile number"),
        _("A code by SMS, no password: the start of the services that need to know you."),
        "messaging:citizen-sign-in",
        _anyone,
    ),
    Service(
        _("SMS gateway"),
        _("SMS log"),
        _("Messages in and out, failed messages to send again, daily counts."),
        "messaging:log",
        can_read_log,
    ),
]

OPEN_SERVICES = [
    Service(
        _("Open data"),
        _("Regions of Kota Cirebon"),
        _("Kecamatan, kelurahan, RW and RT with their official codes (JSON)."),
        "api-1.0.0:list_regions",
        _anyone,
    ),
    Service(
        _("For developers"),
        _("API documentation"),
        _("The platform's JSON API (OpenAPI 3)."),
        "api-1.0.0:openapi-view",
        _anyone,
    ),
]


@cache
def all_services() -> list[Service]:
    """Every entry, grouped by programme as the home page shows them."""
    # Imported here: the apps' modules import Service from this one.
    from kotacerdas.births.services import SERVICES as births
    from kotacerdas.hospital.services import services as hospital
    from kotacerdas.posyandu.services import services as posyandu

    return [*CORE_SERVICES, *posyandu(), *births, *hospital(), *OPEN_SERVICES]  # type: ignore[list-item]


def services_for(user: AnyUser) -> list[Service]:
    return [service for service in all_services() if service.may_use(user)]
