"""gammu-smsd's SQL backend: a GSM modem (or a phone) with its own database.

gammu-smsd reads what we insert into ``outbox``/``outbox_multipart`` and moves
each message to ``sentitems`` with its status; it writes what the modem
receives into ``inbox`` and leaves ``Processed`` to us. We talk to that
database directly (``GAMMU_DATABASE_URL``: ``sqlite:////var/lib/gammu/smsd.db``
or ``postgres://user@host/smsd``), never through our own connection: it is
another program's database, often on the machine with the modem.

``manage.py gammu_poll`` reads the inbox and the sent items; ``send`` is
called by ``messaging.actions.deliver``. Works with schema versions 17 and 18
(``gammu-smsd``'s ``sqlite.sql``/``pgsql.sql``); the PostgreSQL schema quotes
its CamelCase columns, which SQLite accepts too, so one SQL text serves both.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from kotacerdas.messaging.adapters.base import Adapter, GatewayError, SendResult
from kotacerdas.messaging.encoding import GSM7_EXTENDED, count_segments
from kotacerdas.messaging.models import Message

logger = logging.getLogger(__name__)

CREATOR_ID = "kotacerdas"
# Concatenated SMS (3GPP TS 23.040 §9.2.3.24.1): a 6-byte UDH leaves 153
# GSM-7 septets or 67 UCS-2 code units per part.
PART_SEPTETS = 153
PART_UCS2_UNITS = 67
MAX_PARTS = 255
# sentitems.Status → our delivery status. DeliveryPending/DeliveryUnknown
# mean "sent, no final report yet": the message stays sent.
SENT_STATUS = {
    "SendingOK": Message.Status.SENT,
    "SendingOKNoReport": Message.Status.SENT,
    "DeliveryPending": Message.Status.SENT,
    "DeliveryUnknown": Message.Status.SENT,
    "DeliveryOK": Message.Status.DELIVERED,
    "SendingError": Message.Status.FAILED,
    "DeliveryFailed": Message.Status.FAILED,
    "Error": Message.Status.FAILED,
}
# Parts of a long message that arrive apart wait for each other this long;
# then what has arrived is stored, so that nothing waits for ever.
INCOMPLETE_WAIT_SECONDS = 3600


class GammuDatabase:
    """One connection to gammu-smsd's database, SQLite or PostgreSQL.

    SQL is written with ``%s`` placeholders and quoted CamelCase names.
    """

    def __init__(self, url: str) -> None:
        if not url:
            raise ImproperlyConfigured("Set GAMMU_DATABASE_URL to use the gammu SMS adapter")
        parts = urlsplit(url)
        self.url = url
        self.is_sqlite = parts.scheme == "sqlite"
        if self.is_sqlite:
            # As in DATABASE_URL: sqlite:////absolute/path, sqlite:///relative/path.
            path = unquote(parts.path[1:])
            if not path:
                raise ImproperlyConfigured("GAMMU_DATABASE_URL=sqlite:///… needs a file path")
            try:
                # mode=rw: a wrong path is an error, not a new empty database.
                self.connection: Any = sqlite3.connect(
                    f"file:{path}?mode=rw", uri=True, timeout=20, isolation_level=None
                )
            except sqlite3.OperationalError as exc:
                raise GatewayError(f"gammu database {path!r}: {exc}") from exc
        elif parts.scheme in {"postgres", "postgresql"}:
            try:
                self.connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
            except psycopg.OperationalError as exc:
                raise GatewayError(f"gammu database unreachable: {exc}") from exc
        else:
            raise ImproperlyConfigured(
                f"GAMMU_DATABASE_URL: {parts.scheme!r} is not supported; use sqlite or postgres"
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> GammuDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.is_sqlite:
            sql = sql.replace("%s", "?")
        cursor = self.connection.cursor()
        cursor.execute(sql, tuple(params))
        return cursor

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.is_sqlite:
            # IMMEDIATE: take the write lock now, not half-way through.
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")
        else:
            with self.connection.transaction():
                yield

    def columns(self, table: str) -> set[str]:
        cursor = self.execute(f"SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608 (a fixed name)
        return {column[0] for column in cursor.description}

    def insert(self, table: str, values: dict[str, Any]) -> int:
        names = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("%s" for _ in values)
        cursor = self.execute(
            f'INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING "ID"',  # noqa: S608
            list(values.values()),
        )
        return int(cursor.fetchone()[0])


def connect() -> GammuDatabase:
    return GammuDatabase(settings.GAMMU_DATABASE_URL)


# Sending ---------------------------------------------------------------------


def split_parts(text: str) -> tuple[str, list[str]]:
    """(gammu coding, parts): one part for a short text, else 153/67-unit parts.

    A GSM-7 extension character (two septets) and a UTF-16 surrogate pair
    are never cut in half.
    """
    segments = count_segments(text)
    if segments.encoding == "gsm7":
        coding, limit = "Default_No_Compression", PART_SEPTETS

        def cost(ch: str) -> int:
            return 2 if ch in GSM7_EXTENDED else 1

    else:
        coding, limit = "Unicode_No_Compression", PART_UCS2_UNITS

        def cost(ch: str) -> int:
            return 2 if ord(ch) > 0xFFFF else 1

    if segments.count <= 1:
        return coding, [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        if used + cost(ch) > limit:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost(ch)
    parts.append("".join(current))
    return coding, parts


def concat_udh(reference: int, total: int, position: int) -> str:
    """The UDH of one part of a concatenated SMS, with an 8-bit reference."""
    return f"050003{reference % 256:02X}{total:02X}{position:02X}"


class GammuAdapter(Adapter):
    code = "gammu"
    name = "gammu-smsd (SQL)"

    def send(self, message: Message) -> SendResult:
        """Queue the message in gammu's outbox; its outbox ID is the gateway id.

        gammu-smsd sends what ``TextDecoded`` holds as one SMS, whatever its
        length, so a long text goes in as parts with concatenation headers:
        the first in ``outbox`` (``MultiPart``), the rest in ``outbox_multipart``.
        """
        coding, parts = split_parts(message.text)
        if len(parts) > MAX_PARTS:
            return SendResult(accepted=False, error=f"text too long: {len(parts)} SMS parts")
        first: dict[str, Any] = {
            "DestinationNumber": message.phone,
            "TextDecoded": parts[0],
            "Coding": coding,
            "CreatorID": CREATOR_ID,
        }
        if len(parts) > 1:
            first["MultiPart"] = "true"
            first["UDH"] = concat_udh(message.pk, len(parts), 1)
        try:
            with connect() as db, db.transaction():
                outbox_id = db.insert("outbox", first)
                for position, part in enumerate(parts[1:], start=2):
                    db.execute(
                        'INSERT INTO outbox_multipart ("ID", "SequencePosition", "TextDecoded",'
                        ' "Coding", "UDH") VALUES (%s, %s, %s, %s, %s)',
                        [
                            outbox_id,
                            position,
                            part,
                            coding,
                            concat_udh(message.pk, len(parts), position),
                        ],
                    )
        except (sqlite3.Error, psycopg.Error) as exc:
            raise GatewayError(f"gammu outbox: {exc}", retry=True) from exc
        return SendResult(accepted=True, gateway_id=str(outbox_id))


# Receiving -------------------------------------------------------------------


@dataclass
class InboundSMS:
    """One logical message from gammu's inbox: one row, or the parts of a long one."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [int(row["ID"]) for row in self.rows]

    @property
    def gateway_id(self) -> str:
        # The first part's row ID (what schema 18 calls MessageID).
        return str(self.rows[0]["ID"])

    @property
    def text(self) -> str:
        return "".join(_row_text(row) for row in self.rows)


def _row_text(row: dict[str, Any]) -> str:
    if row.get("TextDecoded"):
        return str(row["TextDecoded"])
    # 8-bit data has no decoded text: keep its bytes, written in hex.
    return str(row.get("Text") or "")


def concat_info(udh: str) -> tuple[int, int, int] | None:
    """(reference, total, position) from a UDH in hex, or None if not a part."""
    try:
        data = bytes.fromhex(udh or "")
    except ValueError:
        return None
    if not data:
        return None
    end = min(len(data), data[0] + 1)
    index = 1
    while index + 2 <= end:
        iei, length = data[index], data[index + 1]
        value = data[index + 2 : index + 2 + length]
        if iei == 0x00 and length == 3 and len(value) == 3:
            return value[0], value[1], value[2]
        if iei == 0x08 and length == 4 and len(value) == 4:
            return value[0] << 8 | value[1], value[2], value[3]
        index += 2 + length
    return None


def group_parts(rows: list[dict[str, Any]]) -> list[tuple[InboundSMS, bool]]:
    """Logical messages from unprocessed inbox rows, each with "complete?".

    Schema 18 says which message a row belongs to (MessageID,
    SequencePosition, PartCount); older schemas only keep the UDH, so parts
    are matched by sender and concatenation reference there.
    """
    groups: dict[tuple[Any, ...], list[tuple[int, dict[str, Any]]]] = {}
    totals: dict[tuple[Any, ...], int] = {}
    for row in sorted(rows, key=lambda r: int(r["ID"])):
        part_count = int(row.get("PartCount") or 0)
        if row.get("MessageID") and part_count > 1:
            key: tuple[Any, ...] = ("v18", row["MessageID"])
            position = int(row.get("SequencePosition") or 1)
            total = part_count
        elif (info := concat_info(str(row.get("UDH") or ""))) is not None and info[1] > 1:
            reference, total, position = info
            key = ("udh", row["SenderNumber"], reference, total)
        else:
            key, position, total = ("single", row["ID"]), 1, 1
        # A reference number is reused after 256 messages: a part that is
        # already there starts a new message.
        while any(pos == position for pos, _ in groups.get(key, [])):
            key = (*key, "again")
        groups.setdefault(key, []).append((position, row))
        totals[key] = total
    result = []
    for key, parts in groups.items():
        parts.sort(key=lambda item: item[0])
        positions = [position for position, _ in parts]
        complete = positions == list(range(1, totals[key] + 1))
        result.append((InboundSMS(rows=[row for _, row in parts]), complete))
    result.sort(key=lambda item: min(item[0].ids))
    return result


def _gateway_time(value: Any) -> dt.datetime | None:
    """ReceivingDateTime: the SMSC's time stamp, written in local time."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def poll_inbox(db: GammuDatabase, *, limit: int = 200) -> tuple[int, int]:
    """Store every unprocessed inbox message once; (stored, duplicates).

    Rows are marked ``Processed`` in gammu's database only after our own
    store committed: a crash in between leaves them unprocessed, and the
    next poll finds them stored already (same gateway id) and marks them.
    Parts of a long message wait for the missing ones for up to an hour.
    """
    from kotacerdas.messaging.actions import receive

    columns = db.columns("inbox")
    wanted = ["ID", "SenderNumber", "TextDecoded", "Text", "Coding", "UDH", "ReceivingDateTime"]
    wanted += ["RecipientID"] if "RecipientID" in columns else []
    wanted += [c for c in ("MessageID", "SequencePosition", "PartCount") if c in columns]
    stale = (
        f"\"UpdatedInDB\" <= datetime('now', '-{INCOMPLETE_WAIT_SECONDS} seconds')"
        if db.is_sqlite
        else f"\"UpdatedInDB\" <= LOCALTIMESTAMP - interval '{INCOMPLETE_WAIT_SECONDS} seconds'"
    )
    lock = "" if db.is_sqlite else " FOR UPDATE SKIP LOCKED"
    names = ", ".join(f'"{column}"' for column in wanted)
    stored = duplicates = 0
    with db.transaction():
        rows = db.rows(
            f"SELECT {names}, ({stale}) AS stale"  # noqa: S608
            f' FROM inbox WHERE "Processed" = \'false\' ORDER BY "ID" LIMIT %s{lock}',
            [limit],
        )
        for sms, complete in group_parts(rows):
            if not complete and not all(row["stale"] for row in sms.rows):
                continue
            if not complete:
                logger.warning("gammu inbox %s: parts missing, stored as they are", sms.ids)
            first = sms.rows[0]
            _message, created = receive(
                adapter=GammuAdapter.code,
                phone=str(first["SenderNumber"]),
                text=sms.text,
                gateway_id=sms.gateway_id,
                our_number=str(first.get("RecipientID") or ""),
                gateway_time=_gateway_time(first.get("ReceivingDateTime")),
            )
            stored += created
            duplicates += not created
            marks = ", ".join("%s" for _ in sms.ids)
            db.execute(
                f'UPDATE inbox SET "Processed" = \'true\' WHERE "ID" IN ({marks})',  # noqa: S608
                sms.ids,
            )
    return stored, duplicates


def poll_sent(db: GammuDatabase, *, days: int = 3, limit: int = 500) -> int:
    """Record what ``sentitems`` says of our sent messages; how many changed.

    A long message is delivered when every part is, failed when any part is.
    Messages older than ``days`` are no longer asked about.
    """
    from kotacerdas.messaging.actions import record_delivery

    since = timezone.now() - dt.timedelta(days=days)
    waiting = {
        message.gateway_id: message
        for message in Message.objects.filter(
            adapter=GammuAdapter.code,
            direction=Message.Direction.OUT,
            status=Message.Status.SENT,
            sent_at__gte=since,
        )
        .exclude(gateway_id="")
        .order_by("pk")[:limit]
        if message.gateway_id.isdigit()
    }
    if not waiting:
        return 0
    marks = ", ".join("%s" for _ in waiting)
    rows = db.rows(
        'SELECT "ID", "SequencePosition", "Status", "StatusError" FROM sentitems'  # noqa: S608
        f' WHERE "ID" IN ({marks})',
        [int(gateway_id) for gateway_id in waiting],
    )
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_id.setdefault(str(row["ID"]), []).append(row)
    changed = 0
    for gateway_id, parts in by_id.items():
        message = waiting[gateway_id]
        statuses = [SENT_STATUS.get(str(part["Status"]), Message.Status.SENT) for part in parts]
        if Message.Status.FAILED in statuses:
            bad = next(p for p in parts if SENT_STATUS.get(str(p["Status"])) == "failed")
            error = f"gammu: {bad['Status']} (TP-Status {bad['StatusError']})"
            changed += record_delivery(message, Message.Status.FAILED, error=error)
        elif len(parts) >= message.segments and all(
            status == Message.Status.DELIVERED for status in statuses
        ):
            changed += record_delivery(message, Message.Status.DELIVERED)
    return changed
