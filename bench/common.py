"""What the benchmarks share: throwaway databases, gunicorn, results and their targets."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
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
# BENCH_DB: another name, so that two benches on one server keep apart.
DB_NAME = os.environ.get("BENCH_DB", "kotacerdas_bench")
PG_HOST = "127.0.0.1"
PG_USER = "postgres"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"


def part_db(part: str) -> str:
    """The throwaway database of one bench part, e.g. ``kotacerdas_bench_posyandu``."""
    return f"{DB_NAME}_{part}"


@dataclass
class Figure:
    """One measured number, with the target it aims at (lower is better unless ``higher``).

    ``baseline`` is the same measure taken of the hello-world page (``/halo``) on the
    same server settings in the same run (:func:`baseline`): requests/s for a rate,
    ms for a latency. The machines are shared and noisy; the ratio to the baseline
    says what the figure is worth on this run's machine.
    """

    name: str
    value: float
    unit: str
    target: float | None = None
    higher: bool = False
    note: str = ""
    baseline: float | None = None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher else self.value <= self.target

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return self.value / self.baseline

    def as_json(self) -> dict[str, Any]:
        """The line `bench/run.py PART --json` prints for this figure."""
        return {
            "figure": self.name,
            "value": round(self.value, 3),
            "unit": self.unit,
            "baseline": None if self.baseline is None else round(self.baseline, 3),
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "target": self.target,
            "holds": self.met,
        }

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


def peak_rss_mb() -> float:
    """This process's own peak RSS in MB (``VmHWM``).

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries that over an exec,
    so a child step started by a bench process of 559 MB reported 559 MB
    whatever it used itself.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


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
    start_seconds: float = 90,
) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on 127.0.0.1:``port``, once ``/healthz`` answers
    (``start_seconds`` at most: more on a loaded machine)."""
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
    deadline = time.monotonic() + start_seconds
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
    raise RuntimeError(f"gunicorn did not answer within {start_seconds:g} s; see {log_path}")


def stop_server(server: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Terminate ``server`` (any child process), killing it after ``timeout`` seconds."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Load:
    """What wrk measured: requests/s, latency percentiles (ms), non-2xx/3xx and socket errors."""

    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


_WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_WRK_ERRORS = re.compile(
    r"Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str,
    *,
    connections: int = 16,
    seconds: float = 5,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Load:
    """Load ``url`` with wrk (Debian's package; 2 threads, kept-alive connections).

    ``timeout`` (s) raises wrk's own 2 s: a slow page is then timed, not dropped
    as a timeout (which would leave no latency to report)."""
    program = shutil.which("wrk")
    if program is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    threads = str(min(2, connections))
    args = [program, "--latency", "-t", threads, "-c", str(connections), "-d", f"{seconds:g}s"]
    if timeout is not None:
        args += ["--timeout", f"{timeout:g}s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    done = subprocess.run([*args, url], capture_output=True, text=True, check=True)
    latencies = {p: float(v) * _UNIT_MS[u] for p, v, u in _WRK_LATENCY.findall(done.stdout)}
    rate = _WRK_RATE.search(done.stdout)
    if rate is None or "50" not in latencies:
        raise RuntimeError(f"wrk said:\n{done.stdout}{done.stderr}")
    errors = sum(int(n) for match in _WRK_ERRORS.findall(done.stdout) for n in match if n)
    return Load(float(rate.group(1)), latencies["50"], latencies.get("99", 0.0), errors)


_baselines: dict[tuple[int, int], Load] = {}


def baseline(port: int, *, connections: int = 16, seconds: float = 5) -> Load:
    """The hello-world page (``/halo``) under wrk on the server at ``port``, once per run.

    Measure it on the same server (same workers, threads, settings) as the figures
    it is printed beside.
    """
    key = (port, connections)
    if key not in _baselines:
        _baselines[key] = wrk(
            f"http://127.0.0.1:{port}/halo", connections=connections, seconds=seconds
        )
        print(
            f"  baseline: hello-world /halo {_baselines[key].rate:,.0f} req/s, "
            f"p50 {_baselines[key].p50_ms:.1f} ms (c={connections})",
            flush=True,
        )
    return _baselines[key]


def save(figures: list[Figure]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps([asdict(f) | {"met": f.met} for f in figures], indent=2))
    return path


def table(figures: list[Figure]) -> str:
    rows = [
        ("figure", "measured", "baseline", "ratio", "target", ""),
        *(
            (
                f.name,
                f.value_text(),
                "" if f.baseline is None else f"{_number(f.baseline)} {f.unit}",
                "" if f.ratio is None else f"{f.ratio:.3f}",
                f.target_text(),
                _mark(f),
            )
            for f in figures
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for i, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[5]
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _mark(figure: Figure) -> str:
    met = figure.met
    mark = "" if met is None else "ok" if met else "MISSED"
    return f"{mark} {figure.note}".strip()
