"""SMS through real Kannel, stage by stage, on a throwaway database.

fakesmsc plays the phones; bearerbox and smsbox (from ``manage.py
kannel_config``) pass each message to our Kannel endpoint under gunicorn
(2 workers × 4 threads), whose hello-world page ``/halo`` is the baseline of
every rate. The endpoint only stores (one INSERT, idempotent on Kannel's
message id) and wakes a worker; ``db_worker`` processes route (queue
``default``) and send (queue ``sms``). Each stage is timed on its own:

1. **stored**: messages accepted over HTTP, no worker running (rate from
   the first to the last ``created_at``);
2. **routed, simple keyword**: the backlog of 1. (an unknown keyword, answered
   with the help reply) routed by two workers;
3. **routed, WADUL**: as many ``WADUL`` reports stored, then routed by two
   workers (each files a report, an audit event and a reply);
4. **sent**: the replies of 2. and 3. handed to Kannel's sendsms by two
   sending workers (Kannel accepted = ``sent``);
5. **end to end**: every worker running, the phones send again; the clock
   stops when every reply has been accepted by sendsms.

Lost = sent by a phone and never stored; duplicated = stored more than once,
or more than one reply to one message. Redis is the shared cache (rate-limit
counts), as in a production rush layout (docs/operations.md).
"""

from __future__ import annotations

import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

from bench.common import (
    PG_HOST,
    PG_USER,
    Figure,
    baseline,
    bench_env,
    create_database,
    drop_database,
    migrate,
    run_child,
)
from kotacerdas.integration import kannel_rig
from kotacerdas.integration.kannel_rig import Rig, wait_until

DB_NAME = "kotacerdas_bench_sms"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
MESSAGES = 4000  # per stage
WADUL = 2000
END_TO_END = 3000
TARGETS = {"stored": 1000.0, "routed": 500.0, "wadul": 200.0, "end_to_end": 300.0}
SIMPLE = kannel_rig.numbers(10_000_000, 1000, "INFO jadwal posyandu")
REPORT = kannel_rig.numbers(
    20_000_000, 1000, "WADUL Anak tetangga di gang sebelah sering dipukul, mohon dicek"
)
E2E = kannel_rig.numbers(30_000_000, 1000, "INFO jadwal")
STAGE_BUDGET_S = 180.0


def rig_env(**extra: str) -> dict[str, str]:
    """The app's environment under the SMS rush: production-like, no limit in the way,
    the shared cache on Redis under a key prefix of this run's own."""
    return bench_env(
        DEBUG="false",
        LOG_LEVEL="WARNING",
        SMS_MAX_PER_NUMBER_PER_HOUR="1000000",
        WADUL_MAX_PER_HOUR="1000000",
        REDIS_URL="redis://127.0.0.1:6379/0",
        CACHE_KEY_PREFIX=f"bench-sms-{uuid.uuid4().hex[:8]}",
        **extra,
    )


def run() -> list[Figure]:
    if not kannel_rig.installed():
        print("sms_kannel: skipped, Kannel is missing (apt-get install kannel kannel-extras)")
        return []
    env = rig_env(DATABASE_URL=DATABASE_URL)
    create_database(DB_NAME)
    with tempfile.TemporaryDirectory(prefix="kannel-bench-") as tmp:
        rig = Rig(Path(tmp), env)
        try:
            migrate(env, "sms_kannel")
            run_child("bench.sms_kannel", "seed", rig.app_env())
            rig.start_web(workers=2, threads=4)
            halo = baseline(rig.ports["web"]).rate
            rig.start_kannel()
            return _stages(rig, halo)
        finally:
            rig.shutdown()
            drop_database(DB_NAME)


def _stages(rig: Rig, halo: float) -> list[Figure]:
    def figure(name: str, value: float, target: str, note: str = "") -> Figure:
        return Figure(name, value, "msg/s", TARGETS[target], higher=True, note=note, baseline=halo)

    print(f"sms_kannel: 1. {MESSAGES:,} messages stored, no worker running", flush=True)
    stored = _store(rig, SIMPLE, MESSAGES, "INFO jadwal posyandu")
    print("sms_kannel: 2. routed by two workers (unknown keyword: the help reply)", flush=True)
    routed = _route(rig, "INFO jadwal posyandu", MESSAGES)
    print(f"sms_kannel: 3. {WADUL:,} WADUL reports stored, then routed by two workers", flush=True)
    _store(rig, REPORT, WADUL, "WADUL %")
    wadul = _route(rig, "WADUL %", WADUL)
    print("sms_kannel: 4. the replies sent through Kannel's sendsms by two workers", flush=True)
    sent = _send(rig, MESSAGES + WADUL)
    print(f"sms_kannel: 5. {END_TO_END:,} messages end to end, every worker running", flush=True)
    end_to_end = _end_to_end(rig)
    lost, duplicated, replies_duplicated = _losses(rig)
    total = MESSAGES + WADUL + END_TO_END
    return [
        figure("SMS stored (Kannel → HTTP accepted)", stored, "stored"),
        figure("SMS routed, simple keyword (2 workers)", routed, "routed"),
        figure("WADUL reports routed (2 workers)", wadul, "wadul"),
        Figure(
            "SMS replies accepted by sendsms (2 workers)",
            sent,
            "msg/s",
            baseline=halo,
            note="no target of its own: the send stage of 5.",
        ),
        figure("SMS end to end, reply accepted by sendsms", end_to_end, "end_to_end"),
        Figure(f"SMS lost of {total:,}", lost, "msg", 0),
        Figure(f"SMS stored twice of {total:,}", duplicated, "msg", 0),
        Figure(f"SMS replies duplicated of {total:,}", replies_duplicated, "msg", 0),
    ]


def _store(rig: Rig, messages: list[str], count: int, text_like: str) -> float:
    """fakesmsc sends ``count``; messages/s from the first stored to the last."""
    rig.phone_sends(messages, count)
    wait_until(lambda: _count_in(text_like) >= count, STAGE_BUDGET_S, "not all were stored")
    first, last, stored = _one(
        "SELECT min(created_at), max(created_at), count(*) FROM messaging_message"
        " WHERE direction = 'in' AND text LIKE %s",
        [text_like],
    )
    seconds = (last - first).total_seconds()
    rate = (stored - 1) / seconds if seconds > 0 else 0.0
    print(f"  {stored:,} stored in {seconds:.2f} s: {rate:,.0f}/s", flush=True)
    return float(rate)


def _route(rig: Rig, text_like: str, count: int) -> float:
    """Two routing workers on the backlog; messages/s from the first routed to the last.

    With BENCH_PROFILE set, the first worker runs under cProfile and the
    functions that took most of its time are printed (pyinstrument is not a
    dependency; cProfile is in the standard library).
    """
    profile = rig.directory / "route-0.prof" if os.environ.get("BENCH_PROFILE") else None
    for k in range(2):
        rig.start_worker(f"route-{k}", "default", profile=profile if k == 0 else None)
    rate = _drain(
        lambda: _count_in(text_like, status="processed"), count, "routed", budget=STAGE_BUDGET_S
    )
    for k in range(2):
        rig.stop(f"route-{k}")
    if profile is not None and profile.exists():
        stats = pstats.Stats(str(profile), stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(r"kotacerdas|django/db", 30)
    return rate


def _send(rig: Rig, count: int) -> float:
    for k in range(2):
        rig.start_worker(f"send-{k}", "sms")
    sent = "SELECT count(*) FROM messaging_message WHERE direction = 'out' AND sent_at IS NOT NULL"
    return _drain(lambda: int(_one(sent)[0]), count, "sent", budget=STAGE_BUDGET_S)


def _end_to_end(rig: Rig) -> float:
    """All workers on (sending ones from 4.); the phones send; until every reply is sent."""
    for k in range(2):
        rig.start_worker(f"route-{k}", "default")
    # The workers' start-up (Django) is not the platform's time.
    rig.wait_for_workers(["route-0", "route-1"])
    started = time.monotonic()
    rig.phone_sends(E2E, END_TO_END)
    replies = (
        "SELECT count(*) FROM messaging_message o JOIN messaging_message i ON o.reply_to_id = i.id"
        " WHERE i.text = 'INFO jadwal' AND o.sent_at IS NOT NULL"
    )
    wait_until(
        lambda: int(_one(replies)[0]) >= END_TO_END, STAGE_BUDGET_S, "not every reply was sent"
    )
    elapsed = time.monotonic() - started
    rate = END_TO_END / elapsed
    print(f"  {END_TO_END:,} in, replies sent, in {elapsed:.2f} s: {rate:,.0f}/s", flush=True)
    return rate


def _losses(rig: Rig) -> tuple[int, int, int]:
    time.sleep(3)  # a late retry from smsbox would be a duplicate: give it time to show
    sent_by_phones = rig.kannel_counts()["received"]
    stored, distinct = _one(
        "SELECT count(*), count(DISTINCT gateway_id) FROM messaging_message WHERE direction = 'in'"
    )
    replies, answered = _one(
        "SELECT count(*), count(DISTINCT reply_to_id) FROM messaging_message"
        " WHERE direction = 'out' AND reply_to_id IS NOT NULL"
    )
    print(
        f"  bearerbox received {sent_by_phones:,}; stored {stored:,} ({distinct:,} distinct ids);"
        f" {replies:,} replies to {answered:,} messages",
        flush=True,
    )
    return max(0, sent_by_phones - distinct), stored - distinct, replies - answered


def _drain(counted: Any, count: int, what: str, *, budget: float) -> float:
    """Poll ``counted()``; the rate from its first change to reaching ``count``."""
    deadline = time.monotonic() + budget
    start_count = counted()
    first_at = None
    done = start_count
    while time.monotonic() < deadline:
        done = counted()
        now = time.monotonic()
        if first_at is None and done > start_count:
            first_at, first_count = now, done
        if done >= count:
            break
        time.sleep(0.02)
    else:
        raise RuntimeError(f"only {done:,} of {count:,} {what} within {budget:.0f} s")
    assert first_at is not None
    seconds = time.monotonic() - first_at
    rate = (done - first_count) / seconds if seconds > 0 else 0.0
    print(
        f"  {done:,} {what}; {done - first_count:,} in {seconds:.2f} s: {rate:,.0f}/s", flush=True
    )
    return rate


def _count_in(text_like: str, *, status: str = "") -> int:
    query = "SELECT count(*) FROM messaging_message WHERE direction = 'in' AND text LIKE %s"
    params: list[Any] = [text_like]
    if status:
        query += " AND status = %s"
        params.append(status)
    return int(_one(query, params)[0])


def _one(query: str, params: list[Any] | None = None) -> tuple[Any, ...]:
    with psycopg.connect(host=PG_HOST, user=PG_USER, dbname=DB_NAME) as conn:
        row = conn.execute(query, params or []).fetchone()
    assert row is not None
    return tuple(row)


# Child steps: run with Django set up on the bench database ---------------------


def seed() -> dict[str, Any]:
    """The protection unit every WADUL report goes to."""
    from django.conf import settings

    from kotacerdas.accounts.models import Unit

    Unit.objects.get_or_create(
        code=settings.WADUL_UNIT_CODE, defaults={"kind": Unit.Kind.AGENCY, "name": "DP3A"}
    )
    return {"unit": settings.WADUL_UNIT_CODE}


STEPS = {"seed": seed}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(STEPS[sys.argv[1]]()))
