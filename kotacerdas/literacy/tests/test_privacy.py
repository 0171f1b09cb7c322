"""After an import, no MAC address or RADIUS user name from the input is anywhere:
not in the database, not in the logs, not on any page of the service."""

from __future__ import annotations

import logging
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.literacy.models import Point
from kotacerdas.literacy.tests.radacct_files import session, write

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MACS = ["A5-4D-CA-18-25-30", "b8:27:eb:12:34:56", "DEADBEEF0042"]
USERS = ["budi.santoso@melet", "voucher-XK81Q", "08123456789"]


def _forms(value: str) -> set[str]:
    """The ways a MAC or name could show up: as sent, in other cases and separators, bare."""
    bare = value.replace(":", "").replace("-", "")
    return {value, value.upper(), value.lower(), bare.upper(), bare.lower()}


def test_no_mac_or_user_name_survives_an_import(
    tmp_path: Path, point: Point, wifi_officer: User, caplog: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    rows = [
        session(f"s{n}", username=user, callingstationid=mac, acctsessiontime=600 + n)
        for n, (mac, user) in enumerate(zip(MACS, USERS, strict=True))
    ]
    rows.append(session("bad", username=USERS[0], callingstationid=MACS[0], acctinputoctets=-1))
    path = write(tmp_path / "radacct.csv", rows)
    out = StringIO()
    with caplog.at_level(logging.DEBUG):
        call_command("melet_import_radacct", str(path), stdout=out)
    db = connection.settings_dict
    dump = subprocess.run(
        [shutil.which("pg_dump") or "pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"] or "postgres",
         "-p", str(db["PORT"] or 5432), db["NAME"]],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "literacy_usagehour" in dump and point.name in dump  # the dump holds the data…
    client = signed_in(wifi_officer)
    pages = [
        Client().get(reverse("literacy:wifi")).content.decode(),
        client.get(reverse("literacy:points")).content.decode(),
        client.get(reverse("literacy:point", args=[point.pk])).content.decode(),
    ]
    seen = "\n".join([dump, caplog.text, out.getvalue(), *pages])
    for value in MACS + USERS:
        for form in _forms(value):
            assert form not in seen, f"{form!r} found after the import"  # …and nothing else
