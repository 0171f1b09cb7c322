"""Importing RADIUS accounting into the usage counts: from a CSV export or the table itself.

``import_csv(path)`` reads ``COPY radacct TO … CSV HEADER`` output;
``import_database(url)`` reads ``radacct`` over a read-only connection, from
the latest accounting time the previous run saw. Both stream in batches
(``BATCH`` rows), so memory stays bounded however large the input; each batch
is written in one transaction with the session states it advanced, so an
interrupted run leaves consistent counts and running it again finishes it.

One import at a time (an advisory lock): two at once would both count the
same new session.
"""

from __future__ import annotations

import csv
import datetime as dt
import secrets
from collections import Counter as Tally
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.literacy import radacct
from kotacerdas.literacy.models import (
    ImportRun,
    Point,
)

BATCH = 50_000
KEPT_BAD_LINES = 1000  # reasons kept on the run; the count is always whole
# Re-read this much before the last run's latest accounting time: an interim
# update written while the last run was reading is not missed (re-reading is harmless).
OVERLAP = dt.timedelta(minutes=5)
LOCK = "literacy.import_radacct"
SESSION_COLUMNS = (
    'uid, point_id, device, "user", key_version, started_at, counted_until,'
    " bytes_in, bytes_out, stopped"
)


@dataclass
class Outcome:
    """What a run did (also stored as an ImportRun)."""

    rows: int = 0
    counted: int = 0
    unchanged: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    bad_count: int = 0
    unknown_nas: Tally[str] = field(default_factory=Tally)
    registered: list[str] = field(default_factory=list)
    watermark: int | None = None

    def refuse(self, line: int, reason: str) -> None:
        self.bad_count += 1
        if len(self.bad) < KEPT_BAD_LINES:
            self.bad.append((line, reason))


class Importer:
    def __init__(self, *, register_unknown: bool) -> None:
        self.register_unknown = register_unknown
        self.points: dict[str, int] = dict(
            Point.objects.exclude(nas_id=None).values_list("nas_id", "pk")  # type: ignore[arg-type]
        )
        self.outcome = Outcome()
        self.hours: dict[int, dt.datetime] = {}

    def run(self, lines: Iterator[tuple[int, Sequence[Any] | str]], parser: radacct.Parser) -> None:
        for batch in radacct.batches(lines, BATCH):
            rows: list[tuple[radacct.Row, int]] = []
            for line, raw in batch:
                self.outcome.rows += 1
                if isinstance(raw, str):  # the reader could not split the line
                    self.outcome.refuse(line, raw)
                    continue
                try:
                    row = parser(raw)
                except radacct.BadRow as exc:
                    self.outcome.refuse(line, str(exc))
                    continue
                point = self._point(row.nas)
                if point is not None:
                    rows.append((row, point))
                    if self.outcome.watermark is None or row.end > self.outcome.watermark:
                        self.outcome.watermark = row.end
            self._apply(rows)

    def _point(self, nas: str) -> int | None:
        point = self.points.get(nas)
        if point is None and nas:
            self.outcome.unknown_nas[nas] += 1
            if self.register_unknown:
                point = self.points[nas] = _register(nas).pk
                self.outcome.registered.append(nas)
        return point

    def _apply(self, rows: list[tuple[radacct.Row, int]]) -> None:
        if not rows:
            return
        with transaction.atomic():
            counter = radacct.Counter(_states({row.uid for row, _ in rows}))
            for row, point in rows:
                counter.add(row, point)
            self._write(counter)
        self.outcome.counted += counter.counted
        self.outcome.unchanged += counter.unchanged

    def _hour(self, epoch: int) -> dt.datetime:
        found = self.hours.get(epoch)
        if found is None:
            found = self.hours[epoch] = dt.datetime.fromtimestamp(epoch, dt.UTC)
        return found

    def _write(self, counter: radacct.Counter) -> None:
        """Write one batch: session states, then counts, then device presence. Inside ``atomic()``."""
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            # No wait for the disk at commit: a batch lost in a crash loses its
            # session states with its counts (one transaction), so the next run
            # counts it again, exactly once.
            raw.execute("SET LOCAL synchronous_commit TO OFF")
            self._write_sessions(raw, counter)
            self._write_usage(raw, counter)
            self._write_devices(raw, counter)
            raw.execute("DROP TABLE IF EXISTS melet_changed, melet_usage, melet_seen")

    def _write_sessions(self, raw: Any, counter: radacct.Counter) -> None:
        when, version = self._hour, settings.LITERACY_DEVICE_KEY_VERSION

        def state_rows(uids: set[bytes]) -> Iterator[tuple[Any, ...]]:
            for uid in uids:
                s = counter.states[uid]
                yield (uid, s[0], s[1], s[2], version, when(s[3]), when(s[4]), s[5], s[6], s[7])

        _copy(
            raw,
            f"COPY literacy_accountedsession ({SESSION_COLUMNS}) FROM STDIN",
            state_rows(counter.new),
        )
        changed = counter.changed - counter.new
        if changed:
            raw.execute("CREATE TEMP TABLE melet_changed (LIKE literacy_accountedsession)")
            _copy(raw, f"COPY melet_changed ({SESSION_COLUMNS}) FROM STDIN", state_rows(changed))
            raw.execute(
                "UPDATE literacy_accountedsession s SET counted_until = c.counted_until,"
                " bytes_in = c.bytes_in, bytes_out = c.bytes_out, stopped = c.stopped"
                " FROM melet_changed c WHERE s.uid = c.uid"
            )

    def _write_usage(self, raw: Any, counter: radacct.Counter) -> None:
        raw.execute(
            "CREATE TEMP TABLE melet_usage (point_id bigint, hour timestamptz, sessions int,"
            " seconds bigint, bytes_in bigint, bytes_out bigint)"
        )
        rows = ((p, self._hour(h), *cell) for (p, h), cell in counter.usage.items())
        _copy(raw, "COPY melet_usage FROM STDIN", rows)
        raw.execute(
            "INSERT INTO literacy_usagehour"
            " (point_id, hour, sessions, devices, seconds, bytes_in, bytes_out)"
            " SELECT point_id, hour, sessions, 0, seconds, bytes_in, bytes_out FROM melet_usage"
            " ON CONFLICT (point_id, hour) DO UPDATE SET"
            " sessions = literacy_usagehour.sessions + excluded.sessions,"
            " seconds = literacy_usagehour.seconds + excluded.seconds,"
            " bytes_in = literacy_usagehour.bytes_in + excluded.bytes_in,"
            " bytes_out = literacy_usagehour.bytes_out + excluded.bytes_out"
        )

    def _write_devices(self, raw: Any, counter: radacct.Counter) -> None:
        raw.execute(
            "CREATE TEMP TABLE melet_seen (point_id bigint, hour timestamptz, device bytea)"
        )
        rows = ((p, self._hour(h), device) for p, h, device in counter.presence)
        _copy(raw, "COPY melet_seen FROM STDIN", rows)
        # A device counts once per point and hour, however often it is imported:
        # only the presences that are new add to the hour's distinct devices.
        raw.execute(
            "WITH added AS (INSERT INTO literacy_devicehour (point_id, hour, device)"
            " SELECT point_id, hour, device FROM melet_seen ON CONFLICT DO NOTHING"
            " RETURNING point_id, hour)"
            " UPDATE literacy_usagehour u SET devices = u.devices + n.new FROM"
            " (SELECT point_id, hour, count(*) AS new FROM added GROUP BY 1, 2) n"
            " WHERE u.point_id = n.point_id AND u.hour = n.hour"
        )

    def save(self, source: str) -> ImportRun:
        o = self.outcome
        run = ImportRun.objects.create(
            source=source,
            finished_at=timezone.now(),
            rows=o.rows,
            counted=o.counted,
            unchanged=o.unchanged,
            bad=o.bad,
            bad_count=o.bad_count,
            unknown_nas=dict(o.unknown_nas),
            watermark=None
            if o.watermark is None
            else dt.datetime.fromtimestamp(o.watermark, dt.UTC),
        )
        record("literacy.radacct_imported", obj=run, rows=o.rows, bad=o.bad_count)
        return run


def _copy(cursor: Any, statement: str, rows: Iterator[tuple[Any, ...]]) -> None:
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _states(uids: set[bytes]) -> dict[bytes, list[Any]]:
    """What earlier imports counted of these sessions (epoch seconds for times)."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT uid, point_id, device, "user", started_at, counted_until, bytes_in,'
            " bytes_out, stopped FROM literacy_accountedsession WHERE uid = ANY(%s)",
            [list(uids)],
        )
        found = cursor.fetchall()
    return {
        bytes(uid): [
            point,
            bytes(device),
            bytes(user),
            int(start.timestamp()),
            int(until.timestamp()),
            b_in,
            b_out,
            stopped,
        ]
        for uid, point, device, user, start, until, b_in, b_out, stopped in found
    }


def _register(nas: str) -> Point:
    """A point for an unknown NAS, awaiting its details from DKIS."""
    point = Point.objects.create(
        code=f"NAS{secrets.token_hex(3).upper()}",
        name=_("New point behind NAS %(nas)s") % {"nas": nas[:60]},
        kind=Point.Kind.OTHER,
        status=Point.Status.PENDING,
        nas_id=nas[:64],
    )
    record("literacy.point_registered_from_accounting", obj=point)
    return point


def _csv_lines(path: Path) -> Iterator[tuple[int, Sequence[str] | str]]:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield reader.line_num, _("the line cannot be read as CSV")
                continue
            if row:
                yield reader.line_num, row


def _check_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise radacct.BadHeader(_("Importing accounting needs PostgreSQL (DATABASE_URL)."))


def import_csv(
    path: Path, *, register_unknown: bool = False, now: dt.datetime | None = None
) -> ImportRun:
    """Import a ``COPY radacct TO … CSV HEADER`` file. BadHeader: nothing imported."""
    _check_postgresql()
    lines = _csv_lines(path)
    first = next(lines, None)
    if first is None or isinstance(first[1], str):
        raise radacct.BadHeader(_("The file is empty or its first line is not a CSV header."))
    where = radacct.columns(first[1])
    parser = radacct.Parser(
        where, radacct.Keyer(settings.LITERACY_DEVICE_KEY), now or timezone.now()
    )
    importer = Importer(register_unknown=register_unknown)
    return _locked_run(importer, lines, parser, f"file:{path.name}")


def _locked_run(
    importer: Importer, lines: Iterator[Any], parser: radacct.Parser, source: str
) -> ImportRun:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [LOCK])
        if not cursor.fetchone()[0]:
            raise radacct.BadHeader(_("Another import is running; try again when it ends."))
        try:
            importer.run(lines, parser)
            return importer.save(source)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [LOCK])


def source_label(url: str) -> str:
    """The database as named in the run's record: host and name, never a password."""
    parts = urlsplit(url)
    return f"database:{parts.hostname or ''}:{parts.port or 5432}{parts.path}"


def import_database(
    url: str, *, register_unknown: bool = False, now: dt.datetime | None = None
) -> ImportRun:
    """Read ``radacct`` itself, read-only, from where the last run of this database stopped."""
    _check_postgresql()
    source = source_label(url)
    last = ImportRun.objects.filter(source=source, watermark__isnull=False).first()
    since = (
        (last.watermark - OVERLAP)
        if last and last.watermark
        else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    )
    with (
        psycopg.connect(url, options="-c default_transaction_read_only=on") as remote,
        remote.cursor(name="melet_radacct") as cursor,
    ):
        cursor.itersize = BATCH
        cursor.execute(
            "SELECT * FROM radacct WHERE greatest(acctstarttime, acctupdatetime, acctstoptime) >= %s"
            " ORDER BY radacctid",
            [since],
        )
        header = [column.name for column in cursor.description or ()]
        parser = radacct.Parser(
            radacct.columns(header),
            radacct.Keyer(settings.LITERACY_DEVICE_KEY),
            now or timezone.now(),
        )
        lines = ((number, row) for number, row in enumerate(cursor, start=1))
        importer = Importer(register_unknown=register_unknown)
        run = _locked_run(importer, lines, parser, source)
    if run.watermark is None and last is not None:  # nothing new: keep the place
        run.watermark = last.watermark
        run.save(update_fields=["watermark"])
    return run
