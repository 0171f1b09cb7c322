"""Where to go after a step (sign-in, second factor): only ever a path on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a path on this site, else "" (no open redirect).

    Only absolute paths: a bare word would be taken by ``redirect`` for a URL
    name and fail after the code was already used; ``//host`` and
    ``https://host`` are another site.
    """
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return ""
