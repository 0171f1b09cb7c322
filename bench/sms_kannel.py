"""Inbound SMS through real Kannel, to stored and routed, on a throwaway database.

fakesmsc sends 2,000 messages as fast as it can; bearerbox and smsbox (from
``manage.py kannel_config``) pass each to our Kannel endpoint under gunicorn,
which stores it and processes it inline (the immediate task backend: routed,
the help reply sent back through sendsms). The clock stops when every message
is ``processed`` in the database. Lost = sent but never stored; duplicated =
stored more often than sent.
"""

from __future__ import annotations

import subprocess
import tempfile
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
    bench_env,
    create_database,
    drop_database,
    free_port,
    migrate,
    start_gunicorn,
    stop_server,
)

DB_NAME = "kotacerdas_bench_sms"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
MESSAGES = 2000
TARGET_PER_SECOND = 200.0
TOKEN = "bench-inbound-token-0123456789abcdef"
ADMIN_PASSWORD = "bench-admin"
BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
TIME_BUDGET_S = 120.0


def run() -> list[Figure]:
    if not (BEARERBOX.exists() and FAKESMSC.exists()):
        print("sms: skipped, Kannel is missing (apt-get install kannel kannel-extras)")
        return []
    ports = {name: free_port() for name in ("web", "admin", "smsbox", "sendsms", "fake")}
    env = bench_env(
        DATABASE_URL=DATABASE_URL,
        DEBUG="false",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        SMS_ADAPTER="kannel",
        SMS_INBOUND_TOKEN=TOKEN,
        SMS_INBOUND_ALLOWED_IPS="127.0.0.1,::1",
        SMS_CALLBACK_BASE_URL=f"http://127.0.0.1:{ports['web']}",
        SMS_MAX_PER_NUMBER_PER_HOUR="100000",
        KANNEL_SENDSMS_URL=f"http://127.0.0.1:{ports['sendsms']}/cgi-bin/sendsms",
        KANNEL_PASSWORD="bench-sendsms",
    )
    create_database(DB_NAME)
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="kannel-bench-") as tmp:
        directory = Path(tmp)
        try:
            migrate(env, "sms")
            # Kannel opens many connections at once: a large backlog, or bursts are refused.
            processes.append(
                start_gunicorn(
                    ports["web"],
                    env,
                    RESULTS / "gunicorn-sms.log",
                    workers=3,
                    threads=8,
                    extra_args=("--backlog", "4096", "--keep-alive", "30", "--timeout", "60"),
                )
            )
            conf = _kannel_conf(directory, ports, env)
            processes.append(_start(BEARERBOX, conf, directory))
            _wait(lambda: bool(_status(ports["admin"])), "bearerbox")
            processes.append(_start(SMSBOX, conf, directory))
            _wait(lambda: "smsbox:(none)" in _status(ports["admin"]), "smsbox")
            return _measure(ports, directory, processes)
        finally:
            _get(f"http://127.0.0.1:{ports['admin']}/shutdown?password={ADMIN_PASSWORD}")
            for process in reversed(processes):
                stop_server(process, timeout=10)
            drop_database(DB_NAME)


def _measure(
    ports: dict[str, int], directory: Path, processes: list[subprocess.Popen[bytes]]
) -> list[Figure]:
    print(f"sms: {MESSAGES:,} inbound messages from fakesmsc through Kannel", flush=True)
    started = time.monotonic()
    phone = subprocess.Popen(
        [
            str(FAKESMSC),
            "-H",
            "127.0.0.1",
            "-r",
            str(ports["fake"]),
            "-i",
            "0",
            "-m",
            str(MESSAGES),
            "-z",
            "1",
            "+628123<rand> 1717 text INFO jadwal posyandu",
        ],
        stdout=(directory / "fakesmsc.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    processes.append(phone)
    stored = processed = 0
    deadline = started + TIME_BUDGET_S
    while time.monotonic() < deadline:
        stored, processed, _distinct = _counts()
        if processed >= MESSAGES:
            break
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    time.sleep(3)  # a late retry from smsbox would be a duplicate: give it time to show
    stored, processed, distinct = _counts()
    lost = max(0, MESSAGES - distinct)
    duplicated = stored - distinct
    note = "" if processed >= MESSAGES else f"stopped after {TIME_BUDGET_S:.0f} s"
    return [
        Figure(
            "SMS in via Kannel → stored and routed",
            processed / elapsed,
            "msg/s",
            TARGET_PER_SECOND,
            higher=True,
            note=note,
        ),
        Figure(f"SMS lost of {MESSAGES:,}", lost, "msg", 0),
        Figure(f"SMS duplicated of {MESSAGES:,}", duplicated, "msg", 0),
    ]


def _counts() -> tuple[int, int, int]:
    """(stored, processed, distinct Kannel ids) of inbound messages."""
    with psycopg.connect(host=PG_HOST, user=PG_USER, dbname=DB_NAME) as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'processed'),"
            " count(DISTINCT gateway_id) FROM messaging_message WHERE direction = 'in'"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def _kannel_conf(directory: Path, ports: dict[str, int], env: dict[str, str]) -> Path:
    conf = directory / "kannel.conf"
    text = subprocess.run(
        [
            str(PYTHON),
            "manage.py",
            "kannel_config",
            "--admin-port",
            str(ports["admin"]),
            "--smsbox-port",
            str(ports["smsbox"]),
            "--sendsms-port",
            str(ports["sendsms"]),
            "--fake-port",
            str(ports["fake"]),
            "--admin-password",
            ADMIN_PASSWORD,
            "--http-queue-delay",
            "1",
            "--store-file",
            str(directory / "kannel.store"),
            "--log-dir",
            str(directory),
            "--log-level",
            "2",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    conf.write_text(text)
    return conf


def _start(program: Path, conf: Path, directory: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(program), str(conf)],
        stdout=(directory / f"{program.name}.out").open("wb"),
        stderr=subprocess.STDOUT,
    )


def _status(admin_port: int) -> str:
    return _get(f"http://127.0.0.1:{admin_port}/status.txt?password={ADMIN_PASSWORD}")


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode(errors="replace"))
    except OSError:
        return ""


def _wait(condition: object, what: str, timeout: float = 30) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")
