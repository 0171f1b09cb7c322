"""The replica test's other half: a Django process on a real primary and its streaming replica.

``test_replica.py`` starts the two PostgreSQL clusters and runs this module with
``DATABASE_URL`` (primary) and ``DATABASE_REPLICA_URL`` (replica) set; it
migrates, then prints one JSON line of what it saw. It is a separate process
because the test suite's own settings have no replica alias.
"""

from __future__ import annotations

import json
import time
from typing import Any

import django

django.setup()  # run as a program: the models below need the apps loaded

from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from kotacerdas.core import replica  # noqa: E402
from kotacerdas.regions.models import Region  # noqa: E402

CODE = "99.99"


def region_count(_request: HttpRequest | None = None) -> int:
    """What a statistics page would read: allowed to be stale."""
    with replica.stale_ok():
        return Region.objects.filter(code__startswith=CODE).count()


def wait_for_replica(expected: int, seconds: float = 10) -> float:
    """Seconds until the replica shows ``expected`` rows (or -1)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM regions_region WHERE code LIKE %s", [CODE + "%"])
            if cursor.fetchone()[0] == expected:
                return time.monotonic() - start
        time.sleep(0.05)
    return -1


def pause_replay(paused: bool) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")


def through_middleware(method: str, cookies: dict[str, str]) -> tuple[int, bool]:
    """A request through PrimaryAfterWriteMiddleware whose view writes (POST) and reads."""

    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            Region.objects.create(code=f"{CODE}.03", level="kota", name="Written by a form")
        return HttpResponse(str(region_count()))

    request = getattr(RequestFactory(), method.lower())("/")
    request.COOKIES.update(cookies)
    response = replica.PrimaryAfterWriteMiddleware(view)(request)
    return int(response.content), replica.STICKY_COOKIE in response.cookies


def run() -> dict[str, Any]:
    call_command("migrate", "regions", verbosity=0)  # all the probe writes
    seen: dict[str, Any] = {}
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        seen["replica_in_recovery"] = cursor.fetchone()[0]
    Region.objects.create(code=f"{CODE}", level="provinsi", name="Probe")
    seen["replicated_after_s"] = wait_for_replica(1)
    # Freeze the replica: from now on it is visibly behind the primary.
    pause_replay(True)
    try:
        Region.objects.create(code=f"{CODE}.01", level="kota", name="Written, not yet replicated")
        seen["stale_ok_read"] = region_count()
        seen["plain_read"] = Region.objects.filter(code__startswith=CODE).count()
        with transaction.atomic():
            seen["stale_ok_in_transaction"] = region_count()
        seen["alias_outside_stale_ok"] = replica.read_alias()
        with replica.stale_ok():
            seen["alias_in_stale_ok"] = replica.read_alias()
        seen["get_fresh_browser"] = through_middleware("GET", {})
        seen["post"] = through_middleware("POST", {})
        seen["get_after_write"] = through_middleware("GET", {replica.STICKY_COOKIE: "1"})
    finally:
        pause_replay(False)
    seen["caught_up_after_s"] = wait_for_replica(3)
    seen["stale_ok_read_after_catch_up"] = region_count()
    return seen


if __name__ == "__main__":
    print(json.dumps(run()))
