"""Reads that may be a few seconds stale go to the streaming replica.

With ``DATABASE_REPLICA_URL`` set, settings add the database alias
``replica`` (a PostgreSQL hot standby of the primary), :class:`ReplicaRouter`
and :class:`PrimaryAfterWriteMiddleware`. Without it nothing here does
anything: every query goes to ``default``, and so does every test but the
replica one.

A read goes to the replica only when the code says so, explicitly, with
:func:`stale_ok` (a context manager and a decorator)::

    @stale_ok()
    def skdn(request): ...            # a statistics page

    with stale_ok():
        rows = figure.compute()       # a FIGURES caller (dashboard, open data)

and only when none of these holds (then it reads the primary):

- the code is inside a transaction on the primary (reads there must see the
  transaction's own writes and locks);
- the request is a write (any method but GET, HEAD, OPTIONS), or has written
  through the ORM earlier in the request;
- the browser wrote less than ``REPLICA_STICKY_SECONDS`` ago: the middleware
  sets a short cookie, ``kc_primary``, on the answer to every write. A user who
  has just saved a weighing sees it in the SKDN table at once, even though the
  replica may be a second behind. The cookie holds no personal data; a client
  who forges it only reads the primary.

Writes always go to the primary. Sessions and the database cache are
bookkeeping, not the user's data: their writes do not count as "has written"
(the session is saved on every request).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
STICKY_COOKIE = "kc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Writes of these apps are bookkeeping of every request, not what the user did.
NOT_USER_WRITES = frozenset({"sessions", "django_cache"})

_stale_ok: ContextVar[bool] = ContextVar("kotacerdas_stale_ok", default=False)
_primary_only: ContextVar[bool] = ContextVar("kotacerdas_primary_only", default=False)
# None outside a request (a task, a command): writes there pin nothing.
_wrote: ContextVar[bool | None] = ContextVar("kotacerdas_wrote", default=None)


class stale_ok(contextlib.ContextDecorator):
    """Within this block (or decorated function), reads may come from the replica."""

    def __enter__(self) -> None:
        self._token = _stale_ok.set(True)

    def __exit__(self, *exc: object) -> None:
        _stale_ok.reset(self._token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The alias a read made here goes to (for raw SQL: ``connections[read_alias()]``)."""
    if not replica_configured() or not _stale_ok.get():
        return PRIMARY
    if _primary_only.get() or _wrote.get():
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


class ReplicaRouter:
    """Django's database router for the replica (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        if _wrote.get() is False and model._meta.app_label not in NOT_USER_WRITES:
            _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # Both aliases hold the same data: objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica replays the primary's migrations; it cannot run its own.
        return db == PRIMARY


@contextlib.contextmanager
def _request_scope(*, primary_only: bool) -> Iterator[None]:
    primary_token = _primary_only.set(primary_only)
    wrote_token = _wrote.set(False)
    try:
        yield
    finally:
        _primary_only.reset(primary_token)
        _wrote.reset(wrote_token)


class PrimaryAfterWriteMiddleware:
    """A browser that has just written reads the primary for a few seconds.

    Within a write request every read goes to the primary; its answer (and the
    answer to any request that wrote through the ORM) sets the ``kc_primary``
    cookie for ``REPLICA_STICKY_SECONDS``, and requests carrying it read the
    primary too. Longer than the replica's lag under load (well under a
    second on one network; docs/architecture.md), short enough that the
    statistics pages go back to the replica soon after.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writing = request.method not in SAFE_METHODS
        with _request_scope(primary_only=writing or STICKY_COOKIE in request.COOKIES):
            response = self.get_response(request)
            wrote = writing or bool(_wrote.get())
        if wrote:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
