"""A staff session ends after SESSION_COOKIE_AGE idle, without a write on every request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session as StoredSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.web.middleware import SESSION_REFRESHED_KEY

pytestmark = pytest.mark.django_db


def stored_expiry(client: Client) -> Any:
    return StoredSession.objects.get(session_key=client.session.session_key).expire_date


def session_writes(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return sum(
        1
        for q in ctx.captured_queries
        if '"django_session"' in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    )


def test_requests_within_a_minute_do_not_write_the_session(rw_operator: User) -> None:
    client = signed_in(rw_operator)
    path = reverse("people:person-list")
    client.get(path)  # the first request marks the session refreshed

    assert session_writes(client, path) == 0
    assert session_writes(client, path) == 0


def test_a_request_after_the_refresh_interval_moves_the_expiry_forward(
    rw_operator: User, settings: Any
) -> None:
    client = signed_in(rw_operator)
    path = reverse("people:person-list")
    client.get(path)
    before = stored_expiry(client)
    session = client.session
    session[SESSION_REFRESHED_KEY] -= settings.SESSION_REFRESH_SECONDS  # a minute ago
    session.save()

    assert session_writes(client, path) == 1
    assert stored_expiry(client) > before
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_an_idle_session_still_ends(rw_operator: User) -> None:
    client = signed_in(rw_operator)
    path = reverse("people:person-list")
    client.get(path)
    StoredSession.objects.update(expire_date="2000-01-01T00:00Z")

    assert client.get(path).status_code == 302  # back to the sign-in page


def test_anonymous_visitors_get_no_session() -> None:
    client = Client()
    client.get(reverse("web:home"))

    assert not StoredSession.objects.exists()
