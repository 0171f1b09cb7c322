"""Waking the SMS workers: one task per burst of messages, not one per message.

A stored message is its own place in the queue: inbound ones wait as
``received``, outbound ones as ``queued``, and a worker claims them in
batches with ``FOR UPDATE SKIP LOCKED`` (``actions.process``, ``outbox``). A
task only wakes a worker to claim a batch, so a task per message would be
49 empty runs in 50 under a rush (each a task row written, claimed and
finished): the workers would spend their time on the task table instead of
the messages.

So a message, once committed, enqueues a task only when none of its kind is
waiting to start. That is safe: a waiting task has not claimed yet, and its
claim comes after this message's commit, so it sees the message. A worker
that takes a full batch wakes another (:func:`routers` / :func:`senders`
again), so a backlog spreads over every worker on the queue; a batch that
is not full means the queue was empty when it was claimed, and anything
committed since found no waiting task and enqueued its own.

Only the database task backend can be asked what is waiting; with any other
backend (the immediate one in tests and development) every call enqueues.
A task lost in between (a purged queue) is what ``manage.py sms_sweep``
finds: it enqueues for anything stored and not handled for a while.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Q
from django.db.models.functions import Now
from django.tasks import Task, TaskResultStatus
from django.tasks.backends.immediate import ImmediateBackend

_held = threading.local()


@contextmanager
def held() -> Iterator[None]:
    """Wake-ups asked for inside are made once, on the way out.

    A routing worker stores a reply per message, each in its own committed
    transaction: one wake-up for the batch's replies, not one look at the
    task table per reply. Every reply is committed before the wake-up.
    """
    if getattr(_held, "asked", None) is not None:  # already held further out
        yield
        return
    asked: list[Callable[[], None]] = []
    _held.asked = asked
    try:
        yield
    finally:
        _held.asked = None
        for wake in dict.fromkeys(asked):
            wake()


def routers(*, more: bool = False) -> None:
    """Make sure a worker will route the inbound messages committed so far.

    ``more``: called by a worker that took a full batch, for another worker to
    take the next one (nothing to do when tasks run inline, as in tests: the
    caller's own loop, or the next message, goes on).
    """
    from kotacerdas.messaging.tasks import process_inbound

    _wake(process_inbound, more=more)


def senders(*, more: bool = False) -> None:
    """Make sure a worker will send the outbound messages committed so far (``more``: as above)."""
    asked = getattr(_held, "asked", None)
    if asked is not None and not more:
        asked.append(senders)
        return
    from kotacerdas.messaging.tasks import deliver_outbound

    _wake(deliver_outbound, more=more)


def _wake(task: Task[Any, Any], *, more: bool) -> None:
    if more and isinstance(task.get_backend(), ImmediateBackend):
        return
    if not _waiting(task):
        task.enqueue()


def _waiting(task: Task[Any, Any]) -> bool:
    """Whether a task like ``task`` is in the database queue, due and not started.

    Asked once per stored inbound message, so once per gateway request under
    a rush: the statement is compiled once (``_waiting_sql``), not built
    through the ORM every time (that was half the request's CPU).
    """
    from django_tasks_db.backend import DatabaseBackend

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    using = router.db_for_read(DBTaskResult)
    sql, params = _waiting_sql(task.module_path, task.queue_name, backend.alias, using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


@cache
def _waiting_sql(
    task_path: str, queue_name: str, backend_alias: str, using: str
) -> tuple[str, tuple[Any, ...]]:
    """``DBTaskResult.objects.ready()`` for one task, with the database's clock for "now"
    (``Now()``: no parameter changes between calls, so the SQL is made once)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path=task_path,
            queue_name=queue_name,
            backend_name=backend_alias,
        )
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=Now()))
        .values("pk")[:1]
    )
    sql, params = ready.query.get_compiler(using).as_sql()
    return sql, tuple(params)
