"""Cirebon Melet: RADIUS accounting imported per second, and the public WiFi page, on a
throwaway PostgreSQL database of its own.

1. ``melet_import_radacct FILE.csv`` on a CSV of ROWS session rows (one month at
   POINTS points, DEVICES devices, sessions of 5 minutes to 3 hours, many across
   hours), in a child process: rows per second and the process's peak memory
   (bounded: batches of 50,000 rows, whatever the file's size), beside that of
   the reader it forks. Then the same
   file again (a re-import, which must change nothing).
2. The public WiFi page ``/melet/wifi/`` with POINTS points, under wrk on
   gunicorn, beside the same server's hello-world (``common.baseline``).
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    PG_HOST,
    PG_USER,
    RESULTS,
    Figure,
    baseline,
    bench_env,
    create_database,
    drop_database,
    free_port,
    migrate,
    peak_rss_mb,
    run_child,
    start_gunicorn,
    stop_server,
    wrk,
)

DB_NAME = "kotacerdas_bench_literacy"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
# MELET_BENCH_ROWS: a smaller file for a quick look (the figure is for 1,000,000).
ROWS = int(os.environ.get("MELET_BENCH_ROWS", "1000000"))
POINTS = 200
DEVICES = 40_000
WORKERS = 2
# The target; memory: what a small import box can spare beside PostgreSQL.
IMPORT_TARGET = 50_000.0  # rows/s
MEMORY_TARGET_MB = 400.0
PAGE_TARGET = 0.25  # of the hello-world rate: a page of 200 points is a real page


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="literacy-bench-") as tmp:
        env = bench_env(
            DATABASE_URL=DATABASE_URL,
            DEBUG="false",
            LOG_LEVEL="WARNING",
            SMS_ADAPTER="file",
            SMS_FILE_PATH=str(Path(tmp) / "sms-outbox.jsonl"),
            TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
            MELET_BENCH_CSV=str(Path(tmp) / "radacct.csv"),
        )
        create_database(DB_NAME)
        try:
            migrate(env, "literacy")
            print(f"literacy: {POINTS} points and a radacct CSV of {ROWS:,} rows …", flush=True)
            seeded = run_child("bench.literacy", "seed", env)
            print(f"  written in {seeded['seconds']:.1f} s ({seeded['mb']:.0f} MB)", flush=True)
            print("literacy: melet_import_radacct on it (one process) …", flush=True)
            first = run_child("bench.literacy", "import", env)
            print(
                f"  {first['rate']:,.0f} rows/s, peak {first['max_rss_mb']:.0f} MB"
                f" (reader {first['reader_rss_mb']:.0f} MB)",
                flush=True,
            )
            again = run_child("bench.literacy", "import", env)
            print(
                f"  re-import: {again['rate']:,.0f} rows/s, {again['counted']} counted", flush=True
            )
            figures = [
                Figure(
                    "radacct rows imported (1,000,000-row CSV, one import with its reader)",
                    first["rate"],
                    "rows/s",
                    IMPORT_TARGET,
                    higher=True,
                    note=f"issue 14; {first['seconds']:.1f} s in all; baseline: csv.reader"
                    " alone reading the file",
                    baseline=first["read_rate"],
                ),
                Figure(
                    "radacct import peak memory (max RSS of the importer)",
                    first["max_rss_mb"],
                    "MB",
                    MEMORY_TARGET_MB,
                    note=f"batches of 50,000 rows; the forked reader's max RSS"
                    f" {first['reader_rss_mb']:.0f} MB, mostly pages shared with the importer",
                ),
                Figure(
                    "radacct re-import of the same file (changes nothing)",
                    again["rate"],
                    "rows/s",
                    IMPORT_TARGET,
                    higher=True,
                    note=f"{again['counted']} rows counted again (must be 0)",
                    baseline=again["read_rate"],
                ),
            ]
            return figures + _page(env)
        finally:
            drop_database(DB_NAME)


def _page(env: dict[str, str]) -> list[Figure]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_gunicorn(port, env, RESULTS / "gunicorn-literacy.log", workers=WORKERS)
    try:
        print(f"literacy: /melet/wifi/ with {POINTS} points, gunicorn ({WORKERS} workers) …")
        hello = baseline(port)
        load = wrk(f"http://127.0.0.1:{port}/melet/wifi/")
        print(f"  {load.rate:,.0f} req/s, p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms")
        if load.errors:
            raise RuntimeError(f"/melet/wifi/: {load.errors} errors under wrk")
    finally:
        stop_server(server)
    return [
        Figure(
            f"public WiFi page ({POINTS} points): rate",
            load.rate,
            "req/s",
            hello.rate * PAGE_TARGET,
            higher=True,
            baseline=hello.rate,
            note=f"target {PAGE_TARGET:.0%} of hello-world",
        ),
        Figure(
            f"public WiFi page ({POINTS} points): p99",
            load.p99_ms,
            "ms",
            100.0,
            baseline=hello.p99_ms,
        ),
    ]


# Child steps: run with Django set up on the bench database ---------------------


def seed() -> dict[str, Any]:
    """POINTS points across the kelurahan, then the CSV (written directly: it is big)."""
    from decimal import Decimal

    from django.conf import settings

    from kotacerdas.literacy.models import Point
    from kotacerdas.literacy.tests.radacct_files import COLUMNS
    from kotacerdas.regions.actions import load_regions
    from kotacerdas.regions.models import Region

    started = time.perf_counter()
    load_regions(settings.REGIONS_FILE)
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN))
    rng = random.Random(14)
    Point.objects.bulk_create(
        Point(
            code=f"B{n:04d}",
            name=f"Titik WiFi {n}",
            kind=Point.Kind.PUBLIC_SPACE,
            kelurahan=kelurahan[n % len(kelurahan)],
            latitude=Decimal("-6.7") - Decimal(rng.randint(0, 400)) / 10000,
            longitude=Decimal("108.54") + Decimal(rng.randint(0, 400)) / 10000,
            nas_id=f"10.20.{n // 250}.{n % 250 + 1}",
        )
        for n in range(POINTS)
    )
    path = Path(os.environ["MELET_BENCH_CSV"])
    month = 1_793_466_000  # 2026-11-01 00:00 WIB, as epoch seconds
    empty = ",".join([""] * 9)  # the columns after callingstationid we leave empty
    with path.open("w") as out:
        out.write(",".join(COLUMNS) + "\n")
        for n in range(ROWS):
            start = month + rng.randrange(30 * 86400)
            seconds = rng.randrange(300, 3 * 3600)
            device = rng.randrange(DEVICES)
            nas = f"10.20.{device % POINTS // 250}.{device % POINTS % 250 + 1}"
            out.write(
                f"{n},{n:08x},u{n:x},v{device},,{nas},,Wireless-802.11,"
                f"{_time(start)},{_time(start + seconds)},{_time(start + seconds)},300,{seconds},"
                f"RADIUS,,,{seconds * 40},{seconds * 900},00-0C-42:Melet,"
                f"02-00-00-{device >> 16 & 255:02X}-{device >> 8 & 255:02X}-{device & 255:02X},"
                f"User-Request,{empty}\n"
            )
    return {"seconds": time.perf_counter() - started, "mb": path.stat().st_size / 2**20}


def _time(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+07", time.gmtime(epoch + 7 * 3600))


def import_file() -> dict[str, Any]:
    from kotacerdas.literacy.imports import import_csv

    path = Path(os.environ["MELET_BENCH_CSV"])
    started = time.perf_counter()
    run = import_csv(path)
    seconds = time.perf_counter() - started
    # The baseline of this run's machine: Python's csv module only reading the file
    # (no parsing, no database), the floor of any importer written in Python.
    started = time.perf_counter()
    with path.open(newline="") as handle:
        lines = sum(1 for _ in csv.reader(handle)) - 1
    read_rate = lines / (time.perf_counter() - started)
    if run.bad_count:
        raise RuntimeError(f"{run.bad_count} rows refused: {run.bad[:3]}")
    return {
        "seconds": seconds,
        "rate": run.rows / seconds,
        "read_rate": read_rate,
        "counted": run.counted,
        "max_rss_mb": peak_rss_mb(),
        # The forked reader: most of its pages are the parent's, shared by fork.
        "reader_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({"seed": seed, "import": import_file}[sys.argv[1]]()))
