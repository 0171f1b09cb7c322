"""melet_import_radacct: counts per point and hour, split hours, re-imports, bad lines, unknown NAS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kotacerdas.literacy.models import (
    AccountedSession,
    DeviceMonth,
    ImportRun,
    Point,
    UsageHour,
)
from kotacerdas.literacy.tests.radacct_files import session, write

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the importer writes with COPY): set DATABASE_URL")


def _import(path: Path, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("melet_import_radacct", str(path), *args, stdout=out)
    return out.getvalue()


def _hours(point: Point) -> dict[int, tuple[int, int, int, int, int]]:
    return {
        u.hour.astimezone(WIB).hour: (u.sessions, u.devices, u.seconds, u.bytes_in, u.bytes_out)
        for u in UsageHour.objects.filter(point=point)
    }


def _snapshot() -> list[Any]:
    return [
        sorted(
            UsageHour.objects.values_list(
                "point",
                "hour",
                "sessions",
                "devices",
                "seconds",
                "bytes_in",
                "bytes_out",
                "device_hashes",
            )
        ),
        sorted(DeviceMonth.objects.values_list("point", "month", "device")),
        sorted(
            AccountedSession.objects.values_list(
                "counted_until", "bytes_in", "bytes_out", "stopped"
            )
        ),
    ]


def test_a_session_over_three_hours_is_split_across_them(tmp_path: Path, point: Point) -> None:
    stop = session(
        "s1",
        acctstoptime="2026-11-03 10:15:00+07",
        acctsessiontime=6300,
        acctinputoctets=6300,
        acctoutputoctets=63000,
        acctterminatecause="User-Request",
    )
    _import(write(tmp_path / "a.csv", [stop]))
    assert _hours(point) == {
        8: (1, 1, 1800, 1800, 18000),
        9: (0, 1, 3600, 3600, 36000),
        10: (0, 1, 900, 900, 9000),
    }


def test_start_interim_and_stop_in_separate_imports_add_up_to_the_whole(
    tmp_path: Path, point: Point
) -> None:
    start = session("s1")
    interim = session(
        "s1",
        acctupdatetime="2026-11-03 09:00:00+07",
        acctsessiontime=1800,
        acctinputoctets=1000,
        acctoutputoctets=5000,
    )
    stop = session(
        "s1",
        acctupdatetime="2026-11-03 09:00:00+07",
        acctstoptime="2026-11-03 09:30:00+07",
        acctsessiontime=3600,
        acctinputoctets=3000,
        acctoutputoctets=9000,
    )
    for n, row in enumerate((start, interim, stop)):
        _import(write(tmp_path / f"{n}.csv", [row]))
    assert _hours(point) == {8: (1, 1, 1800, 1000, 5000), 9: (0, 1, 1800, 2000, 4000)}


def test_re_importing_the_same_file_changes_nothing(tmp_path: Path, point: Point) -> None:
    rows = [
        session(
            "s1", acctstoptime="2026-11-03 09:10:00+07", acctsessiontime=2400, acctinputoctets=10
        ),
        session(
            "s2", callingstationid="a5:4d:ca:18:25:30", acctupdatetime="2026-11-03 08:50:00+07"
        ),
        session("s3", callingstationid="11-22-33-44-55-66", acctstarttime="2026-11-03 08:40:00+07"),
    ]
    path = write(tmp_path / "a.csv", rows + rows[:1])  # the file itself repeats a row
    _import(path)
    before = _snapshot()
    output = _import(path)
    assert _snapshot() == before
    assert "0 counted, 4 already counted" in output
    # One device in two formats of its MAC counts once; three sessions in hour 8.
    assert _hours(point)[8][:2] == (3, 2)


def test_a_nas_reboot_closes_an_open_session_at_the_event_time(
    tmp_path: Path, point: Point
) -> None:
    """Accounting-On/Off: FreeRADIUS closes every open row of the NAS at the event time."""
    open_row = session("s1", acctupdatetime="2026-11-03 08:40:00+07", acctsessiontime=600)
    _import(write(tmp_path / "a.csv", [open_row]))
    closed = {**open_row, "acctstoptime": "2026-11-03 09:05:00+07", "acctsessiontime": 2100,
              "acctterminatecause": "NAS-Reboot"}  # fmt: skip
    _import(write(tmp_path / "b.csv", [closed]))
    assert _hours(point) == {8: (1, 1, 1800, 0, 0), 9: (0, 1, 300, 0, 0)}
    assert AccountedSession.objects.get().stopped


def test_bad_lines_are_reported_by_number_and_good_ones_imported(
    tmp_path: Path, point: Point
) -> None:
    path = write(
        tmp_path / "a.csv",
        [
            session("good1", acctsessiontime=60),
            session("future", acctstarttime="2099-01-01 08:00:00+07"),
            session("negative", acctinputoctets=-5),
            session("nodate", acctstarttime="kemarin"),
            session("backwards", acctstoptime="2026-11-03 07:00:00+07"),
            session("good2", acctsessiontime=60, callingstationid="11-22-33-44-55-66"),
        ],
    )
    with path.open("a") as handle:
        handle.write("this,is,garbage\n\x00\x00\n")
    output = _import(path)
    run = ImportRun.objects.get()
    assert run.counted == 2 and run.bad_count == 6
    lines = dict(run.bad)
    assert set(lines) == {3, 4, 5, 6, 8, 9}
    assert "masa depan" in lines[3] and "negatif" in lines[4] and "bukan tanggal" in lines[5]
    assert "line 3:" in output
    assert _hours(point)[8][:2] == (2, 2)


def test_a_file_without_its_header_imports_nothing(tmp_path: Path, point: Point) -> None:
    path = write(tmp_path / "a.csv", [session("s1", acctsessiontime=60)], header=False)
    with pytest.raises(CommandError, match="kolom"):
        _import(path)
    assert not UsageHour.objects.exists() and not ImportRun.objects.exists()


def test_unknown_nas_are_counted_and_registered_on_request(tmp_path: Path, point: Point) -> None:
    path = write(
        tmp_path / "a.csv",
        [session("s1", nasipaddress="10.99.0.1", acctsessiontime=60),
         session("s2", nasipaddress="10.99.0.1", acctsessiontime=60)],
    )  # fmt: skip
    output = _import(path)
    assert "unknown NAS 10.99.0.1: 2 rows" in output
    assert not UsageHour.objects.exists()
    _import(path, "--register-unknown")
    new = Point.objects.get(nas_id="10.99.0.1")
    assert new.status == Point.Status.PENDING and new.kelurahan is None
    assert _hours(new)[8][:2] == (2, 1)


def test_the_nas_identifier_wins_over_the_address_when_exported(
    tmp_path: Path, point: Point
) -> None:
    point.nas_id = "melet-kjs01"
    point.save()
    path = tmp_path / "a.csv"
    write(path, [session("s1", acctsessiontime=60)])
    text = path.read_text().splitlines()
    text = [text[0] + ",nasidentifier"] + [line + ",melet-kjs01" for line in text[1:]]
    path.write_text("\n".join(text) + "\n")
    _import(path)
    assert _hours(point)[8][0] == 1


def test_a_session_seen_twice_in_one_file_counts_once_across_batches(
    tmp_path: Path, point: Point, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New sessions are not looked up: one that comes back in a later batch of the same run
    makes the run start over, looking every session up."""
    from kotacerdas.literacy import imports

    monkeypatch.setattr(imports, "BATCH", 1)  # each row its own batch
    start = session("s1", acctupdatetime="2026-11-03 08:40:00+07", acctsessiontime=600)
    stop = {**start, "acctstoptime": "2026-11-03 09:10:00+07", "acctsessiontime": 2400}
    output = _import(write(tmp_path / "a.csv", [start, stop]))
    assert "2 counted" in output
    assert _hours(point) == {8: (1, 1, 1800, 0, 0), 9: (0, 1, 600, 0, 0)}


def test_a_session_id_reused_after_everything_imported_starts_the_run_over_carefully(
    tmp_path: Path, point: Point
) -> None:
    """A NAS that reuses its session ids after a reboot: the id comes back with a start later
    than every time imported before, which the quick path takes for a new session."""
    first = session("s1", acctstoptime="2026-11-03 08:30:00+07", acctsessiontime=600)
    _import(write(tmp_path / "a.csv", [first]))
    again = {**first, "acctstarttime": "2026-11-03 10:00:00+07",
             "acctstoptime": "2026-11-03 10:10:00+07"}  # fmt: skip
    path = write(tmp_path / "b.csv", [again])
    assert "1 counted" in _import(path)
    run = ImportRun.objects.first()
    assert run is not None and run.finished_at is not None and run.counted == 1
    before = _snapshot()
    _import(path)
    assert _snapshot() == before
    assert AccountedSession.objects.count() == 1


def test_a_reader_that_dies_is_reported_and_counts_nothing_of_its_file(
    tmp_path: Path, point: Point, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from kotacerdas.literacy import imports

    def dies(*args: Any) -> None:
        os._exit(9)  # as if killed

    monkeypatch.setattr(imports, "_read", dies)
    with pytest.raises(CommandError, match="stopped before its end"):
        _import(write(tmp_path / "a.csv", [session("s1")]))
    assert not UsageHour.objects.exists() and not AccountedSession.objects.exists()
