"""core.outbound: one kept-alive connection per peer, and no call inside a transaction."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction

from kotacerdas.core import outbound


class Peer:
    """A small HTTP/1.1 server that counts connections and requests."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[tuple[str, str, bytes]] = []
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                peer.connections += 1

            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                self._answer(self.rfile.read(int(self.headers["Content-Length"])))

            def _answer(self, body: bytes) -> None:
                peer.requests.append((self.command, self.path, body))
                status = 503 if self.path.startswith("/busy") else 202
                answer = b"0: Accepted for delivery"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def peer() -> Iterator[Peer]:
    server = Peer()
    yield server
    outbound.close_all()
    server.close()


def test_many_calls_share_one_kept_alive_connection(peer: Peer) -> None:
    for n in range(20):
        answer = outbound.request("GET", f"{peer.url}/cgi-bin/sendsms?n={n}")
        assert answer.status == 202
        assert answer.body == b"0: Accepted for delivery"

    assert len(peer.requests) == 20
    assert peer.connections == 1


def test_a_post_carries_its_body_and_an_error_status_is_returned(peer: Peer) -> None:
    answer = outbound.request("POST", f"{peer.url}/busy", body=b'{"id": 1}')

    assert answer.status == 503
    assert peer.requests == [("POST", "/busy", b'{"id": 1}')]


def test_a_connection_the_peer_closed_is_replaced_and_the_request_sent_once(peer: Peer) -> None:
    outbound.request("GET", f"{peer.url}/a")
    # The peer drops idle keep-alive connections (a restart, an idle timeout).
    connection = next(iter(outbound._local.pool.values()))
    assert connection.sock is not None
    connection.sock.shutdown(2)

    answer = outbound.request("GET", f"{peer.url}/b")

    assert answer.status == 202
    assert [path for _, path, _ in peer.requests] == ["/a", "/b"]


def test_an_unreachable_peer_raises_oserror() -> None:
    with pytest.raises(OSError):
        outbound.request("GET", "http://127.0.0.1:9/", timeout=2)


@pytest.mark.django_db(transaction=True)
def test_a_call_inside_a_transaction_is_refused(peer: Peer) -> None:
    with transaction.atomic(), pytest.raises(outbound.OutboundInTransaction):
        outbound.request("GET", f"{peer.url}/x", what="Kannel")

    assert peer.requests == []
    outbound.request("GET", f"{peer.url}/y")  # after the commit it goes
    assert len(peer.requests) == 1


@pytest.mark.django_db
def test_the_test_cases_own_transaction_does_not_count(peer: Peer) -> None:
    # pytest-django's `db` wraps the test in atomic blocks marked _from_testcase.
    assert outbound.in_transaction() is False
    with transaction.atomic():
        assert outbound.in_transaction() is True


@pytest.mark.django_db
def test_the_suite_fails_any_http_request_inside_an_atomic_block(peer: Peer) -> None:
    # The autouse fixture in kotacerdas/conftest.py guards every client, urllib too.
    with transaction.atomic(), pytest.raises(outbound.OutboundInTransaction):
        urllib.request.urlopen(f"{peer.url}/z", timeout=2)  # noqa: S310 (loopback)

    assert peer.requests == []
