from __future__ import annotations

from django.http import HttpRequest

from kotacerdas.messaging.access import can_read_log


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the top navigation offers this user (memberships are loaded once per request)."""
    user = getattr(request, "user", None)
    return {"can_read_sms_log": user is not None and user.is_authenticated and can_read_log(user)}
