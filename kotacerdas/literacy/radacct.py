"""Reading FreeRADIUS ``radacct`` rows and turning them into counts per point and hour.

A row of ``radacct`` is one session as last reported by its NAS: start, last
update or stop, cumulative seconds and octets. The same session comes back
with every interim update and with its stop (and a file may be exported and
imported again), so what a session adds is only what goes past what earlier
imports counted: :class:`Counter` keeps, per session, the time and octets
already counted (``AccountedSession``) and splits the rest across the hours
it covers, octets in proportion to the time in each hour.

Privacy: the device id (``callingstationid``, a MAC address) and ``username``
are replaced here, as each row is read, by a keyed hash (HMAC-SHA256 with
``LITERACY_DEVICE_KEY``, cut to 16 bytes); ``acctuniqueid`` too (FreeRADIUS
derives it from the user name). ``framedipaddress`` is never read. A refused
row is reported by line number and reason only, never by its content.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

HOUR = 3600
DIGEST = 16  # bytes of the HMAC kept: collisions stay negligible, rows stay small
LONGEST_SESSION = 31 * 24 * HOUR
REQUIRED = (
    "acctuniqueid",
    "username",
    "nasipaddress",
    "acctstarttime",
    "acctsessiontime",
    "acctinputoctets",
    "acctoutputoctets",
    "callingstationid",
)
OPTIONAL = ("nasidentifier", "acctupdatetime", "acctstoptime")
MAC_SEPARATORS = str.maketrans("", "", ":-. ")


class BadRow(ValueError):
    """A row that cannot be counted; the message says why (in the user's language)."""


class BadHeader(ValueError):
    """The input is not a radacct export: nothing is imported."""


@dataclass(slots=True)
class Row:
    uid: bytes
    nas: str
    device: bytes
    user: bytes
    start: int  # epoch seconds
    end: int
    bytes_in: int
    bytes_out: int
    stopped: bool


class Keyer:
    """The keyed hash of identifiers, memoised (a device comes back many times)."""

    def __init__(self, key: str, limit: int = 200_000) -> None:
        if not key:
            raise BadHeader(_("LITERACY_DEVICE_KEY is not set: nothing can be imported."))
        self.key = key.encode()
        self.memo: dict[str, bytes] = {}
        self.limit = limit

    def __call__(self, value: str) -> bytes:
        found = self.memo.get(value)
        if found is None:
            found = hmac.digest(self.key, value.encode(), "sha256")[:DIGEST]
            if len(self.memo) >= self.limit:  # bounded memory on a long import
                self.memo.clear()
            self.memo[value] = found
        return found


def columns(header: Sequence[str]) -> dict[str, int]:
    """Where each column we read sits; BadHeader if a required one is missing."""
    found = {name.strip().lower(): index for index, name in enumerate(header)}
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise BadHeader(
            _(
                "The first line is not the header of a radacct export "
                "(COPY radacct TO … CSV HEADER): missing columns %(columns)s."
            )
            % {"columns": ", ".join(missing)}
        )
    return {name: found[name] for name in (*REQUIRED, *OPTIONAL) if name in found}


class Parser:
    """Turns one raw row (text from a CSV, or typed values from the table) into a :class:`Row`."""

    def __init__(self, where: Mapping[str, int], keyer: Keyer, now: dt.datetime) -> None:
        self.where = dict(where)
        self.keyer = keyer
        self.latest = int(now.timestamp()) + settings.LITERACY_FUTURE_TOLERANCE_MINUTES * 60
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.width = max(self.where.values()) + 1

    def _time(self, value: Any, name: str) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                raise BadRow(_("%(column)s is not a date and time") % {"column": name}) from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return int(value.timestamp())

    def _count(self, value: Any, name: str) -> int:
        try:
            number = int(value or 0)
        except ValueError:
            raise BadRow(_("%(column)s is not a whole number") % {"column": name}) from None
        if number < 0:
            raise BadRow(_("%(column)s is negative") % {"column": name})
        return number

    def __call__(self, raw: Sequence[Any]) -> Row:
        if len(raw) < self.width:
            raise BadRow(_("the line has %(found)s columns, the header more") % {"found": len(raw)})
        get = self.where.get
        uid = raw[self.where["acctuniqueid"]]
        if not uid:
            raise BadRow(_("acctuniqueid is empty"))
        start = self._time(raw[self.where["acctstarttime"]], "acctstarttime")
        if start is None:
            raise BadRow(_("acctstarttime is empty"))
        seconds = self._count(raw[self.where["acctsessiontime"]], "acctsessiontime")
        stop = (
            self._time(raw[i], "acctstoptime") if (i := get("acctstoptime")) is not None else None
        )
        update = (
            self._time(raw[i], "acctupdatetime")
            if (i := get("acctupdatetime")) is not None
            else None
        )
        end = stop if stop is not None else max(update or start, start + seconds)
        if end < start:
            raise BadRow(_("the session ends before it starts"))
        if end > self.latest:
            raise BadRow(_("the session is dated in the future"))
        if end - start > LONGEST_SESSION:
            raise BadRow(_("the session lasts more than 31 days"))
        nas = raw[i] if (i := get("nasidentifier")) is not None else ""
        mac = str(raw[self.where["callingstationid"]] or "").translate(MAC_SEPARATORS).upper()
        user = str(raw[self.where["username"]] or "")
        return Row(
            uid=self.keyer("uid:" + str(uid)),
            nas=str(nas or raw[self.where["nasipaddress"]] or ""),
            device=self.keyer("mac:" + mac) if mac else self.keyer("user:" + user),
            user=self.keyer("user:" + user),
            start=start,
            end=end,
            bytes_in=self._count(raw[self.where["acctinputoctets"]], "acctinputoctets"),
            bytes_out=self._count(raw[self.where["acctoutputoctets"]], "acctoutputoctets"),
            stopped=stop is not None,
        )


# What AccountedSession holds, as a list in this order (mutable, cheap).
POINT, DEVICE, USER, START, UNTIL, IN, OUT, STOPPED = range(8)


@dataclass
class Counter:
    """Counts of one batch of rows: what to add per point and hour, and the new session state.

    ``states`` holds what earlier imports counted of the batch's sessions
    (loaded before the batch is applied); new and changed sessions are
    written back with the counts, in one transaction.
    """

    states: dict[bytes, list[Any]]
    usage: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    presence: set[tuple[int, int, bytes]] = field(default_factory=set)
    new: set[bytes] = field(default_factory=set)
    changed: set[bytes] = field(default_factory=set)
    counted: int = 0
    unchanged: int = 0

    def _cell(self, point: int, hour: int) -> list[int]:
        cell = self.usage.get((point, hour))
        if cell is None:
            cell = self.usage[(point, hour)] = [0, 0, 0, 0]  # sessions, seconds, in, out
        return cell

    def add(self, row: Row, point: int) -> None:
        state = self.states.get(row.uid)
        fresh = state is None
        if state is None:
            state = [point, row.device, row.user, row.start, row.start, 0, 0, False]
            self.states[row.uid] = state
            self.new.add(row.uid)
            self._cell(point, row.start - row.start % HOUR)[0] += 1
            self.presence.add((point, row.start - row.start % HOUR, row.device))
        point = state[POINT]
        since = state[UNTIL]
        end = max(row.end, since)
        more_in = max(0, row.bytes_in - state[IN])
        more_out = max(0, row.bytes_out - state[OUT])
        stopped = state[STOPPED] or row.stopped
        if not fresh and end == since and not more_in and not more_out:
            if stopped != state[STOPPED]:
                state[STOPPED] = stopped
                self.changed.add(row.uid)
            self.unchanged += 1
            return
        self._spread(point, state[DEVICE], since, end, more_in, more_out)
        state[UNTIL], state[STOPPED] = end, stopped
        state[IN], state[OUT] = max(state[IN], row.bytes_in), max(state[OUT], row.bytes_out)
        if not fresh:
            self.changed.add(row.uid)
        self.counted += 1

    def _spread(
        self, point: int, device: bytes, since: int, end: int, more_in: int, more_out: int
    ) -> None:
        """Add the time from ``since`` to ``end`` and the octets to the hours they cover."""
        if end == since:  # octets without time (a stop right after an update)
            hour = since - since % HOUR
            cell = self._cell(point, hour)
            cell[2] += more_in
            cell[3] += more_out
            return
        total = end - since
        left_in, left_out = more_in, more_out
        hour = since - since % HOUR
        while hour < end:
            overlap = min(end, hour + HOUR) - max(since, hour)
            last = hour + HOUR >= end
            share_in = left_in if last else more_in * overlap // total
            share_out = left_out if last else more_out * overlap // total
            left_in -= share_in
            left_out -= share_out
            cell = self._cell(point, hour)
            cell[1] += overlap
            cell[2] += share_in
            cell[3] += share_out
            self.presence.add((point, hour, device))
            hour += HOUR


def batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
