"""The generic webhook gateway: signed JSON out to a provider, signed JSON in from it."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.messaging.actions import deliver, send_sms
from kotacerdas.messaging.adapters.webhook import WebhookAdapter
from kotacerdas.messaging.models import Message

SECRET = "rahasia-bersama-penyedia-sms"
TOKEN = "token-masuk-yang-panjang-dan-acak"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class FakeProvider:
    """A provider's send API: checks our signature, answers what the test says."""

    url: str = ""
    status: int = 200
    answer: bytes = b'{"id": "prov-1"}'
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0


@pytest.fixture
def provider(settings: Any) -> Iterator[FakeProvider]:
    fake = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if not hmac.compare_digest(self.headers.get("X-Signature", ""), sign(body)):
                fake.bad_signatures += 1
                self.send_response(401)
                self.end_headers()
                return
            fake.received.append(json.loads(body))
            time.sleep(fake.delay)
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(fake.answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    settings.SMS_WEBHOOK_URL = fake.url
    settings.SMS_WEBHOOK_SECRET = SECRET
    settings.SMS_SENDER = "1717"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def queued(text: str = "Kode masuk Anda 482913") -> Message:
    return Message.objects.create(
        direction="out", adapter="webhook", phone="+6281234567890", text=text, status="queued"
    )


def test_an_sms_is_posted_signed_and_the_provider_id_kept(
    db: Any, provider: FakeProvider, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms(
            "0812-3456-7890", "Antrean Anda: A-017 😊", purpose="t", adapter="webhook"
        )

    message.refresh_from_db()
    assert provider.bad_signatures == 0
    assert provider.received == [
        {"id": message.pk, "to": "+6281234567890", "from": "1717", "text": "Antrean Anda: A-017 😊"}
    ]
    assert message.status == Message.Status.SENT
    assert message.gateway_id == "prov-1"


@pytest.mark.parametrize(
    ("status", "answer", "retry"),
    [
        (400, b'{"error": "invalid number"}', False),
        (401, b"", False),
        (422, b"", False),
        (429, b"slow down", True),
        (500, b"", True),
        (503, b"maintenance", True),
    ],
)
def test_a_refusal_fails_at_once_and_a_server_error_is_tried_again(
    db: Any, provider: FakeProvider, status: int, answer: bytes, retry: bool
) -> None:
    provider.status, provider.answer = status, answer
    message = queued()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.attempts == 1
    assert f"HTTP {status}" in message.last_error
    if retry:
        assert message.status == Message.Status.QUEUED
        assert message.next_attempt_at is not None
    else:
        assert message.status == Message.Status.FAILED


def test_no_answer_in_time_is_tried_again(
    db: Any, provider: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WebhookAdapter, "timeout", 0.2)
    provider.delay = 1.0
    message = queued()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.next_attempt_at is not None
    assert "unreachable" in message.last_error


def test_a_provider_that_is_down_is_tried_again(db: Any, settings: Any) -> None:
    settings.SMS_WEBHOOK_URL = "http://127.0.0.1:9/v1/sms"  # nothing listens on discard
    settings.SMS_WEBHOOK_SECRET = SECRET
    message = queued()

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert "unreachable" in message.last_error


def test_an_accepted_message_without_an_id_is_not_sent_twice(
    db: Any, provider: FakeProvider
) -> None:
    provider.answer = b"OK"
    message = queued()

    deliver(message.pk)
    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.gateway_id == ""
    assert len(provider.received) == 1


# Inbound and status reports ---------------------------------------------------


@pytest.fixture
def gateway(settings: Any) -> Client:
    settings.SMS_INBOUND_TOKEN = TOKEN
    settings.SMS_WEBHOOK_SECRET = SECRET
    return Client(REMOTE_ADDR="203.0.113.7")  # a provider, not on our allow-list


def post(client: Client, name: str, payload: Any, *, signature: str | None = None) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"X-Signature": sign(body) if signature is None else signature}
    url = reverse(f"sms-gateway:{name}", args=[TOKEN])
    return client.post(url, body, content_type="application/json", headers=headers)


INBOUND = {
    "id": "in-9f2c",
    "from": "+6281234567890",
    "to": "1717",
    "text": "INFO jadwal posyandu",
    "time": "2026-03-01T02:15:00Z",
}


def test_an_inbound_sms_is_stored_once_and_answered_with_our_id(
    db: Any, gateway: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = post(gateway, "webhook-inbound", INBOUND)
        again = post(gateway, "webhook-inbound", INBOUND)

    message = Message.objects.get(direction="in")
    assert first.status_code == 200
    assert first.json() == {"ok": True, "message": message.pk, "duplicate": False}
    assert again.json() == {"ok": True, "message": message.pk, "duplicate": True}
    assert message.adapter == "webhook"
    assert message.gateway_id == "in-9f2c"
    assert message.phone == "+6281234567890"
    assert message.our_number == "1717"
    assert message.text == "INFO jadwal posyandu"
    assert message.gateway_time is not None
    assert message.gateway_time.isoformat() == "2026-03-01T02:15:00+00:00"
    assert message.status == Message.Status.PROCESSED


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, sign(b"another body")])
def test_a_bad_or_missing_signature_stores_nothing(
    db: Any, gateway: Client, signature: str
) -> None:
    response = post(gateway, "webhook-inbound", INBOUND, signature=signature)

    assert response.status_code == 401
    assert "X-Signature" in response.json()["error"]
    assert not Message.objects.exists()


def test_a_signature_with_another_secret_is_refused(db: Any, gateway: Client) -> None:
    body = json.dumps(INBOUND).encode()
    response = post(gateway, "webhook-inbound", body, signature=sign(body, "tebakan"))

    assert response.status_code == 401
    assert not Message.objects.exists()


def test_a_wrong_token_is_not_found(db: Any, gateway: Client) -> None:
    body = json.dumps(INBOUND).encode()
    url = reverse("sms-gateway:webhook-inbound", args=["tebakan"])
    response = gateway.post(
        url, body, content_type="application/json", headers={"X-Signature": sign(body)}
    )

    assert response.status_code == 404
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "the body is not JSON"),
        (b"[1, 2]", "the body must be a JSON object"),
        (json.dumps({**INBOUND, "from": ""}).encode(), '"from" must be'),
        (json.dumps({**INBOUND, "text": 12}).encode(), '"text" must be a string'),
    ],
)
def test_bad_json_gets_a_clear_error_and_stores_nothing(
    db: Any, gateway: Client, body: bytes, error: str
) -> None:
    response = post(gateway, "webhook-inbound", body)

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert response.json()["error"].startswith(error)
    assert not Message.objects.exists()


def test_only_post_is_allowed(db: Any, gateway: Client) -> None:
    response = gateway.get(reverse("sms-gateway:webhook-inbound", args=[TOKEN]))

    assert response.status_code == 405


def test_a_delivery_report_by_provider_id_or_our_id(db: Any, gateway: Client) -> None:
    by_provider = Message.objects.create(
        direction="out",
        adapter="webhook",
        phone="+6281234567890",
        text="a",
        status="sent",
        gateway_id="prov-77",
    )
    by_ours = Message.objects.create(
        direction="out",
        adapter="webhook",
        phone="+6281234567890",
        text="b",
        status="sent",
        gateway_id="prov-78",
    )

    delivered = post(gateway, "webhook-status", {"id": "prov-77", "status": "delivered"})
    failed = post(
        gateway, "webhook-status", {"id": by_ours.pk, "status": "FAILED", "error": "absent"}
    )
    late = post(gateway, "webhook-status", {"id": "prov-77", "status": "sent"})

    by_provider.refresh_from_db()
    by_ours.refresh_from_db()
    assert delivered.json() == {"ok": True, "message": by_provider.pk, "changed": True}
    assert by_provider.status == Message.Status.DELIVERED
    assert by_provider.delivered_at is not None
    assert failed.json() == {"ok": True, "message": by_ours.pk, "changed": True}
    assert by_ours.status == Message.Status.FAILED
    assert by_ours.last_error == "absent"
    # A report that comes late never moves a message backwards.
    assert late.json()["changed"] is False
    by_provider.refresh_from_db()
    assert by_provider.status == Message.Status.DELIVERED


@pytest.mark.parametrize(
    ("payload", "status_code"),
    [
        ({"id": "prov-404", "status": "delivered"}, 404),
        ({"id": "²", "status": "delivered"}, 404),  # str.isdigit() says yes, int() no
        ({"id": "prov-1", "status": "read"}, 400),
        ({"status": "delivered"}, 400),
    ],
)
def test_a_report_we_cannot_use_is_refused(
    db: Any, gateway: Client, payload: dict[str, Any], status_code: int
) -> None:
    message = Message.objects.create(
        direction="out",
        adapter="kannel",
        phone="+6281234567890",
        text="a",
        status="sent",
        gateway_id="prov-1",
    )

    response = post(gateway, "webhook-status", payload)

    assert response.status_code == status_code
    assert response.json()["ok"] is False
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_report_with_a_bad_signature_changes_nothing(db: Any, gateway: Client) -> None:
    message = Message.objects.create(
        direction="out",
        adapter="webhook",
        phone="+6281234567890",
        text="a",
        status="sent",
        gateway_id="prov-5",
    )

    response = post(
        gateway, "webhook-status", {"id": "prov-5", "status": "delivered"}, signature="x"
    )

    assert response.status_code == 401
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
