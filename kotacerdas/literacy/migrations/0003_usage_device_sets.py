"""Distinct devices as a set per hour (``UsageHour.device_hashes``) and a row per device and
month (``DeviceMonth``) instead of a row per device and hour; a device's hash as an integer.

The rows of ``DeviceHour`` move into the new places, so counts already imported stay
exact under later imports. A device's hash was the first 16 bytes of its HMAC; it is now
the first 8, as a signed integer (what the importer computes from now on). A session's
counted time becomes epoch seconds, as the importer counts; its start, never read, goes.
"""

import sys
from array import array
from collections import defaultdict
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _device(digest: bytes) -> int:
    return int.from_bytes(bytes(digest)[:8], "big", signed=True)


def _pack(devices: set[int]) -> bytes:
    packed = array("q", sorted(devices))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def move_devices(apps, schema_editor):
    DeviceHour = apps.get_model("literacy", "DeviceHour")
    DeviceMonth = apps.get_model("literacy", "DeviceMonth")
    UsageHour = apps.get_model("literacy", "UsageHour")
    AccountedSession = apps.get_model("literacy", "AccountedSession")
    zone = ZoneInfo(settings.TIME_ZONE)
    hours: dict[tuple[int, object], set[int]] = defaultdict(set)
    months: set[tuple[int, object, int]] = set()
    seen = DeviceHour.objects.values_list("point_id", "hour", "device")
    for point, hour, digest in seen.iterator(chunk_size=10_000):
        device = _device(digest)
        hours[(point, hour)].add(device)
        months.add((point, hour.astimezone(zone).date().replace(day=1), device))
    changed = []
    for usage in UsageHour.objects.iterator(chunk_size=10_000):
        devices = hours.get((usage.point_id, usage.hour))
        if devices:
            usage.device_hashes = _pack(devices)
            changed.append(usage)
    UsageHour.objects.bulk_update(changed, ["device_hashes"], batch_size=1000)
    DeviceMonth.objects.bulk_create(
        (DeviceMonth(point_id=p, month=m, device=d) for p, m, d in months), batch_size=5000
    )
    sessions = list(AccountedSession.objects.only("uid", "device", "counted_until"))
    for session in sessions:
        session.device_key = _device(session.device)
        session.until = int(session.counted_until.timestamp())
    AccountedSession.objects.bulk_update(sessions, ["device_key", "until"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("literacy", "0002_classes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeviceMonth",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "point",
                        "month",
                        "device",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("month", models.DateField()),
                ("device", models.BigIntegerField()),
                (
                    "point",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="literacy.point",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="usagehour",
            name="device_hashes",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="accountedsession",
            name="device_key",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="accountedsession",
            name="until",
            field=models.BigIntegerField(null=True),
        ),
        migrations.RunPython(move_devices, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="accountedsession", name="device"),
        migrations.RemoveField(model_name="accountedsession", name="user"),
        migrations.RemoveField(model_name="accountedsession", name="started_at"),
        migrations.RemoveField(model_name="accountedsession", name="counted_until"),
        migrations.RenameField(
            model_name="accountedsession", old_name="device_key", new_name="device"
        ),
        migrations.RenameField(
            model_name="accountedsession", old_name="until", new_name="counted_until"
        ),
        migrations.AlterField(
            model_name="accountedsession",
            name="device",
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name="accountedsession",
            name="counted_until",
            field=models.BigIntegerField(),
        ),
        migrations.DeleteModel(name="DeviceHour"),
        migrations.AlterField(
            model_name="accountedsession",
            name="point",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="literacy.point",
            ),
        ),
        migrations.AlterField(
            model_name="usagehour",
            name="point",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="usage",
                to="literacy.point",
            ),
        ),
    ]
