from __future__ import annotations

from django.test import Client
from django.urls import reverse

from kotacerdas.audit.models import AuditEvent


def _attempt(client: Client, username: str, password: str):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_signing_in_and_out_is_audited(rw_operator):
    client = Client()

    assert _attempt(client, "rw01", "pw-rw01").status_code == 302
    assert client.post(reverse("web:logout")).status_code == 302
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "user.sign_in",
        "user.sign_out",
    ]


def test_a_wrong_password_says_so(rw_operator):
    response = _attempt(Client(), "rw01", "wrong")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failures_lock_the_account_and_say_for_how_long(rw_operator, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "rw01", "wrong").status_code == 200

    locked = _attempt(client, "rw01", "wrong")
    even_right = _attempt(Client(REMOTE_ADDR="10.9.9.9"), "rw01", "pw-rw01")

    assert locked.status_code == 429
    assert "15" in locked.text
    assert even_right.status_code == 429


def test_the_session_expires_after_30_idle_minutes(rw_operator):
    client = Client()
    _attempt(client, "rw01", "pw-rw01")

    client.get(reverse("people:person-list"))

    assert client.session.get_expiry_age() == 30 * 60
    assert client.session.get_expire_at_browser_close()
