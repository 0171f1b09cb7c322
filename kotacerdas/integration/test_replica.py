"""Stale-ok reads go to a real PostgreSQL streaming replica; writers read the primary.

The machine's PostgreSQL allows no replication connections, so the test makes
its own pair: ``initdb`` a primary on a free port, ``pg_basebackup -R`` a hot
standby from it, start both, then run ``replica_probe`` in a Django process
pointed at them (``DATABASE_URL`` and ``DATABASE_REPLICA_URL``). The probe
pauses the standby's replay so that it is visibly behind, and reads.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

PG_BIN = Path("/usr/lib/postgresql/15/bin")
pytestmark = [pytest.mark.replica]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(*args: str) -> None:
    """Run a PostgreSQL program as the postgres user (initdb refuses root)."""
    command = list(args) if os.getuid() != 0 else ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603


@pytest.fixture
def clusters() -> Iterator[tuple[int, int]]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL server programs not found in {PG_BIN}")
    if os.getuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("runuser is needed to run PostgreSQL as postgres")
    folder = Path(tempfile.mkdtemp(prefix="kc-replica-"))
    shutil.chown(folder, "postgres")
    primary, standby = folder / "primary", folder / "standby"
    ports = free_port(), free_port()
    options = f"-k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    started = []
    try:
        as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres")
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        for directory, port in ((primary, ports[0]), (standby, ports[1])):
            if directory is standby:
                as_postgres(
                    str(PG_BIN / "pg_basebackup"),
                    *("-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres"),
                    *("-D", str(standby), "-R", "-X", "stream"),
                )
            as_postgres(
                str(PG_BIN / "pg_ctl"),
                *("-D", str(directory), "-w", "-l", str(folder / f"{directory.name}.log")),
                *("-o", f"-p {port} {options}", "start"),
            )
            started.append(directory)
        yield ports
    finally:
        for directory in reversed(started):
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(directory), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_stale_ok_reads_go_to_the_replica_and_writers_read_the_primary(
    clusters: tuple[int, int],
) -> None:
    primary, standby = clusters
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
    } | {
        "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
        "KOTACERDAS_ENV": "development",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary}/postgres",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{standby}/postgres",
        "REDIS_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "kotacerdas.integration.replica_probe"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    assert seen["replica_in_recovery"] is True
    # Data written on the primary appears on the replica, then, replay paused:
    assert 0 <= seen["replicated_after_s"] < 5
    assert seen["stale_ok_read"] == 1  # the replica: the second row is not there yet
    assert seen["plain_read"] == 2  # a read not marked stale-ok: the primary
    assert seen["stale_ok_in_transaction"] == 2  # inside a transaction: the primary
    assert seen["alias_outside_stale_ok"] == "default"
    assert seen["alias_in_stale_ok"] == "replica"
    # A browser that has not written reads the replica, and gets no marker.
    assert seen["get_fresh_browser"] == [1, False]
    # A write request reads the primary (its own row too) and is marked ...
    assert seen["post"] == [3, True]
    # ... and its next requests, carrying the marker, read the primary.
    assert seen["get_after_write"] == [3, False]
    # Replay resumed: the replica catches up, and stale-ok reads see everything.
    assert 0 <= seen["caught_up_after_s"] < 5
    assert seen["stale_ok_read_after_catch_up"] == 3
