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
``LITERACY_DEVICE_KEY``, cut to 8 bytes, see :class:`Keyer`); ``acctuniqueid``
too (FreeRADIUS derives it from the user name), cut to 16 bytes. ``framedipaddress`` is never read. A refused
row is reported by line number and reason only, never by its content.
"""

from __future__ import annotations

import datetime as dt
import hmac
import sys
from array import array
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
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


@dataclass
class Parsed:
    """A batch of read lines: the rows that can be counted, by column, and the refused lines.

    By column (the session ids end to end, numbers in arrays, NAS names by
    index) because a batch may cross from the reading process to the
    counting one, and columns cross as a few blocks of bytes, not as
    50,000 objects to pickle.
    """

    lines: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    uids: bytes = b""  # DIGEST bytes each
    nas: array[int] = field(default_factory=lambda: array("l"))  # index in nas_names
    nas_names: list[str] = field(default_factory=list)
    device: array[int] = field(default_factory=lambda: array("q"))
    start: array[int] = field(default_factory=lambda: array("q"))  # epoch seconds
    end: array[int] = field(default_factory=lambda: array("q"))
    bytes_in: array[int] = field(default_factory=lambda: array("q"))
    bytes_out: array[int] = field(default_factory=lambda: array("q"))
    stopped: bytes = b""

    @classmethod
    def of(cls, lines: int, bad: list[tuple[int, str]], rows: list[tuple[Any, ...]]) -> Parsed:
        """A batch from the rows the parser returned (turned into columns in one go)."""
        if not rows:
            return cls(lines, bad)
        uids, nas, device, start, end, bytes_in, bytes_out, stopped = zip(*rows, strict=True)
        names = list(dict.fromkeys(nas))
        index = {name: n for n, name in enumerate(names)}
        return cls(
            lines, bad, b"".join(uids), array("l", map(index.__getitem__, nas)), names,
            array("q", device), array("q", start), array("q", end), array("q", bytes_in),
            array("q", bytes_out), bytes(stopped),
        )  # fmt: skip

    def rows(self) -> Iterator[tuple[bytes, str, int, int, int, int, int, bool]]:
        """(uid, nas, device, start, end, bytes in, bytes out, stopped) per row."""
        uids, names = self.uids, self.nas_names
        for n, (nas, device, start, end, b_in, b_out, stopped) in enumerate(
            zip(
                self.nas, self.device, self.start, self.end, self.bytes_in, self.bytes_out,
                self.stopped, strict=True,
            )
        ):  # fmt: skip
            yield (uids[n * DIGEST : n * DIGEST + DIGEST], names[nas], device, start, end, b_in,
                   b_out, bool(stopped))  # fmt: skip


def parse(lines: Iterable[tuple[int, Sequence[Any] | str]], parser: Parser) -> Generator[Parsed]:
    """Read ``lines`` (line number, cells or the reason they could not be split) in batches."""
    rows: list[tuple[Any, ...]] = []
    bad: list[tuple[int, str]] = []
    count, size = 0, parser.batch
    for line, raw in lines:
        count += 1
        if isinstance(raw, str):
            bad.append((line, raw))
        else:
            try:
                rows.append(parser(raw))
            except BadRow as exc:
                bad.append((line, str(exc)))
        if count >= size:
            yield Parsed.of(count, bad, rows)
            rows, bad, count = [], [], 0
    if count:
        yield Parsed.of(count, bad, rows)


class Keyer:
    """The keyed hash of identifiers (HMAC-SHA256 with ``LITERACY_DEVICE_KEY``).

    A session id becomes 16 bytes (it is looked up, never counted). A device
    becomes a signed 64-bit integer, the hash's first 8 bytes: devices are
    counted in sets, and integers are what sets and PostgreSQL keep cheaply.
    Two of the city's devices share one only by a birthday collision: among
    100,000 devices the chance is about 1 in 3.7 billion, and a collision
    would make a count of distinct devices one too small.
    """

    def __init__(self, key: str, limit: int = 200_000) -> None:
        if not key:
            raise BadHeader(_("LITERACY_DEVICE_KEY is not set: nothing can be imported."))
        self.key = key.encode()
        self.devices: dict[str, int] = {}  # memoised: a device comes back many times
        self.limit = limit

    def session(self, uid: str) -> bytes:
        return hmac.digest(self.key, b"uid:" + uid.encode(), "sha256")[:DIGEST]

    def device(self, mac: str, user: str) -> int:
        """The device by its MAC address (any separators, any case), else by the user name."""
        memo = mac + "\0" + user
        found = self.devices.get(memo)
        if found is None:
            mac = mac.translate(MAC_SEPARATORS).upper()
            name = "mac:" + mac if mac else "user:" + user
            digest = hmac.digest(self.key, name.encode(), "sha256")
            found = int.from_bytes(digest[:8], "big", signed=True)
            if len(self.devices) >= self.limit:  # bounded memory on a long import
                self.devices.clear()
            self.devices[memo] = found
        return found


def pack(devices: Iterable[int]) -> bytes:
    """A set of device hashes as stored (``UsageHour.device_hashes``): sorted little-endian int64."""
    packed = array("q", sorted(devices))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(stored: bytes) -> array[int]:
    devices = array("q")
    devices.frombytes(stored)
    if sys.byteorder == "big":
        devices.byteswap()
    return devices


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


SIXTY = {f"{n:02d}": n for n in range(60)}  # "07" → 7: parses and checks at once


class Clock:
    """Epoch seconds of a radacct time: text from a CSV, or a datetime from the table.

    Text in the usual export form ``YYYY-MM-DD HH:MM:SS`` (with or without a
    zone such as ``+07``) is read by looking up its hour, parsed once, and
    adding minutes and seconds: a month's export has a few hundred distinct
    hours but a million times. Anything else goes through ``fromisoformat``.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.hours: dict[str, int] = {}

    def __call__(self, value: Any, name: str) -> int | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return self._epoch(value)
        if len(value) >= 19 and value[13] == ":" and value[16] == ":":
            base = self.hours.get(value[:13] + value[19:])
            minute, second = SIXTY.get(value[14:16]), SIXTY.get(value[17:19])
            if base is not None and minute is not None and second is not None:
                return base + minute * 60 + second
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise BadRow(_("%(column)s is not a date and time") % {"column": name}) from None
        epoch = self._epoch(parsed)
        if len(value) >= 19 and value[19:20] in ("", "+", "-", "Z") and not parsed.microsecond:
            self.hours[value[:13] + value[19:]] = epoch - parsed.minute * 60 - parsed.second
        return epoch

    def _epoch(self, value: dt.datetime) -> int:
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return int(value.timestamp())


class Parser:
    """Reads one raw row (text from a CSV, or typed values from the table) into a :class:`Parsed`."""

    def __init__(
        self, where: Mapping[str, int], keyer: Keyer, now: dt.datetime, batch: int = 50_000
    ) -> None:
        self.keyer = keyer
        self.batch = batch
        self.latest = int(now.timestamp()) + settings.LITERACY_FUTURE_TOLERANCE_MINUTES * 60
        self.time = Clock(ZoneInfo(settings.TIME_ZONE))
        self.width = max(where.values()) + 1
        get = where.get
        self.uid, self.start = where["acctuniqueid"], where["acctstarttime"]
        self.seconds = where["acctsessiontime"]
        self.stop, self.update = get("acctstoptime"), get("acctupdatetime")
        self.nas, self.nas_ip = get("nasidentifier"), where["nasipaddress"]
        self.mac, self.user = where["callingstationid"], where["username"]
        self.octets_in, self.octets_out = where["acctinputoctets"], where["acctoutputoctets"]

    def __call__(self, raw: Sequence[Any]) -> tuple[bytes, str, int, int, int, int, int, bool]:
        """(uid, nas, device, start, end, bytes in, bytes out, stopped); BadRow if the row
        cannot be counted."""
        if len(raw) < self.width:
            raise BadRow(_("the line has %(found)s columns, the header more") % {"found": len(raw)})
        uid = raw[self.uid]
        if not uid:
            raise BadRow(_("acctuniqueid is empty"))
        start = self.time(raw[self.start], "acctstarttime")
        if start is None:
            raise BadRow(_("acctstarttime is empty"))
        seconds = _count(raw[self.seconds], "acctsessiontime")
        stop = None if self.stop is None else self.time(raw[self.stop], "acctstoptime")
        if stop is not None:
            end = stop
        else:  # an open session: as far as its last update or its time reaches
            update = None if self.update is None else self.time(raw[self.update], "acctupdatetime")
            end = max(update or start, start + seconds)
        if end < start:
            raise BadRow(_("the session ends before it starts"))
        if end > self.latest:
            raise BadRow(_("the session is dated in the future"))
        if end - start > LONGEST_SESSION:
            raise BadRow(_("the session lasts more than 31 days"))
        bytes_in = _count(raw[self.octets_in], "acctinputoctets")
        bytes_out = _count(raw[self.octets_out], "acctoutputoctets")
        nas = str((raw[self.nas] if self.nas is not None else "") or raw[self.nas_ip] or "")
        keyer = self.keyer
        return (
            keyer.session(str(uid)), nas,
            keyer.device(str(raw[self.mac] or ""), str(raw[self.user] or "")),
            start, end, bytes_in, bytes_out, stop is not None,
        )  # fmt: skip


def _count(value: Any, name: str) -> int:
    try:
        number = int(value or 0)
    except ValueError:
        raise BadRow(_("%(column)s is not a whole number") % {"column": name}) from None
    if number < 0:
        raise BadRow(_("%(column)s is negative") % {"column": name})
    return number


# What AccountedSession holds, as a list in this order (mutable, cheap).
POINT, DEVICE, UNTIL, IN, OUT, STOPPED = range(6)
# A cell of counts, per point and hour: [sessions, seconds, bytes in, bytes out, devices]
# where devices is an array of 64-bit device hashes, repeats and all (8 bytes each
# instead of a set's 60): a cell's distinct devices are taken when it is written.
SESSIONS, SECONDS, CELL_IN, CELL_OUT, DEVICES = range(5)
Cells = dict[tuple[int, int], list[Any]]


@dataclass
class Counter:
    """Counts one batch of rows into ``cells`` (shared by the batches of one transaction).

    ``states`` holds what earlier imports (and earlier batches of this
    transaction) counted of the batch's sessions; new and changed sessions
    are written back in the transaction that writes the cells.
    """

    states: dict[bytes, list[Any]]
    cells: Cells = field(default_factory=dict)
    new: set[bytes] = field(default_factory=set)
    changed: set[bytes] = field(default_factory=set)
    counted: int = 0
    unchanged: int = 0
    noted: int = 0  # devices appended to cells: what they grew by in memory

    def add(
        self, uid: bytes, point: int, device: int, start: int, end: int,
        bytes_in: int, bytes_out: int, stopped: bool,
    ) -> None:  # fmt: skip
        state = self.states.get(uid)
        if state is None:  # a session no import has seen: all of it counts, from its start
            self.states[uid] = [point, device, end, bytes_in, bytes_out, stopped]
            self.new.add(uid)
            self._spread(point, device, start, end, bytes_in, bytes_out, opening=1)
            self.counted += 1
            return
        since = state[UNTIL]
        until = max(end, since)
        more_in = max(0, bytes_in - state[IN])
        more_out = max(0, bytes_out - state[OUT])
        stopped = state[STOPPED] or stopped
        if until == since and not more_in and not more_out:
            if stopped != state[STOPPED]:
                state[STOPPED] = stopped
                self.changed.add(uid)
            self.unchanged += 1
            return
        self._spread(state[POINT], state[DEVICE], since, until, more_in, more_out)
        state[UNTIL], state[STOPPED] = until, stopped
        state[IN], state[OUT] = max(state[IN], bytes_in), max(state[OUT], bytes_out)
        self.changed.add(uid)
        self.counted += 1

    def _spread(
        self, point: int, device: int, since: int, end: int, more_in: int, more_out: int,
        opening: int = 0,
    ) -> None:  # fmt: skip
        """Add the time from ``since`` to ``end`` and the octets to the hours they cover;
        ``opening``: 1 if the session opens at ``since`` (it counts in that hour)."""
        cells, hour = self.cells, since - since % HOUR
        if end == since:  # no time: octets only (a stop right after an update), or a 0 s session
            only = cells.get((point, hour))
            if only is None:
                only = cells[(point, hour)] = [0, 0, 0, 0, array("q")]
            only[CELL_IN] += more_in
            only[CELL_OUT] += more_out
            if opening:
                only[SESSIONS] += 1
                only[DEVICES].append(device)
                self.noted += 1
            return
        total = end - since
        left_in, left_out = more_in, more_out
        noted = 0
        while hour < end:
            following = hour + HOUR
            if following >= end:  # the last hour takes what rounding left
                overlap = end - (since if since > hour else hour)
                share_in, share_out = left_in, left_out
            else:
                overlap = following - (since if since > hour else hour)
                share_in, share_out = more_in * overlap // total, more_out * overlap // total
                left_in -= share_in
                left_out -= share_out
            key = (point, hour)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = [0, 0, 0, 0, array("q")]
            cell[SESSIONS] += opening
            cell[SECONDS] += overlap
            cell[CELL_IN] += share_in
            cell[CELL_OUT] += share_out
            cell[DEVICES].append(device)
            noted += 1
            opening = 0
            hour = following
        self.noted += noted


def presences(cells: Cells) -> int:
    """Devices noted in ``cells``, repeats included: what they hold in memory."""
    return sum(len(cell[DEVICES]) for cell in cells.values())
