"""Who may see the SMS log and act on it; where a citizen signs in.

Which citizen is signed in is the register's answer (``people.access.current_citizen``);
it is re-exported here for the sign-in views that set it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Role
from kotacerdas.messaging.models import Message
from kotacerdas.people.access import CITIZEN_SESSION_KEY, current_citizen
from kotacerdas.regions.models import Region

__all__ = [
    "CITIZEN_SESSION_KEY",
    "can_operate",
    "can_read_log",
    "can_read_numbers",
    "current_citizen",
    "get_message_for_user",
    "messages_for_user",
    "to_citizen_sign_in",
]

OPERATORS = {Role.SMS_OPERATOR, Role.CITY_ADMIN}
# Roles that need a full phone number (to chase a failed delivery with the operator).
NUMBER_READERS = {Role.CITY_ADMIN}


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


def to_citizen_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    """To the phone sign-in, which brings the citizen back to this page afterwards."""
    url = reverse("messaging:citizen-sign-in") + "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)
