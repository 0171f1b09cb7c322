"""Connections to PostgreSQL for many app servers: which way to hold them, by measurement.

The same gunicorn (2 workers × 4 threads, the threads a rush needs to keep
waiting clients from queueing behind a slow request) serves the public bed
page ``/kamar/`` (48 beds: a few queries and a template) and the queue
screens' JSON ``/lengko/layar/data.json`` (no template) under wrk, with each
way of holding connections that settings offer:

- ``persistent``: one connection per worker thread, kept 60 s
  (``DATABASE_CONN_MAX_AGE=60``, the default in production);
- ``pool``: Django's psycopg pool per worker process (``DATABASE_POOL_SIZE=2``);
- ``per request``: a new connection for every request (``DATABASE_CONN_MAX_AGE=0``).

Figures: requests/s and p99 beside the same server's hello-world, and the
most connections the server held at once (``pg_stat_activity``): what 27 or
514 cities' app servers would ask of one PostgreSQL (max_connections 100 by
default). PgBouncer (Debian's ``pgbouncer``) is not installed on the
benchmark machines, so it is not measured here.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psycopg

from bench.common import (
    PG_HOST,
    PG_USER,
    PYTHON,
    RESULTS,
    ROOT,
    Figure,
    Load,
    bench_env,
    create_database,
    drop_database,
    free_port,
    migrate,
    stop_server,
    wrk,
)

DB_NAME = "kotacerdas_bench_scale"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
WORKERS = 2
THREADS = 4
# A page of a few queries and a template, and the lightest page that asks the
# database anything (the queue screens' JSON: two queries, no template), where a
# connection's own cost would show most.
PAGES = ("/kamar/", "/lengko/layar/data.json")
ROUNDS = 3
SECONDS = 3
MODES = {
    "persistent": {"DATABASE_CONN_MAX_AGE": "60", "DATABASE_POOL_SIZE": "0"},
    "pool": {"DATABASE_CONN_MAX_AGE": "0", "DATABASE_POOL_SIZE": "2"},
    "per request": {"DATABASE_CONN_MAX_AGE": "0", "DATABASE_POOL_SIZE": "0"},
}


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        env = bench_env(
            DATABASE_URL=DATABASE_URL,
            DEBUG="false",
            LOG_LEVEL="WARNING",
            SMS_ADAPTER="file",
            SMS_FILE_PATH=str(Path(tmp) / "sms.jsonl"),
        )
        create_database(DB_NAME)
        try:
            migrate(env, "scale")
            _seed(env)
            # A copy per server: connections are counted per database.
            for mode in MODES:
                _copy_database(DB_NAME, _database(mode))
            figures = _measure_all(env)
        finally:
            for mode in MODES:
                drop_database(_database(mode))
            drop_database(DB_NAME)
    return figures


SEED = """
from kotacerdas.accounts.models import Unit
from kotacerdas.hospital.models import Bed, Room, Ward
from django.conf import settings
unit = Unit.objects.create(kind="hospital", code=settings.HOSPITAL_UNIT_CODE, name="RSD",
                           region_id="32.74")
for w in range(4):
    ward = Ward.objects.create(unit=unit, name=f"Bangsal {w}", bed_type=5)
    for r in range(3):
        room = Room.objects.create(ward=ward, name=f"Kamar {w}.{r}")
        Bed.objects.bulk_create(Bed(room=room, label=f"TT{b}") for b in range(4))
"""


def _seed(env: dict[str, str]) -> None:
    """The city's regions and a hospital of 48 beds: /kamar/ has something to read."""
    for command in (["load_regions"], ["shell", "-c", SEED]):
        subprocess.run(
            [str(PYTHON), "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def _measure_all(env: dict[str, str]) -> list[Figure]:
    """All three servers run at once and are loaded in turn, round after round.

    The machine is shared and its speed drifts by 2-4× within minutes; taking
    each mode's hello-world and pages side by side in every round, and the
    median over the rounds, keeps the comparison fair.
    """
    servers, ports = [], {}
    try:
        for mode, settings in MODES.items():
            print(
                f"scale: a server with {mode} connections ({WORKERS} workers × {THREADS} threads)"
            )
            ports[mode] = free_port()
            log = RESULTS / f"gunicorn-scale-{mode.replace(' ', '-')}.log"
            url = f"postgres://{PG_USER}@{PG_HOST}:5432/{_database(mode)}"
            servers.append(_start(ports[mode], env | settings | {"DATABASE_URL": url}, log))
        runs: dict[tuple[str, str], list[tuple[Load, int]]] = {}
        for round_number in range(ROUNDS):
            print(f"scale: round {round_number + 1} of {ROUNDS}", flush=True)
            for mode, port in ports.items():
                for page in ("/halo", *PAGES):
                    runs.setdefault((mode, page), []).append(_load(port, page, _database(mode)))
    finally:
        for server in servers:
            stop_server(server)
    return [figure for mode in MODES for figure in _figures(mode, runs)]


def _start(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """gunicorn, as common.start_gunicorn, waiting up to 3 minutes: on a shared
    machine three servers starting at once take longer than its 30 s."""
    args = [str(ROOT / ".venv" / "bin" / "gunicorn"), "kotacerdas.wsgi:application"]
    args += ["--workers", str(WORKERS), "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/halo", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within 3 minutes; see {log}")


def _database(mode: str) -> str:
    return f"{DB_NAME}_{mode.replace(' ', '_')}"


def _copy_database(source: str, name: str) -> None:
    drop_database(name)
    with psycopg.connect(host=PG_HOST, user=PG_USER, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


def _load(port: int, page: str, database: str) -> tuple[Load, int]:
    peak = _PeakConnections(database)
    peak.start()
    try:
        load = wrk(f"http://127.0.0.1:{port}{page}", connections=16, seconds=SECONDS)
    finally:
        peak.stop()
    return load, peak.most


def _figures(mode: str, runs: dict[tuple[str, str], list[tuple[Load, int]]]) -> list[Figure]:
    base_rate = statistics.median(load.rate for load, _ in runs[mode, "/halo"])
    base_p99 = statistics.median(load.p99_ms for load, _ in runs[mode, "/halo"])
    figures = []
    for page in PAGES:
        rate = statistics.median(load.rate for load, _ in runs[mode, page])
        p99 = statistics.median(load.p99_ms for load, _ in runs[mode, page])
        errors = sum(load.errors for load, _ in runs[mode, page])
        most = max(most for _, most in runs[mode, page])
        print(
            f"  {mode}: {page} {rate:,.0f} req/s (hello-world {base_rate:,.0f}), p99 {p99:.1f} ms, "
            f"{errors} errors, at most {most} connections",
            flush=True,
        )
        figures += [
            Figure(
                f"{page} with {mode} connections, rate",
                rate,
                "req/s",
                higher=True,
                baseline=base_rate,
                note=f"median of {ROUNDS} rounds; {errors} errors",
            ),
            Figure(f"{page} with {mode} connections, p99", p99, "ms", baseline=base_p99),
            Figure(f"{page} with {mode} connections, most held", most, "connections"),
        ]
    return figures


class _PeakConnections(threading.Thread):
    """Counts one database's connections every 50 ms; keeps the most."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.most = 0
        self._stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(host=PG_HOST, user=PG_USER, dbname="postgres", autocommit=True) as c:
            while not self._stop.is_set():
                row = c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.database]
                ).fetchone()
                self.most = max(self.most, int(row[0]) if row else 0)
                time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self.join(timeout=5)
