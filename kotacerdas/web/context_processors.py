from __future__ import annotations

from django.http import HttpRequest

from kotacerdas.web.discovery import nav_links_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the top navigation offers this user (memberships are loaded once per request)."""
    user = getattr(request, "user", None)  # absent when an error page renders early
    if user is None or not user.is_authenticated:
        return {"staff_links": []}
    return {"staff_links": nav_links_for(user)}
