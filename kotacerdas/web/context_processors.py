from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser, reads_any_register
from kotacerdas.births.access import is_birth_staff, reads_registry
from kotacerdas.hospital.access import is_queue_staff, is_ward_staff
from kotacerdas.messaging.access import can_read_log
from kotacerdas.posyandu.access import is_posyandu_staff
from kotacerdas.reports.access import is_protection_staff


def staff_links(user: AnyUser) -> list[tuple[str | Promise, str]]:
    """(label, URL) of each staff area the user works in, in the order of the home page."""
    links: list[tuple[str | Promise, str]] = []
    if reads_any_register(user):
        links += [(_("Residents"), "people:person-list"), (_("Families"), "people:family-list")]
    if is_posyandu_staff(user):
        links.append((_("Posyandu"), "posyandu:home"))
    if reads_registry(user):
        links.append((_("Births"), "births:queues"))
    elif is_birth_staff(user):
        links.append((_("Births"), "births:list"))
    if is_queue_staff(user):
        links.append((_("Clinics"), "hospital:clinic-today"))
    if is_ward_staff(user):
        links.append((_("Beds"), "hospital:nurse-station"))
    if is_protection_staff(user):
        links.append((_("Wadul Bae"), "reports:triage"))
    if can_read_log(user):
        links.append((_("SMS"), "messaging:log"))
    return [(label, reverse(name)) for label, name in links]


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the top navigation offers this user (memberships are loaded once per request)."""
    user = getattr(request, "user", None)  # absent when an error page renders early
    if user is None or not user.is_authenticated:
        return {"staff_links": []}
    return {"staff_links": staff_links(user)}
