"""What the benchmarks share: throwaway databases, gunicorn, results and their targets."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench" / "results"
DB_NAME = "kotacerdas_bench"
PG_HOST = "127.0.0.1"
PG_USER = "postgres"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"


@dataclass
class Figure:
    """One measured number, with the target it aims at (lower is better unless ``higher``)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher: bool = False
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher else self.value <= self.target

    def target_text(self) -> str:
        if self.target is None:
            return ""
        # met is value <= target for "lower is better": say so (≤), and "= 0" for none allowed.
        if not self.higher and self.target == 0:
            return f"= 0 {self.unit}"
        return f"{'≥' if self.higher else '≤'} {_number(self.target)} {self.unit}"

    def value_text(self) -> str:
        return f"{_number(self.value)} {self.unit}"


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}"


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for the app's processes: development settings on the bench DB."""
    env = dict(os.environ)
    env.pop("KOTACERDAS_ENV", None)
    env["DATABASE_URL"] = DATABASE_URL
    # Persistent connections, as production runs (settings: 60 s there, 0 in
    # development); a new PostgreSQL connection per request is not what we measure.
    env["DATABASE_CONN_MAX_AGE"] = "60"
    env.update(extra)
    return env


def _admin() -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, user=PG_USER, dbname="postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with _admin() as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def create_database(name: str) -> None:
    """A fresh, empty database (an old one left by a failed run is dropped first)."""
    drop_database(name)
    with _admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate(env: dict[str, str], part: str = "") -> None:
    """Migrate the database ``env`` names (a throwaway bench database)."""
    if part:
        print(f"{part}: migrating a throwaway database", flush=True)
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )


def run_child(module: str, step: str, env: dict[str, str]) -> dict[str, Any]:
    """Run ``python -m module step``: an in-process step in a child Django; its last line is JSON."""
    done = subprocess.run(
        [str(PYTHON), "-m", module, step],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "kotacerdas.settings"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {step} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    port: int,
    env: dict[str, str],
    log_path: Path,
    *,
    workers: int,
    threads: int | None = None,
    extra_args: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on 127.0.0.1:``port``, once ``/healthz`` answers (30 s at most)."""
    args = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "kotacerdas.wsgi:application",
        "--workers",
        str(workers),
        *(["--threads", str(threads)] if threads is not None else []),
        "--bind",
        f"127.0.0.1:{port}",
        *extra_args,
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{port}"})
            conn.getresponse().read()
            conn.close()
            return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within 30 s; see {log_path}")


def stop_server(server: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Terminate ``server`` (any child process), killing it after ``timeout`` seconds."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def save(figures: list[Figure]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps([asdict(f) | {"met": f.met} for f in figures], indent=2))
    return path


def table(figures: list[Figure]) -> str:
    rows = [
        ("figure", "measured", "target", ""),
        *((f.name, f.value_text(), f.target_text(), _mark(f)) for f in figures),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _mark(figure: Figure) -> str:
    met = figure.met
    mark = "" if met is None else "ok" if met else "MISSED"
    return f"{mark} {figure.note}".strip()
