"""The city dashboard's pages, served by gunicorn from the precomputed figures.

The pages read only ``FigureValue`` (kotacerdas.dashboard.refresh), so what
they cost depends on how many values there are, not on the services' raw
records. The seed fills every cell the demo city can have: each declared
figure × 22 kelurahan × 12 months × DASHBOARD_YEARS years, and six groups for
figures with a breakdown (the largest count the city-scale demo reaches, more
than it does: a missing row means zero there). Then wrk loads the public city
page, a programme page and the Lurah of Kejaksan's kelurahan page, each beside
the same server's hello-world baseline. Also the time of the hourly refresh of
every figure from the services (on the seeded database: the figure functions'
own queries, with few records behind them).
"""

from __future__ import annotations

import json
import sys

from bench import common
from bench.common import Figure

TARGET_MS = 100.0  # the server time for a dashboard page at demo city scale
WORKERS = 2
# One request at a time per worker: the latency is the server's time for a page,
# not time spent queueing behind other requests.
CONNECTIONS = 2
GROUPED = {"reports.cases_opened", "hospital.free_beds"}
GROUPS = 6
# A database of its own: the city's (common.DB_NAME) is kept for the parts after
# this one in a full run (the open data's), and was dropped here before.
DB_NAME = common.part_db("dashboard")


def run() -> list[Figure]:
    env = common.bench_env(
        DATABASE_URL=f"postgres://{common.PG_USER}@{common.PG_HOST}:5432/{DB_NAME}"
    )
    common.create_database(DB_NAME)
    try:
        common.migrate(env, "dashboard")
        seeded = common.run_child("bench.dashboard", "seed", env)
        print(f"dashboard: {seeded['values']:,} figure values seeded", flush=True)
        return _serve(env, seeded)
    finally:
        common.drop_database(DB_NAME)


def _serve(env: dict[str, str], seeded: dict[str, object]) -> list[Figure]:
    port = common.free_port()
    log = common.RESULTS / "dashboard-gunicorn.log"
    server = common.start_gunicorn(
        port,
        env | {"DEBUG": "false", "LOG_LEVEL": "WARNING"},
        log,
        workers=WORKERS,
        extra_args=["--preload"],  # import the app once: a loaded machine starts it slowly
        start_seconds=120,
    )
    try:
        base = common.baseline(port, connections=CONNECTIONS)
        cookie = {"Cookie": str(seeded["cookie"])}
        pages = [
            ("city page (public)", "/dasbor/", {}),
            ("programme page E-Posyandu (public)", "/dasbor/program/posyandu/", {}),
            ("kelurahan page (Lurah of Kejaksan)", "/dasbor/kelurahan/32.74.01.1001/", cookie),
        ]
        figures = []
        for label, path, headers in pages:
            load = common.wrk(
                f"http://127.0.0.1:{port}{path}", connections=CONNECTIONS, headers=headers
            )
            figures.append(
                Figure(
                    f"dashboard {label}: p50",
                    load.p50_ms,
                    "ms",
                    TARGET_MS,
                    baseline=base.p50_ms,
                    note=f"{load.rate:,.0f} req/s, p99 {load.p99_ms:.0f} ms"
                    + (f", {load.errors} failed or timed out" if load.errors else ""),
                )
            )
        return [
            *figures,
            Figure(
                "dashboard hourly refresh of every figure",
                float(str(seeded["refresh_s"])),
                "s",
                note=f"{seeded['figures']} figures, this year",
            ),
        ]
    finally:
        common.stop_server(server)


def seed() -> dict[str, object]:
    """Regions, the Lurah of Kejaksan with a session, and every cell of every figure."""
    import datetime as dt
    import random
    import time

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from kotacerdas.accounts.models import Membership, Unit, User
    from kotacerdas.dashboard.catalogue import figure_catalogue
    from kotacerdas.dashboard.models import FigureValue
    from kotacerdas.dashboard.refresh import refresh, years_to_refresh
    from kotacerdas.regions.actions import load_regions
    from kotacerdas.regions.models import Region

    load_regions(settings.REGIONS_FILE)
    unit = Unit.objects.create(
        kind="kelurahan",
        code="kel-3274011001",
        name="Kelurahan Kejaksan",
        region_id="32.74.01.1001",
    )
    lurah = User.objects.create_user("lurah.kejaksan", password="bench")
    Membership.objects.create(user=lurah, unit=unit, role="lurah")
    client = Client()
    client.force_login(lurah)
    started = time.monotonic()
    done = refresh(years_to_refresh(full=False))
    refresh_s = time.monotonic() - started
    rng = random.Random(15)
    now = timezone.now()
    kelurahan = list(Region.objects.filter(level="kelurahan").values_list("code", flat=True))
    rows = [
        FigureValue(
            figure=key,
            kelurahan=code,
            month=dt.date(year, month, 1),
            group=str(group) if key in GROUPED else "",
            value=rng.randint(1, 400),
            computed_at=now,
        )
        for key in figure_catalogue()
        for year in years_to_refresh(full=True)
        for month in range(1, 13)
        for code in kelurahan
        for group in range(GROUPS if key in GROUPED else 1)
    ]
    FigureValue.objects.all().delete()
    FigureValue.objects.bulk_create(rows, batch_size=5000)
    return {
        "values": len(rows),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "refresh_s": round(refresh_s, 3),
        "figures": len(done),
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({"seed": seed}[sys.argv[1]]()))
