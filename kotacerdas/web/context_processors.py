from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from kotacerdas.people.access import CITIZEN_SESSION_KEY, current_citizen
from kotacerdas.people.identity import mask_phone
from kotacerdas.web.discovery import nav_links_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the top navigation offers this user (memberships are loaded once per request)."""
    user = getattr(request, "user", None)  # absent when an error page renders early
    if user is None or not user.is_authenticated:
        return {"staff_links": []}
    return {"staff_links": nav_links_for(user)}


def citizen(request: HttpRequest) -> dict[str, object]:
    """Who the header says is signed in with a phone code: the linked person's first
    name, or the number masked (never in full: the phone may be shared)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return {}  # no session: nobody signed in, and the session stays untouched
    if CITIZEN_SESSION_KEY not in request.session:
        return {}
    found = current_citizen(request)
    if found is None:
        return {}
    if found.person is not None and found.person.name.strip():
        return {"citizen_label": found.person.name.split()[0].capitalize()}
    return {"citizen_label": mask_phone(found.phone)}
