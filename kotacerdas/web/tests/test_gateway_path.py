"""The SMS gateways' lean path through the WSGI application (kotacerdas.wsgi).

Called as gunicorn calls it, not through the test client (whose handler has
the full middleware stack): who may call is checked as before, the message
is stored once, and a store or a delivery report costs the queries guarded
here and nothing of the session, CSRF or sign-in machinery.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_tasks_db.models import DBTaskResult

from kotacerdas import wsgi
from kotacerdas.messaging.models import Message

TOKEN = "kannel-test-token-0123456789abcdef"
S = Message.Status
Call = Callable[..., tuple[int, dict[str, str], bytes]]


@pytest.fixture
def call(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Call]:
    """One request to ``wsgi.application``; (status, headers, body)."""
    settings.SMS_INBOUND_TOKEN = TOKEN
    settings.SMS_INBOUND_ALLOWED_IPS = ["127.0.0.1"]
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.ALLOWED_HOSTS = ["web.internal"]
    # Middleware reads its settings when the handler is made: made again here.
    monkeypatch.setattr(wsgi, "gateways", wsgi.GatewayHandler())
    # As the test client does: the test's transaction is not a connection to close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def request(
        method: str,
        path: str,
        query: str = "",
        body: bytes = b"",
        remote: str = "127.0.0.1",
        **headers: str,
    ) -> tuple[int, dict[str, str], bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "web.internal",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "web.internal:8000",
            "REMOTE_ADDR": remote,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "text/plain; charset=UTF-8",
            **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
        }
        answer: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        chunks = wsgi.application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return answer["status"], answer["headers"], content

    try:
        yield request
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def inbound(call: Call, *, id: str = "k-1", token: str = TOKEN, **kwargs: Any) -> int:
    status, _, _ = call(
        "POST",
        f"/sms/kannel/{token}/masuk",
        f"to=1717&coding=0&charset=UTF-8&id={id}&ts=1795940920&smsc=sms-centre",
        b"INFO jadwal posyandu",
        **{"x_kannel_from": "+6281234567890", **kwargs},
    )
    return status


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The database task queue, as production has (tests run tasks inline)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms"]}
    }


def test_gateway_paths_take_the_lean_handler_and_the_rest_the_full_one() -> None:
    assert wsgi.GATEWAY_PREFIX == "/sms/"
    assert "django.contrib.sessions.middleware.SessionMiddleware" not in wsgi.GATEWAY_MIDDLEWARE
    assert "kotacerdas.web.middleware.TrustedProxyMiddleware" in wsgi.GATEWAY_MIDDLEWARE


def test_a_message_is_stored_once_in_two_queries_without_session_or_csrf(
    db: Any,
    call: Call,
    database_queue: None,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert inbound(call, id="k-0") == 200  # the first enqueues the routing task

    # The INSERT, then whether a routing task is already waiting (it is).
    with django_assert_num_queries(2), django_capture_on_commit_callbacks(execute=True):
        status, headers, body = call(
            "POST",
            f"/sms/kannel/{TOKEN}/masuk",
            "to=1717&coding=0&charset=UTF-8&id=k-1&ts=1795940920",
            b"INFO jadwal posyandu",
            x_kannel_from="+6281234567890",
        )
    assert (status, body) == (200, b"")
    assert "Set-Cookie" not in headers  # no session, no CSRF cookie
    # Kannel retries: the same id is no error and stores nothing (the INSERT
    # that conflicts, then the stored one looked up).
    with django_assert_num_queries(2), django_capture_on_commit_callbacks(execute=True):
        assert inbound(call, id="k-1") == 200
    stored = Message.objects.filter(direction="in")
    assert sorted(stored.values_list("gateway_id", flat=True)) == ["k-0", "k-1"]
    assert set(stored.values_list("status", flat=True)) == {S.RECEIVED}
    assert DBTaskResult.objects.count() == 1  # one wake-up for the burst


def test_the_lean_path_checks_token_address_and_method_as_before(db: Any, call: Call) -> None:
    assert inbound(call, token="guessed-token-0123456789abcdef") == 404
    assert inbound(call, remote="192.0.2.7") == 403
    # Behind our proxy, the address it saw is the one checked.
    assert inbound(call, remote="10.0.0.5", x_forwarded_for="192.0.2.7") == 403
    assert inbound(call, remote="10.0.0.5", x_forwarded_for="127.0.0.1", id="via-proxy") == 200
    # A GET would put the text and number in access logs.
    assert call("GET", f"/sms/kannel/{TOKEN}/masuk", "sender=%2B628123&text=x")[0] == 405
    # A host outside ALLOWED_HOSTS is refused, as everywhere.
    assert inbound(call, host="evil.example", id="bad-host") == 400
    assert list(Message.objects.values_list("gateway_id", flat=True)) == ["via-proxy"]


def test_a_delivery_report_is_one_update(
    db: Any, call: Call, django_assert_num_queries: Any
) -> None:
    sent = Message.objects.create(
        direction="out", adapter="kannel", phone="+6281234567890", text="x", status=S.SENT
    )
    report = f"/sms/kannel/{TOKEN}/dlr"

    with django_assert_num_queries(1):
        assert call("GET", report, f"message={sent.pk}&status=1")[0] == 200
    sent.refresh_from_db()
    assert sent.status == S.DELIVERED and sent.delivered_at is not None
    # A late "accepted by the SMSC" changes nothing, and still answers 200.
    assert call("GET", report, f"message={sent.pk}&status=8")[0] == 200
    sent.refresh_from_db()
    assert sent.status == S.DELIVERED
    assert call("GET", report, f"message={sent.pk + 1000}&status=1")[0] == 404


def test_other_paths_keep_the_full_stack(db: Any, call: Call) -> None:
    status, headers, _ = call("GET", "/halo")
    assert status == 200
    assert "Content-Security-Policy" in headers  # the full stack's CSP middleware


def test_a_worker_imports_every_url_module_as_it_starts_not_on_its_first_request() -> None:
    import subprocess
    import sys

    # A fresh interpreter, as a gunicorn worker starts: importing the WSGI
    # module must leave no URL module (and so no view) to the first request.
    code = (
        "import sys, kotacerdas.wsgi; "
        "print(all(m in sys.modules for m in "
        "('kotacerdas.urls', 'kotacerdas.hospital.urls', 'kotacerdas.api', "
        "'kotacerdas.messaging.gateway_urls')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "True", done.stderr
