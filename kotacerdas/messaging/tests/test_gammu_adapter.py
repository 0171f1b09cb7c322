"""The gammu-smsd adapter against gammu's own schema (SQLite, PostgreSQL) and the real daemon."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.utils.timezone import localtime

from kotacerdas.messaging.actions import deliver, receive, send_sms
from kotacerdas.messaging.adapters.gammu import (
    GammuDatabase,
    concat_info,
    poll_inbox,
    poll_sent,
    split_parts,
)
from kotacerdas.messaging.models import Message

EXAMPLES = Path("/usr/share/doc/gammu-smsd/examples")
GAMMU_SMSD = Path("/usr/bin/gammu-smsd")
PHONE = "+6281234567890"


def _schema(name: str) -> str:
    for path in (EXAMPLES / name, EXAMPLES / f"{name}.gz"):
        if path.exists():
            raw = path.read_bytes()
            return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode()
    pytest.skip(f"gammu's {name} schema is missing: apt-get install gammu-smsd")


def _postgres_base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url.rsplit("/", 1)[0]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def gammu_url(request: pytest.FixtureRequest, tmp_path: Path, settings: Any) -> Iterator[str]:
    """gammu's database with the schema gammu-smsd ships, as GAMMU_DATABASE_URL."""
    if request.param == "sqlite":
        path = tmp_path / "smsd.db"
        with sqlite3.connect(path) as connection:
            connection.executescript(_schema("sqlite.sql"))
        connection.close()
        url = f"sqlite:///{path}"
        settings.GAMMU_DATABASE_URL = url
        yield url
        return
    base = _postgres_base_url()
    name = f"kotacerdas_gw_gammu_{uuid.uuid4().hex[:8]}"
    # The shipped file still says CREATE LANGUAGE plpgsql, which fails since
    # PostgreSQL 9.0 installs it in every database; operators drop it too.
    schema = _schema("pgsql.sql").replace("CREATE LANGUAGE plpgsql;", "")
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip(f"PostgreSQL does not answer at {base}: start it, or set DATABASE_URL")
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(f"{base}/{name}", autocommit=True) as pg:
            pg.execute(schema.encode())
        settings.GAMMU_DATABASE_URL = f"{base}/{name}"
        yield settings.GAMMU_DATABASE_URL
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def gammu(gammu_url: str) -> Iterator[GammuDatabase]:
    with GammuDatabase(gammu_url) as db:
        yield db


def add_inbox(db: GammuDatabase, text: str, *, udh: str = "", **extra: Any) -> int:
    """A row as gammu-smsd writes it for a received SMS."""
    unicode = any(ord(ch) > 0x7F for ch in text)
    row = {
        "ReceivingDateTime": "2026-03-01 09:15:00",
        "Text": text.encode("utf-16-be").hex().upper(),
        "SenderNumber": PHONE,
        "Coding": "Unicode_No_Compression" if unicode else "Default_No_Compression",
        "SMSCNumber": "+6281100000",
        "UDH": udh,
        "Class": -1,
        "TextDecoded": text,
        "RecipientID": "kc-modem",
        **extra,
    }
    return db.insert("inbox", row)


def processed(db: GammuDatabase) -> list[Any]:
    return [
        row["Processed"] in (True, "true")
        for row in db.rows('SELECT "Processed" FROM inbox ORDER BY "ID"')
    ]


def test_an_inbox_row_is_stored_once_and_marked_processed(
    db: Any, gammu: GammuDatabase, django_capture_on_commit_callbacks: Any
) -> None:
    row_id = add_inbox(gammu, "WADUL anak dipukul di sekolah")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("gammu_poll")
        call_command("gammu_poll")

    message = Message.objects.get(direction="in")
    assert message.adapter == "gammu"
    assert message.gateway_id == str(row_id)
    assert message.phone == PHONE
    assert message.text == "WADUL anak dipukul di sekolah"
    assert message.our_number == "kc-modem"
    assert message.gateway_time is not None
    # gammu writes the SMSC's time stamp in local time, Asia/Jakarta here.
    assert localtime(message.gateway_time).isoformat() == "2026-03-01T09:15:00+07:00"
    assert processed(gammu) == [True]


def test_a_two_part_unicode_message_is_stored_as_one(
    db: Any, gammu: GammuDatabase, django_capture_on_commit_callbacks: Any
) -> None:
    first = "Anak tetangga dipukul tiap malam 😢 " * 2
    second = "tolong dibantu, Bu"
    # The second part may reach the modem first.
    add_inbox(gammu, second, udh="0500035A0202")
    add_inbox(gammu, first, udh="0500035A0201")
    add_inbox(gammu, "other message")

    with django_capture_on_commit_callbacks(execute=True):
        assert poll_inbox(gammu) == (2, 0)
        assert poll_inbox(gammu) == (0, 0)

    long = Message.objects.get(direction="in", text__startswith="Anak")
    assert long.text == first + second
    assert long.encoding == "ucs2"
    assert long.segments == 2
    assert long.gateway_id == "2"  # the first part's row
    assert Message.objects.filter(direction="in").count() == 2
    assert processed(gammu) == [True, True, True]


def test_schema_18_columns_join_the_parts(db: Any, gammu: GammuDatabase) -> None:
    for column, kind in [("MessageID", "integer"), ("SequencePosition", "integer")]:
        gammu.execute(f'ALTER TABLE inbox ADD COLUMN "{column}" {kind}')
    gammu.execute('ALTER TABLE inbox ADD COLUMN "PartCount" integer NOT NULL DEFAULT 1')
    one = add_inbox(gammu, "Halo ", udh="", MessageID=None, SequencePosition=1, PartCount=2)
    gammu.execute('UPDATE inbox SET "MessageID" = %s WHERE "ID" = %s', [one, one])
    add_inbox(gammu, "dunia", udh="", MessageID=one, SequencePosition=2, PartCount=2)

    assert poll_inbox(gammu) == (1, 0)

    message = Message.objects.get(direction="in")
    assert message.text == "Halo dunia"
    assert message.gateway_id == str(one)


def test_a_part_waits_for_the_others_then_is_stored_after_an_hour(
    db: Any, gammu: GammuDatabase
) -> None:
    add_inbox(gammu, "bagian pertama ", udh="050003070201")

    assert poll_inbox(gammu) == (0, 0)
    assert processed(gammu) == [False]

    # An hour later (gammu's trigger would set the time of our UPDATE).
    trigger = "update_inbox_time" if gammu.is_sqlite else "update_timestamp ON inbox"
    gammu.execute(f"DROP TRIGGER {trigger}")
    gammu.execute('UPDATE inbox SET "UpdatedInDB" = %s', ["2000-01-01 00:00:00"])
    assert poll_inbox(gammu) == (1, 0)
    assert Message.objects.get(direction="in").text == "bagian pertama "


def test_a_row_stored_before_a_crash_is_marked_without_a_second_copy(
    db: Any, gammu: GammuDatabase
) -> None:
    row_id = add_inbox(gammu, "CEK 12345")
    # The poller stored it, then died before it could mark the row.
    receive(adapter="gammu", phone=PHONE, text="CEK 12345", gateway_id=str(row_id))

    assert poll_inbox(gammu) == (0, 1)
    assert Message.objects.filter(direction="in").count() == 1
    assert processed(gammu) == [True]


def test_an_inbound_sms_is_answered_through_gammus_outbox(
    db: Any, gammu: GammuDatabase, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    add_inbox(gammu, "apa ini")

    with django_capture_on_commit_callbacks(execute=True):
        poll_inbox(gammu)

    reply = Message.objects.get(direction="out")
    [row] = gammu.rows('SELECT "ID", "DestinationNumber", "CreatorID" FROM outbox')
    assert reply.status == Message.Status.SENT
    assert reply.gateway_id == str(row["ID"])
    assert row["DestinationNumber"] == PHONE
    assert row["CreatorID"] == "kotacerdas"


def test_an_sms_goes_into_the_outbox(
    db: Any, gammu: GammuDatabase, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("081234567890", "Kode Anda 123456", purpose="otp", adapter="gammu")

    message.refresh_from_db()
    [row] = gammu.rows("SELECT * FROM outbox")
    assert message.status == Message.Status.SENT
    assert message.gateway_id == str(row["ID"])
    assert row["TextDecoded"] == "Kode Anda 123456"
    assert row["Coding"] == "Default_No_Compression"
    assert row["MultiPart"] in (False, "false")
    assert gammu.rows("SELECT * FROM outbox_multipart") == []


@pytest.mark.parametrize(
    ("text", "coding", "parts"),
    [
        (
            "Jadwal posyandu RW 01: " + "timbang balita, imunisasi. " * 8,
            "Default_No_Compression",
            2,
        ),
        ("Laporan Anda diterima 🙏 " + "terima kasih. " * 10, "Unicode_No_Compression", 3),
    ],
)
def test_a_long_text_goes_in_parts_with_concatenation_headers(
    db: Any,
    gammu: GammuDatabase,
    django_capture_on_commit_callbacks: Any,
    text: str,
    coding: str,
    parts: int,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("081234567890", text, purpose="info", adapter="gammu")

    message.refresh_from_db()
    [first] = gammu.rows("SELECT * FROM outbox")
    rest = gammu.rows('SELECT * FROM outbox_multipart ORDER BY "SequencePosition"')
    assert first["MultiPart"] in (True, "true")
    assert [first["Coding"], *(row["Coding"] for row in rest)] == [coding] * parts
    assert [row["ID"] for row in rest] == [first["ID"]] * (parts - 1)
    assert [concat_info(first["UDH"]), *(concat_info(row["UDH"]) for row in rest)] == [
        (message.pk % 256, parts, position) for position in range(1, parts + 1)
    ]
    assert first["TextDecoded"] + "".join(row["TextDecoded"] for row in rest) == text
    assert message.segments == parts


def test_splitting_never_cuts_an_escaped_character_or_a_surrogate_pair() -> None:
    coding, parts = split_parts("a" * 152 + "€" + "b" * 10)
    assert coding == "Default_No_Compression"
    assert parts == ["a" * 152, "€" + "b" * 10]
    coding, parts = split_parts("é" + "x" * 65 + "😀" + "y" * 5)
    assert coding == "Unicode_No_Compression"
    assert parts == ["é" + "x" * 65, "😀yyyyy"]


def test_concatenation_headers_with_16_bit_references_are_read() -> None:
    assert concat_info("0608041234030") is None  # not hex bytes
    assert concat_info("060804123403020") is None
    assert concat_info("06080412340302") == (0x1234, 3, 2)
    assert concat_info("0A0504158A00000003AA0201") == (0xAA, 2, 1)  # after a port header


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["SendingOKNoReport"], Message.Status.SENT),
        (["DeliveryOK"], Message.Status.DELIVERED),
        (["SendingError"], Message.Status.FAILED),
        (["DeliveryFailed"], Message.Status.FAILED),
        (["Error"], Message.Status.FAILED),
        (["DeliveryOK", "DeliveryPending"], Message.Status.SENT),
        (["DeliveryOK", "DeliveryOK"], Message.Status.DELIVERED),
        (["DeliveryOK", "SendingError"], Message.Status.FAILED),
    ],
)
def test_sentitems_status_is_recorded(
    db: Any,
    gammu: GammuDatabase,
    django_capture_on_commit_callbacks: Any,
    statuses: list[str],
    expected: str,
) -> None:
    text = "Pemberitahuan" if len(statuses) == 1 else "Pemberitahuan panjang. " * 10
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms("081234567890", text, purpose="info", adapter="gammu")
    message.refresh_from_db()
    # gammu-smsd moves a sent message from the outbox to the sent items.
    gammu.execute("DELETE FROM outbox_multipart")
    gammu.execute("DELETE FROM outbox")
    for position, status in enumerate(statuses, start=1):
        gammu.insert(
            "sentitems",
            {
                "ID": int(message.gateway_id),
                "SequencePosition": position,
                "Status": status,
                "StatusError": 0 if status != "SendingError" else 69,
                "Text": "",
                "DestinationNumber": PHONE,
                "UDH": "",
                "SenderID": "kc-modem",
                "CreatorID": "kotacerdas",
            },
        )

    assert poll_sent(gammu) == (0 if expected == Message.Status.SENT else 1)
    assert poll_sent(gammu) == 0

    message.refresh_from_db()
    assert message.status == expected
    if expected == Message.Status.FAILED:
        assert message.last_error.startswith("gammu: ")
    if expected == Message.Status.DELIVERED:
        assert message.delivered_at is not None


def test_an_unreachable_database_means_try_again_later(
    db: Any, settings: Any, tmp_path: Path
) -> None:
    settings.GAMMU_DATABASE_URL = f"sqlite:///{tmp_path / 'absent.db'}"
    message = Message.objects.create(
        direction="out", adapter="gammu", phone=PHONE, text="halo", status="queued"
    )

    deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at is not None
    assert "gammu database" in message.last_error
    assert not (tmp_path / "absent.db").exists()


# The real gammu-smsd, with its dummy phone --------------------------------------

SMS_BACKUP = """[SMSBackup000]
Number = "{number}"
Coding = Unicode
Folder = 1
Sent = 20260301T091500
State = UnRead
PDU = Deliver
Text00 = {text}
"""


def _wait(condition: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    return condition()


@pytest.fixture
def gammu_smsd(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """gammu-smsd on a dummy phone in ``<tmp>/phone``, with its SQLite database."""
    if not GAMMU_SMSD.exists() or shutil.which("gammu-smsd") is None:
        pytest.skip("gammu-smsd is not installed: apt-get install gammu-smsd gammu libdbd-sqlite3")
    database = tmp_path / "smsd.db"
    with sqlite3.connect(database) as connection:
        connection.executescript(_schema("sqlite.sql"))
    connection.close()
    phone = tmp_path / "phone"
    for folder in range(1, 6):
        (phone / "sms" / str(folder)).mkdir(parents=True)
    config = tmp_path / "smsdrc"
    config.write_text(
        f"[gammu]\nmodel = dummy\nconnection = none\ndevice = {phone}\n\n"
        f"[smsd]\nservice = sql\ndriver = sqlite3\nsql = sqlite\n"
        f"database = {database.name}\ndbdir = {tmp_path}\nlogfile = {tmp_path / 'smsd.log'}\n"
        "debuglevel = 1\ncommtimeout = 1\nsendtimeout = 5\nreceivefrequency = 1\n"
        "statusfrequency = 1\ncheckbattery = 0\nchecksignal = 0\nchecksecurity = 0\n"
        "phoneid = kc-modem\n"
    )
    settings.GAMMU_DATABASE_URL = f"sqlite:///{database}"
    process = subprocess.Popen(
        [str(GAMMU_SMSD), "--config", str(config), "--pid", str(tmp_path / "smsd.pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = _wait(lambda: "Starting phone" in _log(tmp_path) or process.poll() is not None)
        if not started or process.poll() is not None:
            pytest.fail(f"gammu-smsd did not start:\n{_log(tmp_path)}")
        yield phone
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _log(directory: Path) -> str:
    path = directory / "smsd.log"
    return path.read_text(errors="replace") if path.exists() else ""


@pytest.mark.gammu
def test_the_real_gammu_smsd_receives_and_sends(
    db: Any, gammu_smsd: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    text = "WADUL ada anak dipukul 😢"
    (gammu_smsd / "sms" / "1" / "1").write_text(
        SMS_BACKUP.format(number=PHONE, text=text.encode("utf-16-be").hex().upper())
    )
    with GammuDatabase(settings.GAMMU_DATABASE_URL) as gammu:
        assert _wait(lambda: gammu.rows("SELECT * FROM inbox")), _log(gammu_smsd.parent)

        with django_capture_on_commit_callbacks(execute=True):
            assert poll_inbox(gammu) == (1, 0)
            assert poll_inbox(gammu) == (0, 0)
            message = send_sms(PHONE, "Laporan diterima. " * 12, purpose="test", adapter="gammu")

        stored = Message.objects.get(direction="in")
        assert stored.text == text
        assert stored.our_number == "kc-modem"
        message.refresh_from_db()
        assert message.status == Message.Status.SENT
        sent = _wait(
            lambda: (
                gammu.rows(
                    'SELECT * FROM sentitems WHERE "ID" = %s ORDER BY "SequencePosition"',
                    [int(message.gateway_id)],
                )
                if not gammu.rows("SELECT * FROM outbox")
                else None
            )
        )
        assert [row["Status"] for row in sent] == ["SendingOKNoReport"] * 2, _log(gammu_smsd.parent)
        assert "".join(row["TextDecoded"] for row in sent) == message.text
        assert poll_sent(gammu) == 0  # sent without a report: it stays sent
        message.refresh_from_db()
        assert message.status == Message.Status.SENT
