"""Brojol Aja Klalen: certificates and their verification page, on a throwaway
PostgreSQL database of its own.

1. Certificates rendered per second: the akta template (HTML + CSS, a segno QR
   as inline SVG) through WeasyPrint to an A4 PDF, in one process, one after
   another, each a different registered birth (after a warm-up).
2. The public verification page ``/akta/v/<token>/`` (what a QR opens), served
   by gunicorn with CERTIFICATES certificates in the table: median and p95 of
   the server's answer over REQUESTS requests, each for another token; and a
   forged token (not found); then one token's page under wrk c=16 (served from
   the shared cache), its rate beside the same server's hello-world rate.

The in-process parts run in a child process (``python -m bench.births <step>``)
so that they use this database and settings.
"""

from __future__ import annotations

import http.client
import json
import random
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
    part_db,
    run_child,
    start_gunicorn,
    stop_server,
    wrk,
)

DB_NAME = part_db("births")
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
CERTIFICATES = 20_000  # about four years of Kota Cirebon's births
RENDERS = 40
WARM_UP = 3
REQUESTS = 300
WORKERS = 2
# Our targets. Rendering: a backlog of 1,000 certificates (a busy month after a
# SIAK outage) re-made within two minutes by one worker process; the city
# registers ≈ 5,000 births a year, so daily work is far below. Verification: as
# quick as the residents pages, for a page anyone may open from a QR.
RENDER_TARGET = 8.0  # certificates/s
VERIFY_MEDIAN_MS = 20.0
VERIFY_P95_MS = 50.0
VERIFY_RATIO = 0.25  # of the hello-world rate under wrk (issue 12)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="births-bench-") as tmp:
        env = bench_env(
            DATABASE_URL=DATABASE_URL,
            DEBUG="false",
            LOG_LEVEL="WARNING",
            SMS_ADAPTER="file",
            SMS_FILE_PATH=str(Path(tmp) / "sms-outbox.jsonl"),
            MEDIA_ROOT=str(Path(tmp) / "media"),
            TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
            # Every forged code comes from this one address: the page is timed
            # here, not the per-address limit on unknown codes (its own tests).
            BIRTHS_UNKNOWN_CODES_PER_HOUR=str(10 * REQUESTS),
        )
        create_database(DB_NAME)
        try:
            migrate(env, "births")
            print(f"births: demo city (small) and {CERTIFICATES:,} registered births …", flush=True)
            seeded = _child("seed", env)
            print(f"  built in {seeded['seconds']:.1f} s", flush=True)
            print(f"births: rendering {RENDERS} certificates (WeasyPrint, one process) …")
            rendered = _child("render", env)
            print(
                f"  {rendered['rate']:.1f} certificates/s "
                f"({rendered['median_ms']:.0f} ms each, {rendered['kb']:.0f} kB)",
                flush=True,
            )
            figures = [
                Figure(
                    "akta PDF rendered (WeasyPrint + QR, 1 process)",
                    rendered["rate"],
                    "certificates/s",
                    RENDER_TARGET,
                    higher=True,
                    note=f"our target; {rendered['median_ms']:.0f} ms median",
                )
            ]
            figures += _verification(env, seeded["tokens"])
            return figures
        finally:
            drop_database(DB_NAME)


def _verification(env: dict[str, str], tokens: list[str]) -> list[Figure]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_gunicorn(
        port,
        env,
        RESULTS / "gunicorn-births.log",
        workers=WORKERS,
        extra_args=("--keep-alive", "30"),
    )
    try:
        print(
            f"births: verification page, gunicorn ({WORKERS} workers), {REQUESTS} tokens …",
            flush=True,
        )
        valid = _timings(port, [f"/akta/v/{token}/" for token in tokens[:REQUESTS]], 200)
        forged = _timings(port, [f"/akta/v/forged{n:016d}/" for n in range(REQUESTS // 3)], 404)
        figures = _loaded(port, tokens[0])
    finally:
        stop_server(server)
    for label, timings in (("valid token", valid), ("forged token", forged)):
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"  {label}: median {median:.1f} ms, p95 {p95:.1f} ms", flush=True)
        figures += [
            Figure(f"verification page, {label}: median", median, "ms", VERIFY_MEDIAN_MS),
            Figure(f"verification page, {label}: p95", p95, "ms", VERIFY_P95_MS),
        ]
    return figures


def _loaded(port: int, token: str) -> list[Figure]:
    """One certificate's page under wrk c=16 (a QR passed round, a news story): served
    from the shared cache for PAGE_CACHE_SECONDS; its rate beside hello-world's."""
    hello = baseline(port)
    load = wrk(f"http://127.0.0.1:{port}/akta/v/{token}/", timeout=30)
    print(
        f"  one token under wrk c=16: {load.rate:.0f} req/s, p50 {load.p50_ms:.1f} ms, "
        f"{load.errors} errors",
        flush=True,
    )
    return [
        Figure(
            "verification page, one token, rate (wrk c=16)",
            load.rate,
            "req/s",
            VERIFY_RATIO * hello.rate,
            higher=True,
            note=f"issue 12: ≥ {VERIFY_RATIO:.0%} of hello-world; {load.errors} errors",
            baseline=hello.rate,
        ),
        Figure(
            "verification page, one token, p50 (wrk c=16)",
            load.p50_ms,
            "ms",
            baseline=hello.p50_ms,
        ),
    ]


def _timings(port: int, paths: list[str], expected: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings: list[float] = []
    try:
        for i, path in enumerate(paths[:WARM_UP] + paths):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != expected:
                raise RuntimeError(f"{path}: HTTP {response.status}, expected {expected}")
            if i >= WARM_UP:
                timings.append(elapsed)
    finally:
        conn.close()
    return timings


def _child(step: str, env: dict[str, str]) -> dict[str, Any]:
    return run_child("bench.births", step, env)


# Child steps: run with Django set up on the bench database ---------------------


def seed() -> dict[str, Any]:
    """The small demo city, then CERTIFICATES registered births with one certificate each.

    Rows are copied from the demo's registered birth (bulk, without PDFs):
    the verification page reads the certificate row only.
    """
    import secrets

    from django.core.management import call_command
    from django.db import transaction

    from kotacerdas.births.models import Certificate, Declaration

    started = time.perf_counter()
    call_command("demo", "--scale", "small", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    model = Declaration.objects.get(status=Declaration.Status.REGISTERED)
    certificate = model.certificates.get()
    rng = random.Random(7)
    names = ["Aisyah", "Rizki", "Nabila", "Fajar", "Zahra", "Raka", "Putri", "Dimas"]
    with transaction.atomic():
        declarations = []
        for n in range(CERTIFICATES):
            copy = Declaration.objects.get(pk=model.pk)
            copy.pk = None
            copy.reference = f"BRJ-B{n:06d}"
            copy.child = None
            copy.child_name = f"{rng.choice(names)} {rng.choice(names)} {n}"
            copy.akta_number = f"3274-LU-01012026-{n:05d}"
            declarations.append(copy)
        Declaration.objects.bulk_create(declarations, batch_size=2000)
        certificates = [
            Certificate(
                declaration=declaration,
                version=1,
                token=secrets.token_urlsafe(16),
                akta_number=declaration.akta_number or "",
                shown=certificate.shown | {"child_name": declaration.child_name},
                registrar_name=certificate.registrar_name,
                issued_by_id=certificate.issued_by_id,
            )
            for declaration in declarations
        ]
        Certificate.objects.bulk_create(certificates, batch_size=2000)
    tokens = [c.token for c in certificates]
    rng.shuffle(tokens)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE births_certificate")
    return {"seconds": time.perf_counter() - started, "tokens": tokens[:REQUESTS]}


def render() -> dict[str, Any]:
    from kotacerdas.births.certificates import render_pdf
    from kotacerdas.births.models import Certificate

    certificates = list(Certificate.objects.order_by("id")[: WARM_UP + RENDERS])
    timings = []
    size = 0
    for i, certificate in enumerate(certificates):
        started = time.perf_counter()
        content = render_pdf(certificate)
        if i >= WARM_UP:
            timings.append(time.perf_counter() - started)
            size = len(content)
    return {
        "rate": len(timings) / sum(timings),
        "median_ms": statistics.median(timings) * 1000,
        "kb": size / 1024,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({"seed": seed, "render": render}[sys.argv[1]]()))
