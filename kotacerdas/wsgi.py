"""The WSGI application gunicorn serves: Django, with a lean path for the SMS gateways.

Kannel (and a webhook provider) call ``/sms/…`` once for every message in and
every delivery report, so under a rush these are most of the requests. They
need none of what the full middleware stack does for people: no session, no
CSRF (the views are exempt), no sign-in, language, messages, OTP or lock-out
bookkeeping, no CSP for a page nobody renders. Through the full stack (and
the full URLconf, which has every service's URLs before ``sms/``) one of them
cost more than the INSERT it exists for.

So ``/sms/`` goes to :class:`GatewayHandler`: Django's own WSGI handler with
``GATEWAY_MIDDLEWARE`` and a URLconf of the gateway URLs alone. Who may call
is unchanged: the views check the token in the URL and the caller's address
(``messaging.gateway_views.check_gateway``), and ``TrustedProxyMiddleware``
still puts the client's address behind our proxy into ``REMOTE_ADDR`` first.
Every other path goes through the full stack as before. (ASGI serves
everything through the full stack.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponseBase
from django.urls import get_resolver
from django.utils.module_loading import import_string

GATEWAY_PREFIX = "/sms/"
GATEWAY_URLCONF = "kotacerdas.urls_gateways"
# In the order of settings.MIDDLEWARE: the client's address behind our proxy
# (the views' allow-list needs it), HTTPS redirect and security headers, and
# ALLOWED_HOSTS (CommonMiddleware checks the host).
GATEWAY_MIDDLEWARE = [
    "kotacerdas.web.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]


class GatewayHandler(WSGIHandler):
    """Django's WSGI handler with ``GATEWAY_MIDDLEWARE`` and ``GATEWAY_URLCONF`` only."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware for a fixed list of synchronous middleware.
        if is_async:
            raise NotImplementedError("the gateway handler serves WSGI only")
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(GATEWAY_MIDDLEWARE):
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = GATEWAY_URLCONF
        return super().get_response(request)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
site = get_wsgi_application()
gateways = GatewayHandler()
# Every URL module, and with them every view, imported as the worker starts:
# otherwise the first request each worker serves imports them (the API's
# schema library among them), and under a rush that request and the ones
# queued behind it waited about a second.
get_resolver().url_patterns  # noqa: B018 (a cached property: reading it loads it)
get_resolver(GATEWAY_URLCONF).url_patterns  # noqa: B018


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO", "").startswith(GATEWAY_PREFIX):
        return gateways(environ, start_response)
    return site(environ, start_response)
