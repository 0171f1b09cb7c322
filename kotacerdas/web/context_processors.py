from __future__ import annotations

from django.http import HttpRequest

from kotacerdas.accounts.access import reads_any_register
from kotacerdas.messaging.access import can_read_log
from kotacerdas.reports.access import is_protection_staff


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the top navigation offers this user (memberships are loaded once per request)."""
    user = getattr(request, "user", None)  # absent when an error page renders early
    if user is None or not user.is_authenticated:
        return {"can_read_sms_log": False, "is_protection_staff": False, "reads_register": False}
    return {
        "can_read_sms_log": can_read_log(user),
        "is_protection_staff": is_protection_staff(user),
        "reads_register": reads_any_register(user),
    }
