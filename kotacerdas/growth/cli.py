"""``python -m kotacerdas.growth zscores IN.csv -o OUT.csv``: WHO z-scores for a file.

For analysts (Dinkes, puskesmas): a CSV of measurements in, the same CSV with
z-scores, WHO flags, Permenkes 2/2020 categories and ages out. The file is read
and written in chunks (100,000 rows by default), so a file of millions of rows
needs no more memory than one chunk. A row that cannot be scored (fully or in
part) says why in the ``note`` column, in Indonesian, and the file goes on; a
file whose header lacks a required column is refused (exit code 2) before
anything is written. See docs/growth.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import itertools
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from kotacerdas.growth.arrays import (
    ScoreArrays,
    ZScoreArrays,
    category_labels,
    classify_all_arrays,
    compute_zscores_arrays,
)
from kotacerdas.growth.categories import (
    BMI_FOR_AGE,
    LENGTH_FOR_AGE,
    WEIGHT_FOR_AGE,
    WEIGHT_FOR_LENGTH,
)
from kotacerdas.growth.zscores import age_in_completed_months, table

CHUNK_ROWS = 100_000

REQUIRED = ("sex", "weight_kg", "lenhei_cm", "measure")
AGE_COLUMNS = ("age_days", "birth_date", "visit_date")
OPTIONAL = ("oedema", "headc_cm", "armc_cm")

SEXES = {"1": 1, "2": 2, "l": 1, "p": 2, "m": 1, "f": 2}
SEXES |= {"lk": 1, "laki-laki": 1, "pr": 2, "perempuan": 2}
MEASURES = {"l": "l", "h": "h", "": ""}
OEDEMA = {"y": True, "ya": True, "yes": True, "1": True, "n": False, "no": False}
OEDEMA |= {"tidak": False, "t": False, "2": False, "": False}
MISSING = {"", "na", "nan", "null"}

CATEGORY_COLUMNS = (WEIGHT_FOR_AGE, LENGTH_FOR_AGE, WEIGHT_FOR_LENGTH, BMI_FOR_AGE)


class UsageError(Exception):
    """A problem with the file as a whole (header, encoding): exit code 2."""


@dataclass
class Notes:
    """Per-row reasons, collected by rule and joined at the end."""

    size: int
    by_row: dict[int, list[str]] = field(default_factory=dict)

    def add(self, row: int, text: str) -> None:
        self.by_row.setdefault(row, []).append(text)

    def add_where(self, mask: np.ndarray, text: str | Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask).tolist():
            self.add(i, text(i) if callable(text) else text)

    def column(self) -> list[str]:
        return ["; ".join(self.by_row.get(i, ())) for i in range(self.size)]


# --- parsing -----------------------------------------------------------------------


def parse_number(text: str) -> float | None:
    """A decimal number (a decimal comma is accepted); ``None`` if not a finite number."""
    try:
        value = float(text)
    except ValueError:
        if text.count(",") == 1 and "." not in text:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                return None
        else:
            return None
    return value if math.isfinite(value) else None


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD (a time after it is ignored), or DD/MM/YYYY or DD-MM-YYYY."""
    try:
        if len(text) >= 10 and text[4] == "-":
            return dt.date.fromisoformat(text[:10])
        parts = text.replace("/", "-").split("-")
        if len(parts) == 3 and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
    return None


class NumberColumn:
    """One numeric input column of a chunk: values (NaN missing) and parse notes."""

    def __init__(self, name: str, texts: Sequence[str], notes: Notes) -> None:
        cache: dict[str, float | None] = {}
        values = np.full(len(texts), np.nan)
        self.empty = np.zeros(len(texts), dtype=bool)
        for i, text in enumerate(texts):
            if text.lower() in MISSING:
                self.empty[i] = True
                continue
            if text not in cache:
                cache[text] = parse_number(text)
            value = cache[text]
            if value is None:
                notes.add(i, f"{name} '{text}' bukan angka")
            else:
                values[i] = value
        self.values = values


# --- one chunk ------------------------------------------------------------------------


def _texts(rows: Sequence[list[str]], index: int | None) -> list[str]:
    if index is None:
        return [""] * len(rows)
    return [row[index].strip() for row in rows]


def _format(values: np.ndarray, digits: int | None) -> list[str]:
    if digits is None:
        return ["" if v != v else repr(v) for v in values.tolist()]
    out = []
    for v in values.tolist():
        if v != v:
            out.append("")
        else:
            text = f"{round(v, digits):.{digits}f}"
            out.append(text[1:] if text.startswith("-") and not text.strip("-0.") else text)
    return out


def _whole(values: np.ndarray) -> list[str]:
    return ["" if v != v else str(int(v)) for v in values.tolist()]


def _flags(score: ScoreArrays) -> list[str]:
    present = ~np.isnan(score.z)
    return [
        ("1" if f else "0") if p else ""
        for p, f in zip(present.tolist(), score.flagged.tolist(), strict=True)
    ]


@dataclass
class Columns:
    """Where each known column is in the input header (None: absent)."""

    index: dict[str, int | None]
    width: int
    output: list[str]


def read_header(header: list[str]) -> Columns:
    names = [h.strip().lower() for h in header]
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        raise UsageError(f"kolom ganda di header: {', '.join(duplicates)}")
    index = {n: i for i, n in enumerate(names)}
    missing = [c for c in REQUIRED if c not in index]
    has_dates = "birth_date" in index and "visit_date" in index
    if "age_days" not in index and not has_dates:
        if "birth_date" in index or "visit_date" in index:
            missing.append("visit_date" if "birth_date" in index else "birth_date")
        else:
            missing.append("age_days (atau birth_date dan visit_date)")
    if missing:
        raise UsageError(
            f"kolom wajib tidak ada di header: {', '.join(missing)} "
            f"(header: {', '.join(header) or 'kosong'})"
        )
    output = ["clenhei", "cbmi", "zwei", "zlen", "zwfl", "zbmi", "zhc"]
    output += ["fwei", "flen", "fwfl", "fbmi", "fhc"]
    if "armc_cm" in index:
        output += ["zac", "fac"]
    output += [*CATEGORY_COLUMNS, "age_days_who", "age_months_completed", "note"]
    clash = [c for c in output if c in index]
    if clash:
        raise UsageError(
            f"kolom hasil sudah ada di file masukan: {', '.join(clash)} "
            "(file ini sudah pernah diolah?)"
        )
    known = {c: index.get(c) for c in (*REQUIRED, *AGE_COLUMNS, *OPTIONAL)}
    return Columns(known, len(header), output)


def score_chunk(rows: list[list[str]], columns: Columns, digits: int | None) -> Iterator[list[str]]:
    """Score the rows of one chunk; yield each input row with the output columns added."""
    n = len(rows)
    notes = Notes(n)
    for i, row in enumerate(rows):
        if len(row) != columns.width:
            notes.add(i, f"baris berisi {len(row)} kolom, header {columns.width}")
            rows[i] = (row + [""] * columns.width)[: columns.width]
    col = columns.index

    # Sex.
    sex = np.full(n, np.nan)
    for i, text in enumerate(_texts(rows, col["sex"])):
        code = SEXES.get(text.lower())
        if code is not None:
            sex[i] = code
        elif text == "":
            notes.add(i, "sex kosong: tanpa z-score")
        else:
            notes.add(i, f"sex '{text}' tidak dikenal (pakai 1/2 atau L/P): tanpa z-score")

    # Age: age_days where given, else the dates.
    age_days = np.full(n, np.nan)
    completed = np.full(n, np.nan)
    by_days = (
        NumberColumn("age_days", _texts(rows, col["age_days"]), notes)
        if col["age_days"] is not None
        else None
    )
    births, visits = _texts(rows, col["birth_date"]), _texts(rows, col["visit_date"])
    dates: dict[str, dt.date | None] = {"": None}
    for i in range(n):
        unreadable = by_days is not None and not by_days.empty[i] and math.isnan(by_days.values[i])
        for name, text in (("birth_date", births[i]), ("visit_date", visits[i])):
            if text not in dates:
                dates[text] = parse_date(text)
            if text and dates[text] is None:
                notes.add(i, f"{name} '{text}' bukan tanggal (YYYY-MM-DD atau DD/MM/YYYY)")
                unreadable = True
        birth, visit = dates[births[i]], dates[visits[i]]
        from_dates = None
        if birth is not None and visit is not None:
            from_dates = (visit - birth).days
        day_value = math.nan if by_days is None else float(by_days.values[i])
        if (
            from_dates is not None
            and from_dates >= 0
            and (math.isnan(day_value) or day_value == from_dates)
        ):
            # Calendar months when the dates are the age used (else whole WHO months).
            completed[i] = age_in_completed_months(birth, visit)  # type: ignore[arg-type]
        if not math.isnan(day_value):
            age_days[i] = day_value
            if day_value < 0:
                notes.add(i, "age_days negatif: tanpa z menurut umur")
            if from_dates is not None and from_dates != day_value:
                notes.add(
                    i,
                    f"age_days {day_value:g} berbeda dari tanggal ({from_dates} hari): "
                    "dipakai age_days",
                )
        elif from_dates is not None:
            age_days[i] = from_dates
            if from_dates < 0:
                notes.add(i, "visit_date sebelum birth_date: tanpa z menurut umur")
        elif not unreadable:
            notes.add(
                i, "umur kosong (age_days, atau birth_date dan visit_date): tanpa z menurut umur"
            )

    weight = NumberColumn("weight_kg", _texts(rows, col["weight_kg"]), notes)
    lenhei = NumberColumn("lenhei_cm", _texts(rows, col["lenhei_cm"]), notes)
    headc = NumberColumn("headc_cm", _texts(rows, col["headc_cm"]), notes)
    armc = (
        NumberColumn("armc_cm", _texts(rows, col["armc_cm"]), notes)
        if col["armc_cm"] is not None
        else None
    )
    measures = []
    for i, text in enumerate(_texts(rows, col["measure"])):
        value = MEASURES.get(text.lower())
        if value is None:
            notes.add(i, f"measure '{text}' tidak dikenal (pakai l atau h): dianggap kosong")
            value = ""
        measures.append(value)
    oedema = np.zeros(n, dtype=bool)
    for i, text in enumerate(_texts(rows, col["oedema"])):
        known = OEDEMA.get(text.lower())
        if known is None:
            notes.add(i, f"oedema '{text}' tidak dikenal (pakai y atau n): dianggap tidak")
        oedema[i] = bool(known)

    scores = compute_zscores_arrays(
        sex,
        age_days=age_days,
        weight=weight.values,
        lenhei=lenhei.values,
        measure=np.array(measures, dtype="<U1"),
        headc=headc.values,
        armc=None if armc is None else armc.values,
        oedema=oedema,
    )
    completed = np.where(np.isnan(completed), scores.age_months_completed, completed)
    completed[np.isnan(scores.age_days)] = np.nan
    _explain(scores, sex, weight, lenhei, headc, armc, oedema, notes)

    categories = classify_all_arrays(scores)
    out: list[list[str]] = [
        _format(scores.clenhei, digits),
        _format(scores.cbmi, digits),
        *(_format(s.z_raw, digits) for s in _z_fields(scores)),
        *(_flags(s) for s in _z_fields(scores)),
    ]
    if armc is not None:
        out += [_format(scores.acfa.z_raw, digits), _flags(scores.acfa)]
    out += [category_labels(index, categories[index]) for index in CATEGORY_COLUMNS]
    out += [_whole(scores.age_days), _whole(completed), notes.column()]
    for i, row in enumerate(rows):
        yield row + [column[i] for column in out]


def _z_fields(scores: ZScoreArrays) -> tuple[ScoreArrays, ...]:
    return (scores.wfa, scores.lhfa, scores.wflh, scores.bfa, scores.hcfa)


def _explain(
    scores: ZScoreArrays,
    sex: np.ndarray,
    weight: NumberColumn,
    lenhei: NumberColumn,
    headc: NumberColumn,
    armc: NumberColumn | None,
    oedema: np.ndarray,
    notes: Notes,
) -> None:
    """Say, per row, why a z-score its inputs ask for is missing (and what was changed)."""
    with np.errstate(invalid="ignore"):
        has_sex = ~np.isnan(sex)
        has_age = ~np.isnan(scores.age_days)
        too_old = has_age & ~(scores.age_months < 60)
        notes.add_where(too_old, "umur ≥ 60 bulan: di luar standar WHO 0–5 tahun, tanpa z-score")
        notes.add_where(weight.empty, "weight_kg kosong: tanpa zwei, zwfl, zbmi")
        notes.add_where(weight.values <= 0, "weight_kg ≤ 0: tanpa zwei, zwfl, zbmi")
        notes.add_where(lenhei.empty, "lenhei_cm kosong: tanpa zlen, zwfl, zbmi")
        notes.add_where(lenhei.values <= 0, "lenhei_cm ≤ 0: tanpa zlen, zwfl, zbmi")
        notes.add_where(headc.values <= 0, "headc_cm ≤ 0: tanpa zhc")
        notes.add_where(oedema, "edema: zwei, zwfl, zbmi tidak dihitung (aturan WHO)")
        notes.add_where(
            scores.c9mo_flag,
            "diukur berdiri (h) di bawah 9 bulan: posisi diabaikan, tanpa koreksi 0,7 cm",
        )
        # Length/height outside the weight-for-length/height table.
        asked = (
            has_sex
            & (weight.values > 0)
            & (scores.clenhei > 0)
            & ~oedema
            & ~too_old
            & np.isnan(scores.wflh.z)
        )
        for code, name in (("wfl", "BB/PB"), ("wfh", "BB/TB")):
            t = table(code)
            limits = f"{t.first_key / 10:g}–{t.last_key / 10:g} cm"
            for i in np.flatnonzero(asked & (scores.wflh_table == code)).tolist():
                notes.add(
                    i,
                    f"clenhei {scores.clenhei[i]:g} cm di luar tabel {name} ({limits}): tanpa zwfl",
                )
        if armc is not None:
            young = has_sex & has_age & (scores.age_days < table("acfa").first_key)
            notes.add_where(
                young & (armc.values > 0), "umur < 91 hari: tanpa zac (tabel LiLA mulai 91 hari)"
            )
            notes.add_where(armc.values <= 0, "armc_cm ≤ 0: tanpa zac")
    flagged = [
        (column, score.flagged, categorised)
        for column, score, categorised in (
            ("zwei", scores.wfa, True),
            ("zlen", scores.lhfa, True),
            ("zwfl", scores.wflh, True),
            ("zbmi", scores.bfa, True),
            ("zhc", scores.hcfa, False),
            ("zac", scores.acfa, False),
        )
    ]
    any_flag = np.zeros(len(sex), dtype=bool)
    for _, mask, _ in flagged:
        any_flag |= mask
    for i in np.flatnonzero(any_flag).tolist():
        columns = [(c, categorised) for c, mask, categorised in flagged if mask[i]]
        text = "nilai tidak wajar menurut WHO (flag) pada " + ", ".join(c for c, _ in columns)
        text += ": periksa pengukuran"
        if any(categorised for _, categorised in columns):
            text += "; kategorinya dikosongkan"
        notes.add(i, text)


# --- the command ---------------------------------------------------------------------


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def zscores(
    source: IO[str],
    open_target: Callable[[], IO[str]],
    *,
    digits: int | None,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[int, int]:
    """Score ``source`` into the stream ``open_target()`` gives once the header is good.

    Returns (rows written, rows with a note). Raises ``UsageError`` for a bad
    header before opening the target, so nothing is written.
    """
    first = source.readline()
    if not first.strip():
        raise UsageError("file kosong: baris pertama harus header")
    delimiter = _sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    columns = read_header(header)
    writer = csv.writer(open_target(), delimiter=delimiter, lineterminator="\n")
    writer.writerow(header + columns.output)
    written = noted = 0
    rows = (row for row in csv.reader(source, delimiter=delimiter) if row)
    while chunk := list(itertools.islice(rows, chunk_rows)):
        for row in score_chunk(chunk, columns, digits):
            writer.writerow(row)
            written += 1
            noted += bool(row[-1])
    return written, noted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kotacerdas.growth",
        description="Z-score WHO (standar pertumbuhan anak 2006) dan kategori Permenkes 2/2020.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser(
        "zscores",
        help="hitung z-score untuk file CSV",
        description=(
            "Kolom masukan: sex (1/2 atau L/P), age_days atau birth_date dan visit_date, "
            "weight_kg, lenhei_cm, measure (l, h atau kosong); opsional: oedema (y/n), "
            "headc_cm, armc_cm. Hasil: semua kolom masukan ditambah clenhei, cbmi, zwei, "
            "zlen, zwfl, zbmi, zhc, fwei, flen, fwfl, fbmi, fhc, kategori bb_u, pb_u, "
            "bb_pb, imt_u, age_days_who, age_months_completed dan note. Lihat docs/growth.md."
        ),
    )
    command.add_argument("input", help="file CSV masukan ('-' = stdin)")
    command.add_argument(
        "-o", "--output", default="-", help="file CSV hasil ('-' atau tanpa -o = stdout)"
    )
    command.add_argument(
        "--round",
        type=int,
        metavar="N",
        dest="digits",
        help="bulatkan z, clenhei dan cbmi ke N desimal (WHO mencetak z dengan 2 desimal); "
        "tanpa opsi ini: tidak dibulatkan",
    )
    command.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.digits is not None and not 0 <= args.digits <= 10:
        parser.error("--round: N antara 0 dan 10")
    if args.chunk_rows < 1:
        parser.error("--chunk-rows: minimal 1")
    opened: list[Path] = []
    try:
        with contextlib.ExitStack() as stack:
            if args.input == "-":
                source: IO[str] = io.TextIOWrapper(
                    sys.stdin.buffer, encoding="utf-8-sig", newline=""
                )
            else:
                source = stack.enter_context(open(args.input, encoding="utf-8-sig", newline=""))

            def open_target() -> IO[str]:
                if args.output == "-":
                    return sys.stdout
                target = stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
                opened.append(Path(args.output))
                return target

            written, noted = zscores(
                source, open_target, digits=args.digits, chunk_rows=args.chunk_rows
            )
    except (UsageError, UnicodeDecodeError, OSError) as e:
        # A half-written result would look like a whole one: remove it.
        for path in opened:
            path.unlink(missing_ok=True)
        if isinstance(e, UnicodeDecodeError):
            message = "file masukan bukan teks UTF-8 (simpan sebagai CSV UTF-8)"
        elif isinstance(e, OSError):
            message = f"{e.strerror or e}: {e.filename or ''}"
        else:
            message = str(e)
        print(f"galat: {message}", file=sys.stderr)
        return 2
    print(f"{written} baris diolah, {noted} dengan catatan (kolom note)", file=sys.stderr)
    return 0
