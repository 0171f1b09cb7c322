"""Writing radacct exports for tests and the bench: the columns of FreeRADIUS's PostgreSQL schema."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

COLUMNS = [
    "radacctid", "acctsessionid", "acctuniqueid", "username", "realm", "nasipaddress",
    "nasportid", "nasporttype", "acctstarttime", "acctupdatetime", "acctstoptime",
    "acctinterval", "acctsessiontime", "acctauthentic", "connectinfo_start",
    "connectinfo_stop", "acctinputoctets", "acctoutputoctets", "calledstationid",
    "callingstationid", "acctterminatecause", "servicetype", "framedprotocol",
    "framedipaddress", "framedipv6address", "framedipv6prefix", "framedinterfaceid",
    "delegatedipv6prefix", "class",
]  # fmt: skip


def session(uid: str, **fields: Any) -> dict[str, Any]:
    """One radacct row with plausible defaults (times as PostgreSQL prints timestamptz)."""
    row: dict[str, Any] = {
        "radacctid": 1,
        "acctsessionid": uid[-8:],
        "acctuniqueid": uid,
        "username": "voucher-7781",
        "nasipaddress": "10.10.1.1",
        "nasporttype": "Wireless-802.11",
        "acctstarttime": "2026-11-03 08:30:00+07",
        "acctupdatetime": "",
        "acctstoptime": "",
        "acctinterval": 300,
        "acctsessiontime": 0,
        "acctinputoctets": 0,
        "acctoutputoctets": 0,
        "calledstationid": "00-0C-42-00-00-06:Cirebon-Melet",
        "callingstationid": "A5-4D-CA-18-25-30",
        "framedipaddress": "10.5.50.23",
    }
    row.update(fields)
    return row


def write(path: Path, rows: Iterable[Mapping[str, Any]], *, header: bool = True) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(column, "") for column in COLUMNS])
    return path
