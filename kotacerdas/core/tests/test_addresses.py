"""The site's own address for links that leave the request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kotacerdas.core.addresses import (
    FALLBACK,
    RememberServedAddressMiddleware,
    public_base_url,
)


def _served(host: str) -> HttpRequest:
    return RequestFactory().get("/", HTTP_HOST=host)


def test_a_configured_address_always_wins(settings: Any) -> None:
    assert public_base_url("https://layanan.cirebonkota.go.id/") == (
        "https://layanan.cirebonkota.go.id"
    )
    assert public_base_url("https://a.example", _served("127.0.0.1:8101")) == "https://a.example"


def test_without_one_the_request_says_where_the_site_is_served(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert public_base_url("", _served("127.0.0.1:8101")) == "http://127.0.0.1:8101"


def test_work_outside_a_request_uses_the_address_last_served_in_development(
    settings: Any,
) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    middleware = RememberServedAddressMiddleware(lambda request: HttpResponse())
    assert public_base_url("") == FALLBACK  # nothing served yet
    settings.DEBUG = False  # production names its addresses; nothing is remembered
    middleware(_served("localhost:9000"))
    assert public_base_url("") == FALLBACK
    settings.DEBUG = True
    middleware(_served("127.0.0.1:8101"))
    assert public_base_url("") == "http://127.0.0.1:8101"
    middleware(_served("evil.example"))  # a host the site does not serve changes nothing
    assert public_base_url("") == "http://127.0.0.1:8101"
