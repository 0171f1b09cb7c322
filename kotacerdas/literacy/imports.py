"""Importing RADIUS accounting into the usage counts: from a CSV export or the table itself.

``import_csv(path)`` reads ``COPY radacct TO … CSV HEADER`` output;
``import_database(url)`` reads ``radacct`` over a read-only connection, from
the latest accounting time the previous run saw. Both stream in batches
(``BATCH`` rows), so memory stays bounded however large the input; each
transaction (one or more batches, see :class:`Importer`) writes the session
states it advanced with the counts they added, so an interrupted run leaves
consistent counts and running it again finishes it.

One import at a time (an advisory lock): two at once would both count the
same new session.
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import secrets
from collections import Counter as Tally
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.literacy import radacct
from kotacerdas.literacy.models import (
    ImportRun,
    Point,
)

BATCH = 50_000  # rows whose session states are looked up and written together
# Counts per point and hour are held until this many device presences (a device
# in an hour, 8 bytes each) have gathered, then written and committed with their
# sessions: at most about 50 MB, and a month of a city's accounting in one write.
FLUSH_PRESENCES = 6_000_000
KEPT_BAD_LINES = 1000  # reasons kept on the run; the count is always whole
# Re-read this much before the last run's latest accounting time: an interim
# update written while the last run was reading is not missed (re-reading is harmless).
OVERLAP = dt.timedelta(minutes=5)
LOCK = "literacy.import_radacct"
SESSION_COLUMNS = "uid, point_id, device, key_version, counted_until, bytes_in, bytes_out, stopped"
USAGE_COLUMNS = "point_id, hour, sessions, devices, seconds, bytes_in, bytes_out, device_hashes"


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
    """Counts rows in batches and writes them in transactions of one or more batches.

    Each transaction holds the session states it advanced with the counts
    they added (per point and hour, and the devices per point and month), so
    an interrupted run leaves consistent counts and running it again
    finishes it. The counts of a transaction's batches are gathered in
    memory and written once, at its end: a busy hour is written once per
    transaction, not once per batch.
    """

    def __init__(self, import_run: ImportRun, *, register_unknown: bool, careful: bool) -> None:
        self.import_run = import_run
        self.register_unknown = register_unknown
        self.points: dict[str, int] = dict(
            Point.objects.exclude(nas_id=None).values_list("nas_id", "pk")  # type: ignore[arg-type]
        )
        self.outcome = Outcome()
        self.times: dict[int, dt.datetime] = {}
        self.months: dict[int, dt.date] = {}
        self.hour_texts: dict[int, str] = {}
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.version = settings.LITERACY_DEVICE_KEY_VERSION
        # A session starting after every time any import has read cannot have
        # been counted before: it is not looked up. Careful runs look every
        # session up (see _locked_run for when a run turns careful).
        latest = ImportRun.objects.exclude(pk=import_run.pk).aggregate(latest=Max("watermark"))
        self.fresh_after: int | None = (
            None if careful else int(latest["latest"].timestamp()) if latest["latest"] else -1
        )

    def run(self, batches: Iterator[radacct.Parsed]) -> None:
        more = True
        while more:
            more = False
            with transaction.atomic(), connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                # No wait for the disk at commit: a transaction lost in a crash
                # loses its session states with its counts, so the next run
                # counts them again, exactly once.
                raw.execute("SET LOCAL synchronous_commit TO OFF")
                cells: radacct.Cells = {}
                noted = 0  # devices held in cells (repeats too): their memory
                for batch in batches:
                    noted += self._count(raw, self._rows(batch), cells)
                    if noted >= FLUSH_PRESENCES:
                        more = True
                        break
                self._write_usage(raw, cells)
                self.save(finished=False)

    def _rows(self, batch: radacct.Parsed) -> list[tuple[Any, ...]]:
        """The rows that can be counted, with their point; the others reported on the outcome."""
        outcome, points = self.outcome, self.points
        outcome.rows += batch.lines
        for line, reason in batch.bad:
            outcome.refuse(line, reason)
        rows = []
        watermark = outcome.watermark
        for uid, nas, device, start, end, b_in, b_out, stopped in batch.rows():
            point = points.get(nas)
            if point is None:
                point = self._unknown(nas)
                if point is None:
                    continue
            if watermark is None or end > watermark:
                watermark = end
            rows.append((uid, point, device, start, end, b_in, b_out, stopped))
        outcome.watermark = watermark
        return rows

    def _unknown(self, nas: str) -> int | None:
        if not nas:
            return None
        self.outcome.unknown_nas[nas] += 1
        if not self.register_unknown:
            return None
        point = self.points[nas] = _register(nas).pk
        self.outcome.registered.append(nas)
        return point

    def _count(self, raw: Any, rows: list[tuple[Any, ...]], cells: radacct.Cells) -> int:
        """Count one batch into ``cells`` and write the session states it advanced;
        how many devices it noted in ``cells``."""
        fresh_after = self.fresh_after
        if fresh_after is None:
            asked = [row[0] for row in rows]
        else:
            asked = [row[0] for row in rows if row[3] <= fresh_after]
        counter = radacct.Counter(_states(raw, asked) if asked else {}, cells)
        add = counter.add
        for row in rows:
            add(*row)
        self._write_sessions(raw, counter)
        self.outcome.counted += counter.counted
        self.outcome.unchanged += counter.unchanged
        return counter.noted

    def _time(self, epoch: int) -> dt.datetime:
        found = self.times.get(epoch)
        if found is None:
            found = self.times[epoch] = dt.datetime.fromtimestamp(epoch, dt.UTC)
        return found

    def _write_sessions(self, raw: Any, counter: radacct.Counter) -> None:
        states, version = counter.states, self.version

        def text(uids: set[bytes]) -> str:
            """The states in COPY's text format: formatted here, in one string, because
            ``write_row`` for each of a million rows cost more than PostgreSQL's work."""
            return "".join(
                f"\\\\x{uid.hex()}\t{p}\t{device}\t{version}\t{until}\t{b_in}\t{b_out}\t"
                f"{'t' if stopped else 'f'}\n"
                for uid in uids
                for p, device, until, b_in, b_out, stopped in (states[uid],)
            )

        with raw.copy(f"COPY literacy_accountedsession ({SESSION_COLUMNS}) FROM STDIN") as copy:
            copy.write(text(counter.new))
        changed = counter.changed - counter.new
        if changed:
            _scratch(raw, "melet_changed", "(LIKE literacy_accountedsession)")
            with raw.copy(f"COPY melet_changed ({SESSION_COLUMNS}) FROM STDIN") as copy:
                copy.write(text(changed))
            raw.execute(
                "UPDATE literacy_accountedsession s SET counted_until = c.counted_until,"
                " bytes_in = c.bytes_in, bytes_out = c.bytes_out, stopped = c.stopped"
                " FROM melet_changed c WHERE s.uid = c.uid"
            )

    def _write_usage(self, raw: Any, cells: radacct.Cells) -> None:
        """Add the cells to the hours already counted, and the devices to their months."""
        if not cells:
            return
        existing = self._existing(raw, cells)
        months: dict[tuple[int, dt.date], set[int]] = {}
        merged_rows = []
        # New hours go straight to the table, a few thousand lines at a time.
        with raw.copy(f"COPY literacy_usagehour ({USAGE_COLUMNS}) FROM STDIN") as new:
            lines: list[str] = []
            for (point, hour), (sessions, seconds, b_in, b_out, seen_here) in cells.items():
                devices = set(seen_here)
                month = (point, self._month(hour))
                seen = months.get(month)
                if seen is None:
                    months[month] = set(devices)
                else:
                    seen |= devices
                before = existing.get((point, hour))
                if before is not None:
                    pk, stored = before
                    devices.update(radacct.unpack(stored))
                    merged_rows.append(
                        (pk, sessions, len(devices), seconds, b_in, b_out, radacct.pack(devices))
                    )
                    continue
                lines.append(
                    f"{point}\t{self._hour_text(hour)}\t{sessions}\t{len(devices)}\t"
                    f"{seconds}\t{b_in}\t{b_out}\t\\\\x{radacct.pack(devices).hex()}\n"
                )
                if len(lines) >= 5000:
                    new.write("".join(lines))
                    lines.clear()
            new.write("".join(lines))
        if merged_rows:
            _scratch(
                raw,
                "melet_merged",
                "(id bigint, sessions int, devices int, seconds bigint, bytes_in bigint,"
                " bytes_out bigint, device_hashes bytea)",
            )
            _copy(raw, "COPY melet_merged FROM STDIN", iter(merged_rows))
            raw.execute(
                "UPDATE literacy_usagehour u SET sessions = u.sessions + m.sessions,"
                " devices = m.devices, seconds = u.seconds + m.seconds,"
                " bytes_in = u.bytes_in + m.bytes_in, bytes_out = u.bytes_out + m.bytes_out,"
                " device_hashes = m.device_hashes FROM melet_merged m WHERE u.id = m.id"
            )
        _scratch(raw, "melet_months", "(point_id bigint, month date, device bigint)")
        with raw.copy("COPY melet_months FROM STDIN") as copy:
            copy.write(
                "".join(
                    f"{point}\t{month}\t{device}\n"
                    for (point, month), devices in months.items()
                    for device in devices
                )
            )
        raw.execute(
            "INSERT INTO literacy_devicemonth (point_id, month, device)"
            " SELECT point_id, month, device FROM melet_months ON CONFLICT DO NOTHING"
        )

    def _existing(self, raw: Any, cells: radacct.Cells) -> dict[tuple[int, int], tuple[int, bytes]]:
        """The hours among ``cells`` that earlier imports counted: their id and devices.

        Asked as a span of hours at the cells' points: the hours of one import
        lie together (the last hour or two, or a month), so the span holds
        little that is not among the cells, and it costs no list of keys.
        """
        hours = [hour for _, hour in cells]
        raw.execute(
            "SELECT point_id, extract(epoch FROM hour)::bigint, id, device_hashes"
            " FROM literacy_usagehour WHERE point_id = ANY(%s) AND hour BETWEEN %s AND %s",
            [list({point for point, _ in cells}), self._time(min(hours)), self._time(max(hours))],
        )
        return {(point, hour): (pk, bytes(stored)) for point, hour, pk, stored in raw}

    def _hour_text(self, hour: int) -> str:
        found = self.hour_texts.get(hour)
        if found is None:
            found = self.hour_texts[hour] = self._time(hour).isoformat()
        return found

    def _month(self, hour: int) -> dt.date:
        """The first day of the month (in the city's time) the hour starting at ``hour`` is in."""
        found = self.months.get(hour)
        if found is None:
            local = self._time(hour).astimezone(self.zone).date()
            found = self.months[hour] = local.replace(day=1)
        return found

    def save(self, *, finished: bool) -> ImportRun:
        """What the run did so far: saved with each transaction (its watermark then covers
        every session committed, see ``fresh_after``), and once more at the end."""
        o, run = self.outcome, self.import_run
        run.finished_at = timezone.now() if finished else None
        run.rows, run.counted, run.unchanged = o.rows, o.counted, o.unchanged
        run.bad, run.bad_count, run.unknown_nas = o.bad, o.bad_count, dict(o.unknown_nas)
        if o.watermark is not None:
            run.watermark = dt.datetime.fromtimestamp(o.watermark, dt.UTC)
        run.save()
        return run


def _scratch(cursor: Any, table: str, columns: str) -> None:
    """An empty temporary table of this connection (made once, emptied for each use)."""
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} {columns}")
    cursor.execute(f"TRUNCATE {table}")


def _copy(cursor: Any, statement: str, rows: Iterator[tuple[Any, ...]]) -> None:
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _states(raw: Any, uids: list[bytes]) -> dict[bytes, list[Any]]:
    """What earlier imports counted of these sessions (epoch seconds for times).

    The keys go as one value (their bytes end to end), not as an array of
    50,000 parameters, and are cut apart by PostgreSQL into one array that the
    primary key's index is scanned with (a join took a hash of the whole table).
    """
    raw.execute(
        "SELECT s.uid, s.point_id, s.device, s.counted_until, s.bytes_in, s.bytes_out, s.stopped"
        " FROM literacy_accountedsession s WHERE s.uid = ANY(ARRAY("
        "  SELECT substring(%s::bytea FROM n * %s + 1 FOR %s) FROM generate_series(0, %s - 1) n))",
        [b"".join(uids), radacct.DIGEST, radacct.DIGEST, len(uids)],
    )
    return {bytes(uid): [*state] for uid, *state in raw}


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


def _csv_lines(path: Path) -> Generator[tuple[int, Sequence[str] | str]]:
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
    lines.close()
    parser = radacct.Parser(
        where, radacct.Keyer(settings.LITERACY_DEVICE_KEY), now or timezone.now(), BATCH
    )
    return _locked_run(
        lambda: _read_in_child(path, parser),
        f"file:{path.name}",
        register_unknown=register_unknown,
        can_restart=True,
    )


def _read_in_child(path: Path, parser: radacct.Parser) -> Generator[radacct.Parsed]:
    """The file's batches, read and parsed by a forked process while this one counts and writes.

    Reading, parsing and hashing take as long as counting and writing: in two
    processes they run side by side on two cores. The child touches no
    database connection and ends with ``os._exit`` (multiprocessing's fork),
    so the parent's connections are left alone. A batch crosses the pipe as a
    few blocks of bytes (``radacct.Parsed``); the pipe holds at most one
    batch, so the reader is never more than a batch ahead.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    reader = context.Process(target=_read, args=(path, parser, sender), daemon=True)
    reader.start()
    sender.close()
    try:
        while True:
            try:
                batch = receiver.recv()
            except EOFError:
                raise OSError(
                    f"the process reading {path.name} stopped before its end; what was"
                    " committed stays counted: run the import again to finish it"
                ) from None
            if batch is None:
                return
            if isinstance(batch, str):
                raise OSError(f"reading {path.name} failed ({batch}); run the import again")
            yield batch
    finally:
        receiver.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def _read(path: Path, parser: radacct.Parser, sender: Any) -> None:
    """In the child: send the file's batches, then None (or what went wrong, as text)."""
    try:
        lines = _csv_lines(path)
        next(lines)  # the header, read by the parent
        for batch in radacct.parse(lines, parser):
            sender.send(batch)
        sender.send(None)
    except Exception as exc:  # the parent reports it; nothing of the file's content is in it
        sender.send(type(exc).__name__)
    finally:
        sender.close()


def _locked_run(
    batches: Callable[[], Generator[radacct.Parsed]],
    source: str,
    *,
    register_unknown: bool,
    can_restart: bool,
) -> ImportRun:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [LOCK])
        if not cursor.fetchone()[0]:
            raise radacct.BadHeader(_("Another import is running; try again when it ends."))
        try:
            run = ImportRun.objects.create(source=source)
            try:
                importer = _run(run, batches, register_unknown, careful=not can_restart)
            except psycopg.errors.UniqueViolation:
                # A session taken for new was already counted: it came twice in
                # this run, in different batches (files joined together; one
                # radacct export has a session once), or its id came back with a
                # later start (a NAS that reuses its ids after a reboot). Start
                # over, looking every session up: what was committed is found
                # counted and changes nothing (re-imports never do).
                importer = _run(run, batches, register_unknown, careful=True)
            finished = importer.save(finished=True)
            record("literacy.radacct_imported", obj=finished, rows=finished.rows,
                   bad=finished.bad_count)  # fmt: skip
            return finished
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [LOCK])


def _run(
    import_run: ImportRun,
    batches: Callable[[], Generator[radacct.Parsed]],
    register_unknown: bool,
    *,
    careful: bool,
) -> Importer:
    importer = Importer(import_run, register_unknown=register_unknown, careful=careful)
    source = batches()
    try:
        importer.run(source)
    finally:
        source.close()  # a reading process is stopped
    return importer


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
    last = ImportRun.objects.filter(
        source=source, watermark__isnull=False, finished_at__isnull=False
    ).first()
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
            BATCH,
        )
        lines = ((number, row) for number, row in enumerate(cursor, start=1))
        # The rows are read once, so this run cannot start over: it looks every
        # session up (an incremental run reads few).
        run = _locked_run(
            lambda: radacct.parse(lines, parser),
            source,
            register_unknown=register_unknown,
            can_restart=False,
        )
    if run.watermark is None and last is not None:  # nothing new: keep the place
        run.watermark = last.watermark
        run.save(update_fields=["watermark"])
    return run
