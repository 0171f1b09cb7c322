from __future__ import annotations

from django.test import Client

from kotacerdas.audit.models import AuditEvent


def _sign_in(client: Client, password: str):
    return client.post("/masuk/", {"username": "rw01", "password": password})


def test_behind_the_proxy_the_client_address_comes_from_the_proxy_header(rw_operator, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")

    _sign_in(client, "pw-rw01")

    # The first entry was written by the client; the last by our proxy.
    assert AuditEvent.objects.get(action="user.sign_in").client_address == "10.1.2.3"


def test_a_forwarded_header_from_anyone_else_is_ignored(rw_operator, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="10.1.2.3")

    _sign_in(client, "pw-rw01")

    assert AuditEvent.objects.get(action="user.sign_in").client_address == "10.9.9.9"


def test_failures_from_one_client_do_not_lock_out_others_behind_the_proxy(
    rw_operator, kelurahan_officer, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.6.6.6")
    for name in ["a", "b", "c", "d", "e", "f"]:
        attacker.post("/masuk/", {"username": name, "password": "wrong"})
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1")

    response = colleague.post("/masuk/", {"username": "kel", "password": "pw-kel"})

    assert response.status_code == 302
    assert attacker.post("/masuk/", {"username": "kel", "password": "pw-kel"}).status_code == 429
