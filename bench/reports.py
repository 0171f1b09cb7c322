"""Wadul Bae at load, on a throwaway PostgreSQL database of its own.

1. Web intake: clients POST the public form (with its CSRF token) to gunicorn
   as fast as they can; reports stored per second of wall time. Every request
   comes from 127.0.0.1 (X-Forwarded-For is not trusted, rightly), so the
   server runs with WADUL_MAX_PER_HOUR raised instead of faking addresses.
2. SMS intake: ``messaging.actions.receive`` for ``WADUL …`` messages from
   distinct numbers, in-process, with the immediate task backend, so each
   message is stored, routed, filed as a report and answered (file adapter)
   before the next; reports per second.
3. The case list ``/wadul/kasus/`` with 50,000 cases in the unit, served by
   gunicorn to a signed-in officer (password, then TOTP from ``manage.py
   totp_code``): median and p95 over 200 requests per page, and its queries
   (counted in-process with the test Client).

The in-process parts run in child processes (``python -m bench.reports
<step>``) so they use this database and settings, whatever the parent's
Django was set up with.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

from bench.common import (
    PG_HOST,
    PG_USER,
    PYTHON,
    RESULTS,
    ROOT,
    Figure,
    bench_env,
    create_database,
    drop_database,
    free_port,
    migrate,
    run_child,
    start_gunicorn,
    stop_server,
)
from bench.pages import Browser, Scenario, measure

DB_NAME = "kotacerdas_bench_reports"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
CASES = 50_000
WEB_REPORTS = 1_000
WEB_CLIENTS = 8
SMS_MESSAGES = 1_000
SMS_WORKERS = 4
WORKERS = 2  # as for the residents pages: a small VM
# Our targets (not from a regulation): a burst after a school assembly or a
# broadcast, with room to spare, and a case list as quick as the residents list.
WEB_TARGET = 50.0  # reports/s
SMS_TARGET = 100.0  # reports/s
LIST_TARGET_MS = 50.0
OFFICER = "ppa.petugas"  # the demo persona: protection officer of dp3a, with TOTP
PASSWORD = "cirebon-demo"
STORY = "Anak tetangga di gang sebelah sering dipukul dan tidak sekolah, mohon dicek."
LIST_PAGES = [
    ("open cases, page 1", "/wadul/kasus/"),
    ("all cases, page 1", "/wadul/kasus/?semua=1"),
    ("all cases, last page", "/wadul/kasus/?semua=1&page=last"),
    ("overdue first action", "/wadul/kasus/?terlambat=1"),
]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="wadul-bench-") as tmp:
        env = bench_env(
            DATABASE_URL=DATABASE_URL,
            DEBUG="false",
            LOG_LEVEL="WARNING",
            WADUL_MAX_PER_HOUR="1000000",
            SMS_ADAPTER="file",
            SMS_FILE_PATH=str(Path(tmp) / "sms-outbox.jsonl"),
            SMS_MAX_PER_NUMBER_PER_HOUR="100000",
        )
        create_database(DB_NAME)
        try:
            migrate(env, "reports")
            print(f"reports: demo personas and {CASES:,} cases …", flush=True)
            seeded = _child("seed", env)
            print(f"  built in {seeded['seconds']:.1f} s", flush=True)
            _vacuum()
            figures = _served(env)
            print(
                f"reports: {SMS_MESSAGES:,} WADUL messages through receive + process, "
                f"{SMS_WORKERS} workers …"
            )
            sms = _sms_workers(
                env | {"TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
            )
            print(
                f"  {sms['reports']:,} reports, {sms['replies']:,} replies in "
                f"{sms['seconds']:.1f} s: {sms['rate']:.0f} reports/s",
                flush=True,
            )
            figures.append(
                Figure(
                    f"Wadul Bae SMS intake (receive + route + reply, {SMS_WORKERS} workers)",
                    sms["rate"],
                    "reports/s",
                    SMS_TARGET,
                    higher=True,
                    note=f"our target; {sms['reports']:,}/{SMS_MESSAGES:,} filed",
                )
            )
            return figures
        finally:
            drop_database(DB_NAME)


def _served(env: dict[str, str]) -> list[Figure]:
    """The two measurements against gunicorn: web intake, then the case list."""
    queries = _child("queries", env)
    port = free_port()
    server = start_gunicorn(
        port,
        env,
        RESULTS / "gunicorn-reports.log",
        workers=WORKERS,
        extra_args=("--keep-alive", "30"),
    )
    try:
        figures = [_web_intake(port)]
        print(
            f"reports: case list at {CASES:,} cases, gunicorn ({WORKERS} workers), "
            f"{OFFICER} signed in with TOTP …",
            flush=True,
        )
        officer = Browser(port)
        _sign_in(officer, env)
        last = queries["last_page"]
        for label, path in LIST_PAGES:
            path = path.replace("page=last", f"page={last}")
            timings = measure(officer, Scenario(OFFICER, label, "GET", path))
            median = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[-1]
            count = queries["pages"][label]
            print(
                f"  {label:<24} median {median:6.1f} ms  p95 {p95:6.1f} ms  {count} queries",
                flush=True,
            )
            figures.append(
                Figure(
                    f"Wadul Bae case list, {label}, median",
                    median,
                    "ms",
                    LIST_TARGET_MS,
                    note=f"{count} queries, {len(timings)} requests, {CASES:,} cases",
                )
            )
            figures.append(Figure(f"Wadul Bae case list, {label}, p95", p95, "ms"))
        officer.close()
    finally:
        stop_server(server)
    if any(f.met is False for f in figures if "case list" in f.name):
        print("reports: the case list missed its target; its plan:\n" + queries["explain"])
    (RESULTS / "reports-case-list-explain.txt").write_text(queries["explain"])
    return figures


def _web_intake(port: int) -> Figure:
    print(
        f"reports: {WEB_REPORTS:,} web reports from {WEB_CLIENTS} clients, "
        f"gunicorn ({WORKERS} workers) …",
        flush=True,
    )
    clients = [Browser(port) for _ in range(WEB_CLIENTS)]
    for client in clients:
        status, _, _ = client.request("GET", "/wadul/")
        if status != 200 or not client.csrf:
            raise RuntimeError(f"GET /wadul/ answered {status} without a CSRF token")
    share = [
        WEB_REPORTS // WEB_CLIENTS + (i < WEB_REPORTS % WEB_CLIENTS) for i in range(WEB_CLIENTS)
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WEB_CLIENTS) as pool:
        latencies = [
            ms
            for part in pool.map(_post_reports, clients, share, range(WEB_CLIENTS))
            for ms in part
        ]
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    rate = len(latencies) / elapsed
    print(
        f"  {len(latencies):,} reports in {elapsed:.1f} s: {rate:.0f} reports/s, "
        f"median {statistics.median(latencies):.0f} ms per POST",
        flush=True,
    )
    return Figure(
        "Wadul Bae web intake (POST /wadul/, CSRF, PostgreSQL)",
        rate,
        "reports/s",
        WEB_TARGET,
        higher=True,
        note=f"our target; {WEB_CLIENTS} clients, {WORKERS} workers",
    )


def _post_reports(client: Browser, count: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    latencies = []
    for i in range(count):
        form = {
            "story": f"{STORY} ({seed}-{i})",
            "category_hint": rng.choice(["physical", "neglect", "bullying", ""]),
            "age_group": rng.choice(["0-4", "5-12", "13-17", "unknown"]),
            "place": "dekat masjid",
            "csrfmiddlewaretoken": client.csrf,
        }
        t0 = time.perf_counter()
        status, location, body = client.request("POST", "/wadul/", form)
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != 302 or "/wadul/terkirim/" not in location:
            raise RuntimeError(f"POST /wadul/ answered {status}: {body[:300]!r}")
    return latencies


def _sign_in(browser: Browser, env: dict[str, str]) -> None:
    browser.request("GET", "/masuk/")
    status, _, _ = browser.request(
        "POST",
        "/masuk/",
        {"username": OFFICER, "password": PASSWORD, "csrfmiddlewaretoken": browser.csrf},
    )
    if status != 302:
        raise RuntimeError(f"{OFFICER} could not sign in (HTTP {status})")
    code = subprocess.run(
        [str(PYTHON), "manage.py", "totp_code", OFFICER],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    browser.request("GET", "/kode/")
    status, location, _ = browser.request(
        "POST", "/kode/", {"code": code, "csrfmiddlewaretoken": browser.csrf}
    )
    status, location, _ = browser.request("GET", "/wadul/kasus/")
    if status != 200:
        raise RuntimeError(f"{OFFICER} cannot open /wadul/kasus/ (HTTP {status} → {location})")


def _sms_workers(env: dict[str, str]) -> dict[str, Any]:
    """Several worker processes share the messages, as gateway requests and task
    workers do in production; each waits on its own commits (fsync), not on the others'."""
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [str(PYTHON), "-m", "bench.reports", "sms"],
            cwd=ROOT,
            env=env
            | {
                "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
                "BENCH_SMS_WORKER": str(k),
                "BENCH_SMS_WORKERS": str(SMS_WORKERS),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(SMS_WORKERS)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        if worker.returncode != 0:
            raise RuntimeError(f"bench.reports sms failed:\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.perf_counter() - started
    reports = sum(r["reports"] for r in results)
    return {
        "reports": reports,
        "replies": max(r["replies"] for r in results),
        "seconds": elapsed,
        "rate": reports / elapsed,
    }


def _child(step: str, env: dict[str, str]) -> dict[str, Any]:
    return run_child("bench.reports", step, env)


def _vacuum() -> None:
    with psycopg.connect(host=PG_HOST, user=PG_USER, dbname=DB_NAME, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


# Child steps: run with Django set up on the bench database ---------------------


def seed() -> dict[str, Any]:
    """The demo personas (small city), then CASES cases of dp3a, each with its report."""
    import datetime as dt

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from kotacerdas.accounts.models import Unit, User
    from kotacerdas.regions.models import Region
    from kotacerdas.reports.models import Case, Category, Report, Stage

    started = time.perf_counter()
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    unit = Unit.objects.get(code=settings.WADUL_UNIT_CODE)
    officer = User.objects.get(username=OFFICER)
    kelurahan = list(
        Region.objects.filter(level=Region.Level.KELURAHAN).values_list("code", flat=True)
    )
    rng = random.Random(2017)
    now = timezone.now()
    categories = [c.value for c in Category]
    # Most cases of three years are closed; the open ones spread over the stages.
    stages = [s.value for s in Stage]
    weights = [8, 4, 8, 2, 2, 6, 70]
    with transaction.atomic():
        for start in range(0, CASES, 5_000):
            cases = []
            for i in range(start, min(start + 5_000, CASES)):
                reported = now - dt.timedelta(seconds=rng.randrange(3 * 365 * 86_400))
                verified = reported + dt.timedelta(hours=rng.randrange(1, 96))
                stage = rng.choices(stages, weights)[0]
                acted = stage != Stage.PENGADUAN or rng.random() < 0.3
                cases.append(
                    Case(
                        number=f"PPA-{reported.year}-{i + 1:05d}",
                        category=rng.choice(categories),
                        urgent=rng.random() < 0.05,
                        kelurahan_id=rng.choice(kelurahan),
                        unit=unit,
                        officer=officer,
                        stage=stage,
                        reported_at=reported,
                        verified_at=verified,
                        action_due=(verified + dt.timedelta(days=7)).date(),
                        first_action_at=verified + dt.timedelta(days=2) if acted else None,
                        closed_at=verified + dt.timedelta(days=30)
                        if stage == Stage.SELESAI
                        else None,
                    )
                )
            Case.objects.bulk_create(cases)
            Report.objects.bulk_create(
                Report(
                    tracking_code=f"WB-{case.pk:06d}",
                    channel=rng.choice([Report.Channel.WEB, Report.Channel.SMS]),
                    story=STORY,
                    kelurahan_id=case.kelurahan_id,
                    age_group=rng.choice(["0-4", "5-12", "13-17", "mother"]),
                    unit=unit,
                    verify_due=case.reported_at.date() + dt.timedelta(days=5),
                    status=Report.Status.CASE,
                    case=case,
                    triaged_by=officer,
                    triaged_at=case.verified_at,
                )
                for case in cases
            )
        with connection.cursor() as cursor:
            # auto_now_add stamped every row with now: a case opens when verified.
            cursor.execute("UPDATE reports_case SET opened_at = verified_at")
            cursor.execute(
                "UPDATE reports_report r SET created_at = c.reported_at "
                "FROM reports_case c WHERE r.case_id = c.id"
            )
    return {"cases": Case.objects.count(), "seconds": time.perf_counter() - started}


def sms() -> dict[str, Any]:
    from kotacerdas.messaging.actions import receive
    from kotacerdas.messaging.models import Message
    from kotacerdas.reports.models import Report

    worker = int(os.environ.get("BENCH_SMS_WORKER", "0"))
    workers = int(os.environ.get("BENCH_SMS_WORKERS", "1"))
    mine = range(worker, SMS_MESSAGES, workers)
    started = time.perf_counter()
    for i in mine:
        receive(
            adapter="file",
            phone=f"+62813{i:08d}",
            text=f"WADUL {STORY} RT {i % 20 + 1:02d}",
            gateway_id=f"bench-{i}",
        )
    elapsed = time.perf_counter() - started
    # Reports filed from this worker's numbers (workers share the database).
    reports = Report.objects.filter(
        channel=Report.Channel.SMS, reporter_phone__in=[f"+62813{i:08d}" for i in mine]
    ).count()
    replies = Message.objects.filter(direction=Message.Direction.OUT).count()
    return {"reports": reports, "replies": replies, "seconds": elapsed, "rate": reports / elapsed}


def queries() -> dict[str, Any]:
    """Queries per case-list page (test Client, in-process), and the plan of its sort."""
    import math

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kotacerdas.accounts.models import User
    from kotacerdas.reports.access import cases_for_user

    user = User.objects.get(username=OFFICER)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    last = max(1, math.ceil(cases_for_user(user).count() / 50))
    pages = {}
    for label, path in LIST_PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path.replace("page=last", f"page={last}"))
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code} in-process")
        pages[label] = len(captured.captured_queries)
    ids = (
        cases_for_user(user)
        .exclude(stage="selesai")
        .order_by("-urgent", "-opened_at", "-id")
        .values_list("pk", flat=True)[:50]
    )
    statement, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params)
        explain = "\n".join(row[0] for row in cursor.fetchall())
    return {"pages": pages, "last_page": last, "explain": explain}


STEPS = {"seed": seed, "sms": sms, "queries": queries}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(STEPS[sys.argv[1]]()))
