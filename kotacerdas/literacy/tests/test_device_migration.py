"""Migration 0003: devices already imported (a row per device and hour) move into the hour's
device set and the month's devices, so later imports keep counting them exactly."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kotacerdas.literacy import radacct
from kotacerdas.literacy.models import AccountedSession, DeviceMonth, Point, UsageHour

BEFORE = [("literacy", "0002_classes")]
WIB = dt.timezone(dt.timedelta(hours=7))


def _digest(name: str) -> bytes:
    return hmac.digest(b"k", name.encode(), "sha256")[:16]


@pytest.mark.django_db(transaction=True)
def test_imported_devices_move_into_hour_sets_and_months(point: Point) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    old_usage = apps.get_model("literacy", "UsageHour")
    old_device = apps.get_model("literacy", "DeviceHour")
    old_session = apps.get_model("literacy", "AccountedSession")
    late = dt.datetime(2026, 11, 30, 23, tzinfo=WIB)  # the last hour of November in WIB
    early = dt.datetime(2026, 12, 1, 0, tzinfo=WIB)
    a, b = _digest("mac:A"), _digest("mac:B")
    for hour, devices in ((late, [a, b]), (early, [a])):
        old_usage.objects.create(point_id=point.pk, hour=hour, sessions=1, devices=len(devices))
        for device in devices:
            old_device.objects.create(point_id=point.pk, hour=hour, device=device)
    until = dt.datetime(2026, 12, 1, 0, 30, tzinfo=WIB)
    old_session.objects.create(
        uid=_digest("uid:s1"), point_id=point.pk, device=a, user=_digest("user:u"),
        key_version=1, started_at=late, counted_until=until, bytes_in=5, bytes_out=6,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    def as_int(digest: bytes) -> int:
        return int.from_bytes(digest[:8], "big", signed=True)

    sets: dict[Any, list[int]] = {
        u.hour: list(radacct.unpack(bytes(u.device_hashes))) for u in UsageHour.objects.all()
    }
    assert sets == {late: sorted([as_int(a), as_int(b)]), early: [as_int(a)]}
    assert sorted(DeviceMonth.objects.values_list("month", "device")) == sorted(
        [
            (dt.date(2026, 11, 1), as_int(a)),
            (dt.date(2026, 11, 1), as_int(b)),
            (dt.date(2026, 12, 1), as_int(a)),
        ]
    )
    session = AccountedSession.objects.get()
    assert (session.device, session.counted_until) == (as_int(a), int(until.timestamp()))
