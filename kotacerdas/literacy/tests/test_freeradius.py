"""The real thing: FreeRADIUS writes accounting into PostgreSQL's radacct, fed by radclient;
melet_import_radacct --database-url reads it.

FreeRADIUS runs in the foreground (``-X``) from a copy of Debian's configuration
with the sql module on the PostgreSQL dialect, pointed at a throwaway database
holding the schema FreeRADIUS ships. Packets carry an explicit Event-Timestamp so
that the hours are known: session A (Start, Interim-Update, Stop) and session B,
left open and closed by the NAS's Accounting-On (a reboot).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from kotacerdas.literacy.models import Point, UsageHour
from kotacerdas.literacy.tests.radacct_database import SCHEMA, radacct_database

pytestmark = [pytest.mark.freeradius, pytest.mark.postgres, pytest.mark.django_db]
RADDB = Path("/etc/freeradius/3.0")
SECRET = "testing123"  # Debian's clients.conf: client localhost
NAS = "10.10.1.1"


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _configure(raddb: Path, database_url: str, ports: dict[str, int]) -> None:
    shutil.copytree(RADDB, raddb, symlinks=True)
    db = psycopg.conninfo.conninfo_to_dict(database_url)
    sql = raddb / "mods-available" / "sql"
    text = sql.read_text()
    for pattern, replacement in [
        (r'(?m)^(\s*)dialect = "sqlite"', r'\1dialect = "postgresql"'),
        (r'(?m)^(\s*)driver = "rlm_sql_null"', r'\1driver = "rlm_sql_${dialect}"'),
        (r'(?m)^#?\s*server = "localhost"', f'\tserver = "{db.get("host", "127.0.0.1")}"'),
        (r"(?m)^#?\s*port = 3306", f"\tport = {db.get('port', 5432)}"),
        (r'(?m)^#?\s*login = "radius"', f'\tlogin = "{db.get("user", "postgres")}"'),
        (r'(?m)^#?\s*password = "radpass"', '\tpassword = ""'),
        (r'(?m)^(\s*)radius_db = "radius"', rf'\1radius_db = "{db["dbname"]}"'),
        # One connection, not Debian's five: the machine's PostgreSQL is shared.
        (r"(?m)^(\s*)start = \$\{thread\[pool\].start_servers\}", r"\1start = 1"),
        (r"(?m)^(\s*)min = \$\{thread\[pool\].min_spare_servers\}", r"\1min = 1"),
        (r"(?m)^(\s*)spare = \$\{thread\[pool\].max_spare_servers\}", r"\1spare = 1"),
    ]:
        text, found = re.subn(pattern, replacement, text, count=1)
        assert found, f"FreeRADIUS's sql module changed: {pattern} not found"
    sql.write_text(text)
    (raddb / "mods-enabled" / "sql").symlink_to("../mods-available/sql")
    site = raddb / "sites-available" / "default"
    text = re.sub(r"(?m)^(\s*)-sql$", r"\1sql", site.read_text())  # accounting writes to SQL
    # Loopback only, on free ports (another test run may hold the standard ones); no IPv6.
    text = re.sub(r"(?ms)^listen \{\n.*?^\}\n", lambda m: _listen(m.group(0), ports), text)
    site.write_text(text)
    inner = raddb / "sites-available" / "inner-tunnel"
    inner.write_text(inner.read_text().replace("port = 18120", f"port = {ports['inner']}"))
    for path in [raddb, *raddb.rglob("*")]:  # it drops to user freerad
        path.chmod(path.stat().st_mode | 0o055 if path.is_dir() else path.stat().st_mode | 0o044)


def _listen(block: str, ports: dict[str, int]) -> str:
    """One ``listen`` section of the default site, moved to loopback and our port (IPv6 dropped)."""
    if re.search(r"(?m)^\s*ipv6addr", block):
        return ""
    kind = re.search(r"(?m)^\s*type = (\w+)", block)
    assert kind is not None and kind.group(1) in ports, block
    block = re.sub(r"(?m)^(\s*)ipaddr = \*", r"\1ipaddr = 127.0.0.1", block)
    return re.sub(r"(?m)^(\s*)port = 0", rf"\1port = {ports[kind.group(1)]}", block)


@pytest.fixture
def freeradius(db: Any) -> Iterator[tuple[str, int]]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    if shutil.which("freeradius") is None or shutil.which("radclient") is None:
        pytest.skip("needs apt-get install freeradius freeradius-postgresql freeradius-utils")
    if not SCHEMA.exists():
        pytest.skip("needs apt-get install freeradius-postgresql")
    # Not pytest's tmp_path: its parent is private to root, and FreeRADIUS drops to user freerad.
    with (
        tempfile.TemporaryDirectory(prefix="melet-freeradius-") as tmp,
        radacct_database(f"{connection.settings_dict['NAME']}_freeradius") as url,
    ):
        tmp_path = Path(tmp)
        tmp_path.chmod(0o755)
        raddb = tmp_path / "raddb"
        ports = {kind: _free_udp_port() for kind in ("auth", "acct", "inner")}
        _configure(raddb, url, ports)
        log = (tmp_path / "freeradius.log").open("w")
        server = subprocess.Popen(
            [shutil.which("freeradius") or "freeradius", "-X", "-d", str(raddb), "-n", "radiusd"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while "Ready to process requests" not in (tmp_path / "freeradius.log").read_text():
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "FreeRADIUS did not start:\n"
                        + (tmp_path / "freeradius.log").read_text()[-3000:]
                    )
                time.sleep(0.1)
            yield url, ports["acct"]
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


def _send(port: int, **attributes: Any) -> None:
    lines = "".join(f"{name.replace('_', '-')} = {value}\n" for name, value in attributes.items())
    done = subprocess.run(
        [shutil.which("radclient") or "radclient", "-r", "2", "-t", "3", f"127.0.0.1:{port}", "acct", SECRET],
        input=lines, capture_output=True, text=True, timeout=20,
    )  # fmt: skip
    assert done.returncode == 0 and "Accounting-Response" in done.stdout, done.stdout + done.stderr


def _import(url: str) -> str:
    out = StringIO()
    call_command("melet_import_radacct", "--database-url", url, stdout=out)
    return out.getvalue()


def test_freeradius_accounting_start_interim_stop_and_a_reboot_are_counted(
    freeradius: tuple[str, int], point: Point
) -> None:
    url, port = freeradius
    now = int(time.time())
    t0 = now - now % 3600 - 5 * 3600 + 1800  # five hours ago, at half past
    common = {"NAS_IP_Address": NAS, "Called_Station_Id": '"00-0C-42-00-00-06:Cirebon-Melet"'}
    a = {**common, "User_Name": '"voucher-a"', "Acct_Session_Id": '"A0001"',
         "Calling_Station_Id": '"A5-4D-CA-18-25-30"'}  # fmt: skip
    b = {**common, "User_Name": '"voucher-b"', "Acct_Session_Id": '"B0001"',
         "Calling_Station_Id": '"B8-27-EB-12-34-56"'}  # fmt: skip
    _send(port, Acct_Status_Type="Start", Event_Timestamp=t0, **a)
    _send(port, Acct_Status_Type="Start", Event_Timestamp=t0 + 600, **b)
    _send(port, Acct_Status_Type="Interim-Update", Event_Timestamp=t0 + 1800,
          Acct_Session_Time=1800, Acct_Input_Octets=1000, Acct_Output_Octets=10000, **a)  # fmt: skip
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM radacct").fetchone() == (2,)
    assert "2 counted" in _import(url)
    _send(port, Acct_Status_Type="Stop", Event_Timestamp=t0 + 5400, Acct_Session_Time=5400,
          Acct_Input_Octets=4000, Acct_Output_Octets=40000, Acct_Terminate_Cause="User-Request",
          **a)  # fmt: skip
    # The NAS reboots: FreeRADIUS closes its open rows (session B) at the event time.
    _send(port, Acct_Status_Type="Accounting-On", Event_Timestamp=t0 + 2400, NAS_IP_Address=NAS)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT acctsessionid, acctterminatecause FROM radacct ORDER BY acctsessionid"
        ).fetchall()
    assert rows == [("A0001", "User-Request"), ("B0001", "NAS-Reboot")]
    _import(url)
    assert "0 counted" in _import(url)  # a run with nothing new changes nothing
    first = dt.datetime.fromtimestamp(t0 - 1800, dt.UTC)
    hours = {
        int((u.hour - first).total_seconds() // 3600): (
            u.sessions,
            u.devices,
            u.seconds,
            u.bytes_in,
            u.bytes_out,
        )
        for u in UsageHour.objects.filter(point=point)
    }
    # A: 30 min in the first hour (1000/10000 octets by the interim), 60 min in the next
    # (the rest, 3000/30000). B: 20 min in the first hour, 10 in the next (reboot at +40 min).
    assert hours == {0: (2, 2, 3000, 1000, 10000), 1: (0, 2, 4200, 3000, 30000)}
