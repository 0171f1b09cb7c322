"""Who may see the SMS log and act on it; which citizen is signed in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Role
from kotacerdas.messaging.models import Citizen, Message
from kotacerdas.regions.models import Region

OPERATORS = {Role.SMS_OPERATOR, Role.CITY_ADMIN}
# Roles that need a full phone number (to chase a failed delivery with the operator).
NUMBER_READERS = {Role.CITY_ADMIN}
CITIZEN_SESSION_KEY = "citizen_id"


def can_operate(user: AnyUser) -> bool:
    return any(m.role in OPERATORS for m in memberships(user))


def can_read_log(user: AnyUser) -> bool:
    """Operators, and read-only members of a city-wide unit (e.g. DKIS supervisors)."""
    return can_operate(user) or any(
        m.role == Role.VIEWER
        and m.unit.region is not None
        and m.unit.region.level == Region.Level.KOTA
        for m in memberships(user)
    )


def can_read_numbers(user: AnyUser) -> bool:
    return any(m.role in NUMBER_READERS for m in memberships(user))


def messages_for_user(user: AnyUser) -> QuerySet[Message]:
    if not can_read_log(user):
        raise PermissionDenied
    return Message.objects.all()


def get_message_for_user(user: AnyUser, message_id: int, *, write: bool = False) -> Message:
    """404 for someone who may not read the log, 403 for a reader who may not act."""
    if not can_read_log(user):
        raise Http404
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404
    if write and not can_operate(user):
        raise PermissionDenied
    return message


def current_citizen(request: HttpRequest) -> Citizen | None:
    citizen_id = request.session.get(CITIZEN_SESSION_KEY)
    if citizen_id is None:
        return None
    return Citizen.objects.filter(pk=citizen_id).first()


def to_citizen_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    """To the phone sign-in, which brings the citizen back to this page afterwards."""
    url = reverse("messaging:citizen-sign-in") + "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)
