from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class TrustedProxyMiddleware:
    """Behind our reverse proxy, the client is the address the proxy saw.

    Only when the request comes from an address in ``TRUSTED_PROXIES`` is
    the last entry of X-Forwarded-For (the one our proxy appended) taken as
    the client; anything earlier in that header was written by the client
    and is ignored. Lock-outs and audit events then name the real client,
    not the proxy that every request passes through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and request.META.get("REMOTE_ADDR") in self.trusted:
            request.META["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return self.get_response(request)
