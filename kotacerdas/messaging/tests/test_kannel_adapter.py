"""Kannel without Kannel: sendsms is a small HTTP server in the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from kotacerdas.core.outbound import OutboundInTransaction
from kotacerdas.messaging import outbox, router
from kotacerdas.messaging.actions import send_sms
from kotacerdas.messaging.adapters.kannel import KannelAdapter
from kotacerdas.messaging.models import Message

TOKEN = "kannel-test-token-0123456789abcdef"
S = Message.Status


@dataclass
class FakeSendsms:
    """Answers every request with ``status``/``body`` after ``delay`` seconds."""

    url: str = ""
    status: int = 202
    body: bytes = b"0: Accepted for delivery"
    delay: float = 0.0
    requests: list[dict[str, bytes]] = field(default_factory=list)
    # Set: the first requests wait here until that many are open at once.
    together: threading.Barrier | None = None


@pytest.fixture
def sendsms(settings: Any) -> Iterator[FakeSendsms]:
    fake = FakeSendsms()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = urlsplit(self.path).query
            fields = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
            fake.requests.append({key: value.encode("latin-1") for key, value in fields})
            if fake.together is not None and len(fake.requests) <= fake.together.parties:
                try:
                    fake.together.wait()
                except threading.BrokenBarrierError:  # one at a time: a gateway error
                    self.send_error(503)
                    return
            time.sleep(fake.delay)
            self.send_response(fake.status)
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/sendsms"
    settings.KANNEL_SENDSMS_URL = fake.url
    settings.KANNEL_USERNAME = "kotacerdas"
    settings.KANNEL_PASSWORD = "sendsms-secret"
    settings.KANNEL_SMSC = ""
    settings.SMS_SENDER = "1717"
    settings.SMS_CALLBACK_BASE_URL = "http://web.internal:8000"
    settings.SMS_INBOUND_TOKEN = TOKEN
    settings.SMS_INBOUND_ALLOWED_IPS = ["127.0.0.1"]
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def echo() -> Iterator[list[str]]:
    seen: list[str] = []

    def handle(message: Message, rest: str) -> str:
        seen.append(rest)
        return f"Terima kasih: {rest}"

    router.register("ECHO", handle, help="ECHO <teks>")
    yield seen
    router.unregister("ECHO")


def _send(text: str, capture: Any) -> Message:
    with capture(execute=True):
        message = send_sms("081234567890", text, purpose="test", adapter="kannel")
    message.refresh_from_db()
    return message


# Sending ----------------------------------------------------------------------


def test_an_accepted_message_is_sent_with_a_delivery_report_url(
    db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    message = _send("Laporan WB-7K3Q diterima.", django_capture_on_commit_callbacks)

    assert message.status == S.SENT
    assert message.gateway_id == str(message.pk)
    [request] = sendsms.requests
    assert request["username"] == b"kotacerdas"
    assert request["password"] == b"sendsms-secret"
    assert request["from"] == b"1717"
    assert request["to"] == b"+6281234567890"
    assert request["text"] == b"Laporan WB-7K3Q diterima."
    assert request["dlr-mask"] == b"19"
    assert request["dlr-url"] == (
        f"http://web.internal:8000/sms/kannel/{TOKEN}/dlr"
        f"?message={message.pk}&status=%d&answer=%A".encode()
    )
    assert "coding" not in request
    assert "smsc" not in request


def test_queued_for_later_counts_as_accepted_and_the_smsc_is_named(
    db: Any, settings: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    sendsms.body = b"3: Queued for later delivery"
    settings.KANNEL_SMSC = "telkomsel"

    message = _send("Halo", django_capture_on_commit_callbacks)

    assert message.status == S.SENT
    assert sendsms.requests[0]["smsc"] == b"telkomsel"


def test_text_beyond_gsm7_goes_as_ucs2_utf16_without_charset(
    db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    text = "Salam 😀 مرحبا"

    message = _send(text, django_capture_on_commit_callbacks)

    assert message.status == S.SENT
    [request] = sendsms.requests
    assert request["coding"] == b"2"
    assert request["text"] == text.encode("utf-16-be")
    assert "charset" not in request


def test_a_refused_message_fails_at_once(
    db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    sendsms.status, sendsms.body = 403, b"Authorization failed for sendsms"

    message = _send("Halo", django_capture_on_commit_callbacks)

    assert message.status == S.FAILED
    assert message.attempts == 1
    assert message.last_error == "Kannel 403: Authorization failed for sendsms"
    assert "sendsms-secret" not in message.last_error


def test_a_temporary_failure_is_retried_later(
    db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    sendsms.status, sendsms.body = 503, b"Temporal failure, try again later."

    message = _send("Halo", django_capture_on_commit_callbacks)

    assert message.status == S.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at is not None
    assert message.last_error.startswith("Kannel 503")


def test_a_silent_kannel_is_retried_later(
    db: Any,
    sendsms: FakeSendsms,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(KannelAdapter, "timeout", 0.2)
    sendsms.delay = 1.0

    started = time.monotonic()
    message = _send("Halo", django_capture_on_commit_callbacks)

    assert time.monotonic() - started < 1.0
    assert message.status == S.QUEUED
    assert message.next_attempt_at is not None
    assert "unreachable" in message.last_error


def test_kannel_down_is_retried_later(
    db: Any, settings: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KANNEL_SENDSMS_URL = "http://127.0.0.1:9/cgi-bin/sendsms"  # nothing listens

    message = _send("Halo", django_capture_on_commit_callbacks)

    assert message.status == S.QUEUED
    assert message.attempts == 1
    assert "unreachable" in message.last_error


def _queued_for_kannel(count: int) -> list[Message]:
    return Message.objects.bulk_create(
        Message(
            direction="out", adapter="kannel", phone=f"+62812{n:08d}", text="Halo", status=S.QUEUED
        )
        for n in range(count)
    )


@pytest.fixture
def parallel_senders(settings: Any) -> Iterator[None]:
    settings.SMS_SEND_CONCURRENCY = 4
    try:
        yield
    finally:
        outbox.stop_senders()  # their database connections, before the test database goes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_calls_kannel_in_parallel_and_sends_each_message_once(
    sendsms: FakeSendsms, parallel_senders: None
) -> None:
    """sendsms answers once bearerbox has the message: a worker keeps several calls open.

    The fake answers none of the first four until four are open at once (one
    call at a time would be refused with 503 and the message queued again).
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the sending threads have connections of their own")
    sendsms.together = threading.Barrier(4, timeout=10)
    messages = _queued_for_kannel(30)

    assert outbox.deliver()["batch"] == 30

    assert sorted(r["to"] for r in sendsms.requests) == sorted(m.phone.encode() for m in messages)
    assert Message.objects.filter(status=S.SENT, attempts=1).count() == 30
    assert set(Message.objects.values_list("gateway_id", flat=True)) == {
        str(m.pk) for m in messages
    }


def test_parallel_calls_refuse_to_start_inside_a_transaction(
    db: Any, sendsms: FakeSendsms, settings: Any
) -> None:
    """The sending threads hold no transaction; the worker that starts them must not either."""
    settings.SMS_SEND_CONCURRENCY = 4
    _queued_for_kannel(3)

    with pytest.raises(OutboundInTransaction), transaction.atomic():
        outbox.deliver()
    assert sendsms.requests == []


# Receiving --------------------------------------------------------------------


def _inbound_url(query: str, token: str = TOKEN) -> str:
    return f"/sms/kannel/{token}/masuk?{query}"


def _query(
    text: bytes, *, id: str = "a1b2c3d4-0000-4000-8000-000000000001", coding: int = 0
) -> str:
    """What Kannel's get-url would send: every field in the query (refused now)."""
    charset = "UTF-16BE" if coding == 2 else "UTF-8"
    return (
        f"sender=%2B6281234567890&to=1717&text={quote(text, safe='')}&coding={coding}"
        f"&charset={charset}&id={id}&ts=1795940920&smsc=sms-centre"
    )


def _post(
    text: str,
    *,
    id: str = "a1b2c3d4-0000-4000-8000-000000000001",
    coding: int = 0,
    sender: str = "+6281234567890",
    client: Client | None = None,
    token: str = TOKEN,
) -> Any:
    """What the shipped post-url sends: text as the body, the sender in a header."""
    charset = "UTF-16BE" if coding == 2 else "UTF-8"
    query = f"to=1717&coding={coding}&charset={charset}&id={id}&ts=1795940920&smsc=sms-centre"
    return (client or Client()).post(
        _inbound_url(query, token=token),
        data=text,  # the test client encodes it in the charset below
        content_type=f"text/plain; charset={charset}",
        headers={"X-Kannel-From": sender, "X-Kannel-Coding": str(coding)} if sender else {},
    )


def test_an_inbound_sms_is_stored_routed_and_answered_through_sendsms(
    db: Any, sendsms: FakeSendsms, echo: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post("ECHO  halo kota")

    assert response.status_code == 200
    assert response.content == b""
    message = Message.objects.get(direction="in")
    assert message.adapter == "kannel"
    assert message.gateway_id == "a1b2c3d4-0000-4000-8000-000000000001"
    assert message.phone == "+6281234567890"
    assert message.our_number == "1717"
    assert message.gateway_time is not None and message.gateway_time.year == 2026
    assert message.status == S.PROCESSED
    assert echo == ["halo kota"]
    [request] = sendsms.requests
    assert request["to"] == b"+6281234567890"
    assert request["text"] == b"Terima kasih: halo kota"


def test_the_same_kannel_message_twice_is_stored_and_answered_once(
    db: Any, sendsms: FakeSendsms, echo: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post("ECHO sekali")
        assert response.status_code == 200

    assert Message.objects.filter(direction="in").count() == 1
    assert echo == ["sekali"]
    assert len(sendsms.requests) == 1


def test_ucs2_text_arrives_whole_with_emoji_and_arabic_script(
    db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    text = "Tolong 😢 anak + ibu مرحبا بكم, RT 03/RW 05"

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(text, coding=2)

    assert response.status_code == 200
    message = Message.objects.get(direction="in")
    assert message.text == text
    assert message.encoding == "ucs2"


def test_a_post_from_kannel_carries_the_text_in_its_body(
    db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any
) -> None:
    text = "Salam 😀 مرحبا"

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            _inbound_url("sender=%2B6281234567890&to=1717&id=post-1&ts=1795940920"),
            data=text,  # the test client encodes it in the charset below
            content_type="text/plain; charset=UTF-16BE",
            headers={"X-Kannel-Coding": "2"},
        )

    assert response.status_code == 200
    assert Message.objects.get(direction="in", gateway_id="post-1").text == text


def test_a_wrong_token_is_not_found_and_nothing_is_stored(db: Any, sendsms: FakeSendsms) -> None:
    response = _post("ECHO halo", token="guessed-token")

    assert response.status_code == 404
    assert not Message.objects.exists()


def test_an_address_outside_the_allow_list_is_refused_and_nothing_is_stored(
    db: Any, sendsms: FakeSendsms
) -> None:
    response = _post("ECHO halo", client=Client(REMOTE_ADDR="203.0.113.9"))

    assert response.status_code == 403
    assert not Message.objects.exists()


def test_a_message_without_sender_is_a_bad_request(db: Any, sendsms: FakeSendsms) -> None:
    response = _post("halo", id="x1", sender="")

    assert response.status_code == 400
    assert not Message.objects.exists()


def test_a_get_with_the_text_and_number_in_the_query_is_refused_and_nothing_is_stored(
    db: Any, sendsms: FakeSendsms
) -> None:
    # The number and the text would sit in every access log on the way.
    response = Client().get(_inbound_url(_query(b"ECHO halo")))

    assert response.status_code == 405
    assert not Message.objects.exists()


# Delivery reports -------------------------------------------------------------


@pytest.fixture
def sent(db: Any, sendsms: FakeSendsms, django_capture_on_commit_callbacks: Any) -> Message:
    return _send("Halo", django_capture_on_commit_callbacks)


def _report(message: Message, status: int, token: str = TOKEN, answer: str = "") -> Any:
    return Client().get(
        f"/sms/kannel/{token}/dlr",
        {"message": str(message.pk), "status": str(status), "answer": answer},
    )


@pytest.mark.parametrize(
    ("kannel_status", "expected"),
    [(1, S.DELIVERED), (2, S.FAILED), (16, S.FAILED), (4, S.SENT), (8, S.SENT)],
)
def test_delivery_reports_map_to_message_status(
    sent: Message, kannel_status: int, expected: str
) -> None:
    response = _report(sent, kannel_status, answer="NACK/0x0000000b/Invalid Destination")

    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == expected
    if expected == S.DELIVERED:
        assert sent.delivered_at is not None
    if expected == S.FAILED:
        assert sent.last_error == "NACK/0x0000000b/Invalid Destination"


def test_a_late_smsc_report_does_not_undo_delivery(sent: Message) -> None:
    _report(sent, 1)
    _report(sent, 8)

    sent.refresh_from_db()
    assert sent.status == S.DELIVERED


def test_a_report_for_an_unknown_message_or_with_a_wrong_token_changes_nothing(
    sent: Message,
) -> None:
    assert _report(sent, 1, token="guessed-token").status_code == 404
    other = Message.objects.create(direction="out", adapter="file", phone="+62812", text="x")
    assert _report(other, 1).status_code == 404
    assert Client().get(f"/sms/kannel/{TOKEN}/dlr", {"message": sent.pk}).status_code == 400

    sent.refresh_from_db()
    assert sent.status == S.SENT


# kannel.conf ------------------------------------------------------------------


def test_kannel_config_wires_inbound_and_needs_a_sendsms_password(
    sendsms: FakeSendsms, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("kannel_config", "--admin-password", "adm", "--fake-port", "10123")

    conf = capsys.readouterr().out
    # The text and the sender travel in the body and a header, never the URL.
    assert f'post-url = "http://web.internal:8000/sms/kannel/{TOKEN}/masuk?to=%P&coding=%c' in conf
    assert 'send-sender = "true"' in conf
    assert "%p" not in conf and "%b" not in conf and "get-url" not in conf
    assert "max-messages = 0" in conf
    assert "http-request-retry = 8640" in conf
    assert 'password = "sendsms-secret"' in conf
    assert "port = 10123" in conf

    settings.KANNEL_PASSWORD = ""
    with pytest.raises(CommandError, match="KANNEL_PASSWORD"):
        call_command("kannel_config")
