"""The audit chain on its own throwaway PostgreSQL database: sequencing and verifying.

300,000 events (the size of a busy month at city scale) are appended the way
requests append them (unchained), then:

1. the audit sequencer chains them all in batches, as after an outage of the
   sequencer service: events chained per second;
2. ``audit_verify`` walks and re-hashes the whole chain (``AUDIT_VERIFY_WORKERS``
   processes, 2 by default): events checked per second (target from issue
   12: at least 100,000/s).

No server is involved, so no hello-world baseline; the child process runs
with the bench database and settings.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any

from bench.common import (
    PG_HOST,
    PG_USER,
    ROOT,
    Figure,
    bench_env,
    create_database,
    drop_database,
    migrate,
    run_child,
)

DB_NAME = "kotacerdas_bench_audit"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
EVENTS = 300_000
VERIFY_TARGET = 100_000.0  # events/s


def run() -> list[Figure]:
    env = bench_env(DATABASE_URL=DATABASE_URL, DEBUG="false", LOG_LEVEL="WARNING")
    create_database(DB_NAME)
    try:
        migrate(env, "audit")
        print(f"audit: {EVENTS:,} events appended, then chained and verified …", flush=True)
        measured = run_child("bench.audit", "measure", env)
    finally:
        drop_database(DB_NAME)
    chain_rate = EVENTS / measured["chain_s"]
    verify_rate = EVENTS / measured["verify_s"]
    print(
        f"  chained in {measured['chain_s']:.1f} s ({chain_rate:,.0f}/s), "
        f"verified in {measured['verify_s']:.2f} s ({verify_rate:,.0f}/s): {measured['chain']}",
        flush=True,
    )
    return [
        Figure(
            "audit_verify, events checked",
            verify_rate,
            "events/s",
            VERIFY_TARGET,
            higher=True,
            # On a shared machine the wall time waits for a core; the CPU time
            # of the walk's processes (PostgreSQL's share not counted) says
            # what free cores would do.
            note=(
                f"{EVENTS:,} events, AUDIT_VERIFY_WORKERS processes; chain {measured['chain']}; "
                f"{EVENTS / measured['verify_cpu_s']:,.0f}/s of their CPU time; "
                f"load average {os.getloadavg()[0]:.1f}"
            ),
        ),
        Figure(
            "audit sequencer, events chained (backlog)",
            chain_rate,
            "events/s",
            note=f"{EVENTS:,} waiting events, batches of 2,000",
        ),
    ]


def measure() -> dict[str, Any]:
    from django.db import connection

    from kotacerdas.audit.actions import first_broken_link
    from kotacerdas.audit.sequencer import chain_all

    with connection.cursor() as cursor:
        # What record() inserts for a booking: no sequence, no hash yet.
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_name, action, object_type, object_id,"
            " client_address, details, previous_hash, hash)"
            " SELECT now() - make_interval(secs => %s - g), '', 'hospital.booking.create',"
            " 'hospital.booking', g::text, '10.0.0.1',"
            " jsonb_build_object('session', g %% 97, 'number', g, 'channel', 'web'), '', ''"
            " FROM generate_series(1, %s) AS g",
            [EVENTS, EVENTS],
        )
    t0 = time.perf_counter()
    chained = chain_all()
    chain_s = time.perf_counter() - t0
    assert chained == EVENTS, chained
    t0, cpu0 = time.perf_counter(), _cpu()
    broken = first_broken_link()
    verify_s, verify_cpu_s = time.perf_counter() - t0, _cpu() - cpu0
    return {
        "chain_s": chain_s,
        "verify_s": verify_s,
        "verify_cpu_s": verify_cpu_s,
        "chain": "intact" if broken is None else f"broken at #{broken[0]}: {broken[1]}",
    }


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the verify workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    print(json.dumps({"measure": measure}[sys.argv[1]]()))
