"""Sessions kept alive for their idle time, written at most once a minute."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User

pytestmark = pytest.mark.django_db


def _expiry(client: Client) -> Any:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_is_written_again_only_once_its_last_write_is_a_minute_old(
    rw_operator: User, settings: Any
) -> None:
    settings.SESSION_TOUCH_SECONDS = 60
    client = Client()
    client.force_login(rw_operator)
    client.get(reverse("people:person-list"))
    written = _expiry(client)
    with mock.patch("kotacerdas.web.middleware.time.time", return_value=_now() + 30):
        client.get(reverse("people:person-list"))
    assert _expiry(client) == written  # no write within the minute
    with mock.patch("kotacerdas.web.middleware.time.time", return_value=_now() + 61):
        client.get(reverse("people:person-list"))
    assert _expiry(client) > written  # the idle time starts again
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_anonymous_visitors_get_no_session(client: Client) -> None:
    client.get(reverse("web:home"))
    assert not Session.objects.exists() and settings_cookie(client) is None


def settings_cookie(client: Client) -> Any:
    from django.conf import settings

    return client.cookies.get(settings.SESSION_COOKIE_NAME)


def _now() -> float:
    import time

    return time.time()
