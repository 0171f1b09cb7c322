"""Where the CPU of one SMS goes, per stage and per process, through real Kannel.

    .venv/bin/python bench/sms_cpu.py [COUNT]

The rig of ``bench/sms_kannel.py`` (bearerbox, smsbox, fakesmsc, gunicorn,
``db_worker`` processes), each stage over a fixed number of messages, with
the CPU time (user + system, from ``/proc/PID/stat``) each process spent
on it: every process of each process group (gunicorn's workers, a worker's
sending threads), and the PostgreSQL backends connected to the bench
database. CPU per message is what carries over from a shared machine,
where a rate does not. Not a part of ``make bench``: a tool for finding what
to cut.
"""

from __future__ import annotations

import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import (
    PG_HOST,
    PG_USER,
    create_database,
    drop_database,
    migrate,
    run_child,
)
from bench.sms_kannel import rig_env
from kotacerdas.integration import kannel_rig
from kotacerdas.integration.kannel_rig import Rig, wait_until

DB_NAME = os.environ.get("SMS_CPU_DB", "kotacerdas_bench_sms_cpu")
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_by_pid() -> dict[int, tuple[int, float]]:
    """pid → (process group, CPU seconds so far) for every process we can read."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # After "(comm)": state ppid pgrp session … utime(12) stime(13)
        found[int(entry.name)] = (int(fields[2]), (int(fields[11]) + int(fields[12])) / TICK)
    return found


class Meter:
    def __init__(self, rig: Rig, db: psycopg.Connection) -> None:
        self.rig, self.db = rig, db

    def backends(self) -> set[int]:
        rows = self.db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        ).fetchall()
        return {row[0] for row in rows}

    def snapshot(self) -> dict[str, float]:
        groups = {p.pid: name for name, p in self.rig.processes.items()}
        backends = self.backends()
        totals: dict[str, float] = defaultdict(float)
        for pid, (pgrp, cpu) in _cpu_by_pid().items():
            if pgrp in groups:
                name = groups[pgrp]
                totals[
                    name.rstrip("0123456789-") if name.startswith(("route", "send")) else name
                ] += cpu
            elif pid in backends:
                totals["postgres"] += cpu
                totals[f"pg:{pid}"] += cpu
        row = self.db.execute(
            "SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_deleted"
            " FROM pg_stat_database WHERE datname = %s",
            [DB_NAME],
        ).fetchone()
        assert row is not None
        for key, value in zip(("#xacts", "#inserted", "#updated", "#deleted"), row, strict=True):
            totals[key] = value
        return totals


def _stage(meter: Meter, label: str, count: int, work: Callable[[], None]) -> None:
    before = meter.snapshot()
    started = time.monotonic()
    work()
    wall = time.monotonic() - started
    after = meter.snapshot()
    # A backend that ended during the stage is missed: say so.
    gone = [k for k in before if k.startswith("pg:") and k not in after]
    delta = {
        k: after[k] - before.get(k, 0.0) for k in after if not k.startswith(("pg:", "phone", "#"))
    }
    counts = {k[1:]: (after[k] - before[k]) / count for k in after if k.startswith("#")}
    total = sum(delta.values())
    print(f"\n{label}: {count} messages, {wall:.2f} s wall, {1000 * total / count:.2f} ms CPU/msg")
    for name, cpu in sorted(delta.items(), key=lambda kv: -kv[1]):
        print(f"  {name:10} {1000 * cpu / count:7.3f} ms/msg  ({cpu:6.2f} s)")
    print("  per message: " + ", ".join(f"{v:.2f} {k}" for k, v in counts.items()))
    if gone:
        print(f"  ({len(gone)} backends ended during the stage, not counted)")


def main(count: int) -> None:
    env = rig_env(
        DATABASE_URL=f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}",
        # Backends that outlive the run, so every one is counted (the bench: 60 s).
        DATABASE_CONN_MAX_AGE="600",
    )
    create_database(DB_NAME)
    with tempfile.TemporaryDirectory(prefix="kannel-cpu-") as tmp:
        rig = Rig(Path(tmp), env)
        try:
            migrate(env)
            run_child("bench.sms_kannel", "seed", rig.app_env())
            rig.start_web(workers=2, threads=4)
            rig.start_kannel()
            with psycopg.connect(host=PG_HOST, user=PG_USER, dbname=DB_NAME, autocommit=True) as db:
                _run(rig, Meter(rig, db), db, count)
        finally:
            rig.shutdown()
            drop_database(DB_NAME)


def _run(rig: Rig, meter: Meter, db: psycopg.Connection, count: int) -> None:
    def scalar(query: str) -> int:
        row = db.execute(query).fetchone()
        assert row is not None
        return int(row[0])

    def until(query: str, n: int) -> None:
        wait_until(lambda: scalar(query) >= n, 300, query)

    stored = "SELECT count(*) FROM messaging_message WHERE direction = 'in'"
    routed = (
        "SELECT count(*) FROM messaging_message WHERE direction = 'in' AND status = 'processed'"
    )
    sent = "SELECT count(*) FROM messaging_message WHERE direction = 'out' AND sent_at IS NOT NULL"
    delivered = (
        "SELECT count(*) FROM messaging_message WHERE direction = 'out' AND status = 'delivered'"
    )
    texts = kannel_rig.numbers(10_000_000, 1000, "INFO jadwal posyandu")

    def storing() -> None:
        rig.phone_sends(texts, count)
        until(stored, count)

    _stage(meter, "1. stored", count, storing)
    for k in range(2):
        rig.start_worker(f"route-{k}", "default", profile=_profile(rig, f"route-{k}"))
    rig.wait_for_workers(["route-0", "route-1"])
    _stage(meter, "2. routed", count, lambda: until(routed, count))
    for k in range(2):
        rig.start_worker(f"send-{k}", "sms", profile=_profile(rig, f"send-{k}"))
    rig.wait_for_workers(["send-0", "send-1"])

    def sending() -> None:
        until(sent, count)
        # Delivery reports follow the sends: wait for them, a second at most after the last.
        try:
            wait_until(lambda: scalar(delivered) >= count, 20, "delivered")
        except RuntimeError:
            print(f"  (delivered: {scalar(delivered)})")

    _stage(meter, "3. sent (+ delivery reports)", count, sending)
    time.sleep(2)
    _stage(meter, "idle 5 s (all workers polling)", 1, lambda: time.sleep(5))

    def end_to_end() -> None:
        rig.phone_sends(kannel_rig.numbers(30_000_000, 1000, "INFO jadwal"), count)
        until(stored, 2 * count)
        until(sent, 2 * count)
        try:
            wait_until(lambda: scalar(delivered) >= 2 * count, 20, "delivered")
        except RuntimeError:
            print(f"  (delivered: {scalar(delivered)})")

    _stage(meter, "4. end to end", count, end_to_end)
    if os.environ.get("SMS_CPU_PROFILE"):
        for name in ("route-0", "send-0"):
            rig.stop(name)
            stats = pstats.Stats(str(_profile(rig, name)))
            print(f"\n--- {name}, by own time")
            stats.sort_stats("tottime").print_stats(25)
            print(f"\n--- {name}, cumulative")
            stats.sort_stats("cumulative").print_stats(r"kotacerdas|django|tasks", 40)


def _profile(rig: Rig, name: str) -> Path | None:
    return Path("/tmp", f"sms-cpu-{name}.prof") if os.environ.get("SMS_CPU_PROFILE") else None


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
