"""The site's own address, for links that leave the request: a certificate's QR, an SMS.

A setting names the address where it must be fixed (production requires it:
a certificate carries its address for life). In development, with the setting
left empty, the address is the one actually served: the request's own when
there is one, else the one the last request to this site came in on (the
middleware below remembers it in the shared cache, so the task worker, another
process, prints the same address as the runserver it sits next to).

    base = public_base_url(settings.BIRTHS_PUBLIC_BASE_URL, request)
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

SERVED_KEY = "core:served-base-url"
# Before any request was served (a command run on its own): Django's runserver default.
FALLBACK = "http://127.0.0.1:8000"


def public_base_url(configured: str, request: HttpRequest | None = None) -> str:
    """``configured`` when set; otherwise the address this site is served on (no trailing /)."""
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return served_base(request)
    remembered = cache.get(SERVED_KEY)
    return remembered if isinstance(remembered, str) and remembered else FALLBACK


def served_base(request: HttpRequest) -> str:
    """Scheme, host and port the request came in on (its host is checked by ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


class RememberServedAddressMiddleware:
    """In development, remember the address requests arrive on for work done outside them.

    Only with DEBUG: production names its addresses in settings. The cache is
    written when the address changes, not on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.remembered = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            self.remember(request)
        return self.get_response(request)

    def remember(self, request: HttpRequest) -> None:
        try:
            base = served_base(request)
        except DisallowedHost:  # the response will say so; nothing to remember
            return
        if base != self.remembered:
            cache.set(SERVED_KEY, base, None)
            self.remembered = base
