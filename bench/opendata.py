"""Open data at demo city scale: the nightly build, and package_search served by gunicorn.

Runs on the city-scale demo database (``NEEDS_CITY``: 343,000 residents and
the services' demo records). In a child process, the kept tables and files are
dropped and ``build`` runs over every covered year (what ``opendata_build
--full`` does), timed, with the share spent in the services' figure functions
(their aggregate queries); then the nightly run (this year only, on kept
tables), timed, and once more under tracemalloc for the peak of Python's
allocations; and the process's peak resident size. Then gunicorn serves the CKAN API and wrk loads
``package_search?rows=100`` (the harvester's page) beside the same server's
hello-world baseline. The province figure (docs/opendata.md, "Province"):
the figure functions' queries scale with the records (Jawa Barat ≈ 146×
Cirebon's residents), the suppression and the files with the number of city
tables (27).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from bench import common
from bench.common import Figure

TARGET_S = 60.0  # the brief's nightly build at demo city scale
PROVINCE_CITIES = 27  # cities and regencies of Jawa Barat
PROVINCE_SCALE = 146  # Jawa Barat's residents over Cirebon's (docs/architecture.md)
WORKERS = 2
CONNECTIONS = 8


def run() -> list[Figure]:
    env = common.bench_env()
    built = common.run_child("bench.opendata", "build", env)
    print(f"opendata: full build {built['full_s']} s, {built['datasets']} datasets", flush=True)
    figures = [
        Figure(
            "opendata nightly build, every year (--full)",
            float(built["full_s"]),
            "s",
            TARGET_S,
            note=f"{built['tables']} tables, {built['datasets']} datasets, {built['rows']:,} rows",
        ),
        Figure(
            "opendata nightly build, this year (kept tables)",
            float(built["nightly_s"]),
            "s",
            TARGET_S,
        ),
        Figure("opendata build peak Python allocations", float(built["peak_mb"]), "MB"),
        Figure("opendata build process peak RSS", float(built["rss_mb"]), "MB"),
        Figure(
            "opendata full build extrapolated to Jawa Barat (one province site)",
            float(built["query_s"]) * PROVINCE_SCALE
            + (float(built["full_s"]) - float(built["query_s"])) * PROVINCE_CITIES,
            "s",
            note=f"figure queries {built['query_s']} s × {PROVINCE_SCALE}, "
            f"the rest × {PROVINCE_CITIES} city tables",
        ),
    ]
    return figures + _serve(env)


def _serve(env: dict[str, str]) -> list[Figure]:
    port = common.free_port()
    log = common.RESULTS / "opendata-gunicorn.log"
    server = common.start_gunicorn(
        port,
        env | {"DEBUG": "false", "LOG_LEVEL": "WARNING"},
        log,
        workers=WORKERS,
        extra_args=["--preload"],
        start_seconds=120,
    )
    try:
        base = common.baseline(port, connections=CONNECTIONS)
        url = f"http://127.0.0.1:{port}/api/3/action/package_search?rows=100&start=0&sort=id+asc"
        load = common.wrk(url, connections=CONNECTIONS)
        return [
            Figure(
                "opendata package_search rows=100: throughput",
                load.rate,
                "req/s",
                higher=True,
                baseline=base.rate,
                note=f"p50 {load.p50_ms:.0f} ms, p99 {load.p99_ms:.0f} ms"
                + (f", {load.errors} failed" if load.errors else ""),
            ),
            Figure(
                "opendata package_search rows=100: p50",
                load.p50_ms,
                "ms",
                baseline=base.p50_ms,
            ),
        ]
    finally:
        common.stop_server(server)


def build() -> dict[str, object]:
    """Drop the kept tables and files, then time the full build and the nightly one."""
    import time
    import tracemalloc

    from django.db.models import Sum

    from kotacerdas.opendata import build as module
    from kotacerdas.opendata.models import Dataset, Resource, YearTable

    spent = [0.0]
    compute = module.compute

    def timed(function: Any, year: int) -> Any:
        started = time.monotonic()
        try:
            return compute(function, year)
        finally:
            spent[0] += time.monotonic() - started

    module.compute = timed  # type: ignore[assignment]

    YearTable.objects.all().delete()
    Resource.objects.all().delete()
    Dataset.objects.update(content_hash="")
    started = time.monotonic()
    report = module.build(module.years_to_build(full=True))
    full_s = time.monotonic() - started
    query_s = spent[0]
    started = time.monotonic()
    module.build(module.years_to_build(full=False))
    nightly_s = time.monotonic() - started
    # Peak memory on a second nightly run (tracemalloc slows what it traces: not timed).
    tracemalloc.start()
    module.build(module.years_to_build(full=False))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # The demo approved and listed the datasets: package_search answers them all.
    return {
        "full_s": round(full_s, 2),
        "nightly_s": round(nightly_s, 2),
        "query_s": round(query_s, 2),
        "peak_mb": round(peak / 1e6, 1),
        "rss_mb": round(common.peak_rss_mb(), 1),
        "tables": report.tables,
        "datasets": Dataset.objects.count(),
        "rows": Dataset.objects.aggregate(n=Sum("rows"))["n"] or 0,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({"build": build}[sys.argv[1]]()))
