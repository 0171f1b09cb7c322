"""The URLconf of the SMS gateways' lean path (``kotacerdas.wsgi.GatewayHandler``).

The same ``/sms/`` URLs as in ``kotacerdas.urls``, and nothing else. Errors
are answered in plain text: the site's error pages need the session and the
signed-in user, which this path does not load, and a gateway reads no HTML.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

urlpatterns = [path("sms/", include("kotacerdas.messaging.gateway_urls"))]


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _plain(400, "Bad Request")


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _plain(403, "Forbidden")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _plain(404, "Not Found")


def server_error(request: HttpRequest, *args: Any) -> HttpResponse:
    return _plain(500, "Server Error")


handler400 = bad_request
handler403 = forbidden
handler404 = not_found
handler500 = server_error
