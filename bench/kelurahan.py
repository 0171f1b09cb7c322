"""Cirebon Sedulur letters, on a throwaway PostgreSQL database of its own.

1. Letters rendered per second: a letter's sandboxed text, letterhead and QR
   through WeasyPrint to an A4 PDF, in one process, one after another (after a
   warm-up), each a different issued letter.
2. The public verification page ``/cek-surat/<token>/`` (what a letter's QR
   opens) under wrk on gunicorn, beside the same server's hello-world baseline:
   its latency (p50) with one connection, which is what a person who scans
   sees (under c=16 on one worker the p50 is mostly the queue: 16 ÷ rate),
   and its rate with 16 connections.
3. The letters statistics page for the whole city (a Wali Kota's office
   member), in process (server time, no network), with LETTERS letters of the
   year in the table: the demo city's scale (400 letters a kelurahan a year for
   22 kelurahan), spread over the kelurahan the small demo has residents in.

The in-process parts run in a child process (``python -m bench.kelurahan <step>``)
so that they use this database and settings.
"""

from __future__ import annotations

import json
import statistics
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
    run_child,
    start_gunicorn,
    stop_server,
    wrk,
)

DB_NAME = "kotacerdas_bench_kelurahan"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
LETTERS = 22 * 400
RENDERS = 40
WARM_UP = 3
STATS_RUNS = 10
WORKERS = 1
# Issue 13's targets.
RENDER_TARGET = 20.0  # letters/s, one core
VERIFY_P50_MS = 10.0
STATS_MS = 300.0


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="kelurahan-bench-") as tmp:
        env = bench_env(
            DATABASE_URL=DATABASE_URL,
            DEBUG="false",
            LOG_LEVEL="WARNING",
            SMS_ADAPTER="file",
            SMS_FILE_PATH=str(Path(tmp) / "sms-outbox.jsonl"),
            TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
            # wrk asks for the same page thousands of times from one address.
            RATE_LIMIT_LETTER_VERIFY="100000000/3600",
        )
        create_database(DB_NAME)
        try:
            migrate(env, "kelurahan")
            print(f"kelurahan: demo city (small) and {LETTERS:,} letters this year …", flush=True)
            seeded = run_child("bench.kelurahan", "seed", env)
            print(f"  built in {seeded['seconds']:.1f} s", flush=True)
            rendered = run_child("bench.kelurahan", "render", env)
            print(f"  {rendered['rate']:.1f} letters/s ({rendered['median_ms']:.0f} ms each)")
            figures = [
                Figure(
                    "letter PDF rendered (sandbox + WeasyPrint + QR, 1 process)",
                    rendered["rate"],
                    "letters/s",
                    RENDER_TARGET,
                    higher=True,
                    note=f"{rendered['median_ms']:.0f} ms median, {rendered['kb']:.0f} kB",
                )
            ]
            figures += _verification(env, seeded["token"])
            timed = run_child("bench.kelurahan", "stats", env)
            print(f"  statistics page, whole city: median {timed['median_ms']:.0f} ms")
            figures.append(
                Figure(
                    f"letters statistics page, whole city ({timed['letters']:,} letters), median",
                    timed["median_ms"],
                    "ms",
                    STATS_MS,
                    note="server time in process",
                )
            )
            return figures
        finally:
            drop_database(DB_NAME)


def _verification(env: dict[str, str], token: str) -> list[Figure]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_gunicorn(
        port, env, RESULTS / "gunicorn-kelurahan.log", workers=WORKERS, threads=4
    )
    try:
        url = f"http://127.0.0.1:{port}/cek-surat/{token}/"
        base_one, one = baseline(port, connections=1), wrk(url, connections=1)
        base, load = baseline(port), wrk(url)
    finally:
        stop_server(server)
    if load.errors or one.errors:
        raise RuntimeError(f"verification page: {load.errors + one.errors} errors under wrk")
    print(f"  verification page: p50 {one.p50_ms:.1f} ms (c=1), {load.rate:,.0f} req/s", flush=True)
    return [
        Figure(
            "letter verification page: p50, one connection (wrk c=1)",
            one.p50_ms,
            "ms",
            VERIFY_P50_MS,
            baseline=base_one.p50_ms,
        ),
        Figure(
            "letter verification page: rate (wrk c=16)",
            load.rate,
            "req/s",
            higher=True,
            baseline=base.rate,
        ),
    ]


# Child steps: run with Django set up on the bench database ---------------------


def seed() -> dict[str, Any]:
    import random

    from django.core.management import call_command
    from django.db.models import Count

    from kotacerdas.accounts.models import Membership, Role, Unit, User
    from kotacerdas.kelurahan.demo import _history_of
    from kotacerdas.kelurahan.models import Letter, LetterType
    from kotacerdas.people.models import Person

    started = time.perf_counter()
    call_command("demo", "--scale", "small", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    lurah = User.objects.get(username="lurah.kejaksan")
    places = list(
        Person.objects.filter(status=Person.Status.ALIVE)
        .values_list("rt__rw__kelurahan_id", flat=True)
        .annotate(n=Count("pk"))
        .filter(n__gte=5)
    )
    missing = LETTERS - Letter.objects.count()
    types, rng = list(LetterType.objects.all()), random.Random(13)
    from django.utils import timezone

    today = timezone.localdate()
    for i, code in enumerate(places):
        share = missing // len(places) + (1 if i < missing % len(places) else 0)
        _history_of(code, share, types, today, lurah, rng)
    leader = User.objects.create_user("bench.walikota", password="x")
    Membership.objects.create(
        user=leader, unit=Unit.objects.get(code="dkis"), role=Role.CITY_LEADER
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kelurahan_letter; ANALYZE kelurahan_letterrequest")
    token = Letter.objects.filter(pdf__isnull=False, status="valid").values_list("token", flat=True)
    return {"seconds": time.perf_counter() - started, "token": token.first()}


def render() -> dict[str, Any]:
    from kotacerdas.kelurahan import pdf
    from kotacerdas.kelurahan.models import Letter

    letters = list(
        Letter.objects.select_related("template", "kelurahan", "letter_type")[: WARM_UP + RENDERS]
    )
    timings, size = [], 0
    for i, letter in enumerate(letters):
        started = time.perf_counter()
        content = pdf.render(letter)
        if i >= WARM_UP:
            timings.append(time.perf_counter() - started)
            size = len(content)
    return {
        "rate": len(timings) / sum(timings),
        "median_ms": statistics.median(timings) * 1000,
        "kb": size / 1024,
    }


def stats() -> dict[str, Any]:
    from django.test import Client
    from django.utils import timezone

    from kotacerdas.accounts.models import User
    from kotacerdas.kelurahan.models import Letter

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench.walikota"))
    year = str(timezone.localdate().year)
    timings = []
    for i in range(STATS_RUNS + 1):
        started = time.perf_counter()
        response = client.get("/surat/statistik/", {"tahun": year})
        if response.status_code != 200:
            raise RuntimeError(f"statistics page: HTTP {response.status_code}")
        if i:
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": statistics.median(timings),
        "letters": Letter.objects.filter(version=1).count(),
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({"seed": seed, "render": render, "stats": stats}[sys.argv[1]]()))
