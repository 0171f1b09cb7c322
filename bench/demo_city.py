"""`manage.py demo --scale city` on a fresh PostgreSQL database: time and peak memory."""

from __future__ import annotations

import os
import subprocess
import time

from bench.common import DB_NAME, PYTHON, RESULTS, ROOT, Figure, bench_env, create_database

TARGET_SECONDS = 180.0
# Not a target from the brief: a budget that keeps the demo runnable on a small VM.
MEMORY_BUDGET_MB = 1024.0


def migrate() -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=bench_env(),
        check=True,
    )


def run() -> list[Figure]:
    print("demo: creating the bench database and migrating it …", flush=True)
    create_database(DB_NAME)
    migrate()
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / "demo-city.log"
    print(f"demo: manage.py demo --scale city (output in {log.relative_to(ROOT)}) …", flush=True)
    with log.open("w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [str(PYTHON), "manage.py", "demo", "--scale", "city"],
            cwd=ROOT,
            env=bench_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in migrate).
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"demo --scale city failed ({child.returncode}); see {log}")
    peak_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"demo: {elapsed:.1f} s wall, {cpu:.1f} s CPU in Python, peak RSS {peak_mb:.0f} MB",
        flush=True,
    )
    return [
        Figure(
            "demo --scale city: wall time",
            elapsed,
            "s",
            TARGET_SECONDS,
            note=f"Python CPU {cpu:.0f} s",
        ),
        Figure(
            "demo --scale city: peak RSS of the command",
            peak_mb,
            "MB",
            MEMORY_BUDGET_MB,
            note="budget, not from the brief; PostgreSQL's own memory not included",
        ),
    ]


def vacuum() -> None:
    """Settle the fresh tables before timing pages (autovacuum would, minutes later)."""
    import psycopg

    from bench.common import PG_HOST, PG_USER

    with psycopg.connect(host=PG_HOST, user=PG_USER, dbname=DB_NAME, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
