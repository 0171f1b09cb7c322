"""Calls to other systems over HTTP: one kept-alive connection, never inside a transaction.

Every peer we call (an SMS gateway, BSrE for signatures, any future service)
goes through :func:`request`. Two rules make a slow or dead peer harmless:

- **No network call inside ``transaction.atomic``.** A transaction that waits
  on a peer holds its row locks (and a database connection) for as long as the
  peer takes; under a rush every other writer queues behind it. The pattern is
  *claim, commit, call, record*: mark the work as taken (with a lease that
  expires) in a short transaction, call the peer outside any transaction, then
  record the outcome in another short transaction. :func:`ensure_no_transaction`
  refuses the call otherwise, and the test suite fails any HTTP request made
  inside an atomic block (``kotacerdas/conftest.py``).
- **One connection per peer and thread, kept alive.** Building a urllib opener
  per call loads the system's CA certificates every time (≈ 18 ms per SMS);
  here the TLS context is made once per process and the TCP connection is
  reused for as long as the peer keeps it open.

Standard library only (``http.client``): one request at a time per thread
needs no HTTP client package.
"""

from __future__ import annotations

import http.client
import ssl
import threading
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from django.db import connections

# Errors that mean "the kept-alive connection was closed by the peer before it
# read our request": sending again on a fresh connection is safe.
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class OutboundInTransaction(RuntimeError):
    """A call to another system was attempted while a database transaction is open."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def in_transaction() -> bool:
    """Whether any database connection is inside an atomic block of the application's.

    Tests run inside atomic blocks of their own (marked ``_from_testcase`` by
    Django); those are not the application holding locks.
    """
    for alias in connections:
        connection = connections[alias]
        if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            return True
    return False


def ensure_no_transaction(what: str) -> None:
    """Refuse a network call made inside a transaction (see the module's docstring)."""
    if in_transaction():
        raise OutboundInTransaction(
            f"{what}: network call inside transaction.atomic; claim the work, commit, "
            "then call (kotacerdas.core.outbound)"
        )


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the system's CA certificates takes milliseconds: once per process.
    return ssl.create_default_context()


_local = threading.local()


def _connection(
    scheme: str, host: str, port: int | None, timeout: float
) -> http.client.HTTPConnection:
    pool: dict[tuple[str, str, int | None], http.client.HTTPConnection] = (
        getattr(_local, "pool", None) or {}
    )
    _local.pool = pool
    key = (scheme, host, port)
    conn = pool.get(key)
    if conn is None:
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=_tls_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        pool[key] = conn
    conn.timeout = timeout
    if conn.sock is not None:
        conn.sock.settimeout(timeout)
    return conn


def _drop(scheme: str, host: str, port: int | None) -> None:
    conn = getattr(_local, "pool", {}).pop((scheme, host, port), None)
    if conn is not None:
        conn.close()


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    max_body: int = 65536,
    what: str = "outbound call",
) -> Response:
    """``method url`` on this thread's kept-alive connection to the peer; any status is returned.

    Raises ``OSError`` or ``http.client.HTTPException`` when the peer cannot be
    reached or breaks the connection, and :class:`OutboundInTransaction` when
    called inside a transaction. Redirects are not followed (a redirected POST
    would lose its body). A request on a reused connection that the peer had
    already closed is sent once more on a new one: the peer never read it.
    """
    ensure_no_transaction(what)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{what}: not an http(s) URL")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    key = (parts.scheme, parts.hostname, parts.port)
    for attempt in (1, 2):
        conn = _connection(*key, timeout)
        reused = conn.sock is not None
        try:
            conn.request(method, target, body=body, headers=headers or {})
            answer = conn.getresponse()
            data = answer.read(max_body)
            if answer.will_close or not answer.isclosed():
                # The peer closes, or sent more than we read: start afresh next time.
                _drop(*key)
            return Response(answer.status, data, {k.lower(): v for k, v in answer.getheaders()})
        except _STALE:
            _drop(*key)
            if not reused or attempt == 2:
                raise
        except BaseException:
            _drop(*key)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def close_all() -> None:
    """Close this thread's connections (a worker shutting down, a test ending)."""
    for conn in getattr(_local, "pool", {}).values():
        conn.close()
    _local.pool = {}
