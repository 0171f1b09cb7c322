"""Reading an uploaded workbook: its first sheet, its format and columns found by header.

``.xlsx`` files are read with openpyxl in read-only mode (rows streamed, memory
flat however long the file); old ``.xls`` files, as SIAK writes them, with
xlrd (at most 65,536 rows, so small enough to hold). Many government systems
write an HTML table and call it ``.xls``: that is recognised and refused with
a reason the operator can act on.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import xlrd
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kotacerdas.people.imports import xlsx
from kotacerdas.people.imports.columns import HEADER
from kotacerdas.people.imports.formats import TEMPLATE, Format, detect

CACHED_ROWS = 25_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Excel (.xls) container
EXTRA_HEADERS = {
    "father_nik": "NIK Ayah",
    "father_name": "Nama Ayah",
    "mother_nik": "NIK Ibu",
    "mother_name": "Nama Ibu",
    "birth_certificate": "Akta Lahir",
    "blood_type": "Golongan Darah",
    "identity_card": "KTP-el",
    "citizenship": "Kewarganegaraan",
    "schooling": "Pendidikan Sedang",
    "status": "Status",
    "dusun": "Dusun",
}


def column_name(key: str) -> str:
    return HEADER.get(key) or EXTRA_HEADERS.get(key, key)


class ImportFileError(Exception):
    """The file as a whole cannot be read as a residents workbook."""


@dataclass
class Sheet:
    """The first worksheet of an uploaded workbook, its columns found by header."""

    row_source: Any  # () -> iterator of row value tuples, from the second row
    columns: dict[str, int]
    format: Format = TEMPLATE
    unplaced: list[str] = field(default_factory=list)  # columns the register has no place for
    _cached: list[tuple[int, dict[str, Any]]] | None = None

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number as Excel shows it, values by column key, translated into
        the template's spellings); blank rows skipped.

        The import reads a file twice (to count it, then to check it); a file of
        up to CACHED_ROWS rows (a kelurahan's extract) is kept from the first
        full reading, so it is parsed once. Larger ones are read again."""
        if self._cached is not None:
            yield from self._cached
            return
        cache: list[tuple[int, dict[str, Any]]] | None = []
        for row in self._read():
            if cache is not None:
                cache.append(row)
                if len(cache) > CACHED_ROWS:
                    cache = None
            yield row
        self._cached = cache

    def _read(self) -> Iterator[tuple[int, dict[str, Any]]]:
        translate = self.format.translate
        for number, cells in enumerate(self.row_source(), 2):
            if all(is_blank(cell) for cell in cells):
                continue
            yield (
                number,
                translate(
                    {
                        key: cells[index] if index < len(cells) else None
                        for key, index in self.columns.items()
                    }
                ),
            )


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(
        _(
            "This file is not an Excel workbook (.xlsx or .xls). If it is a CSV file, "
            "open it in Excel and save it as “Excel Workbook (.xlsx)”."
        )
    )


def _looks_like_html(content: bytes) -> bool:
    start = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype", b"<html", b"<table", b"<?xml", b"<head", b"<meta"))


@contextmanager
def open_sheet(content: bytes) -> Iterator[Sheet]:
    """The workbook's first sheet, or ImportFileError naming what is wrong."""
    if _looks_like_html(content):
        raise ImportFileError(
            _(
                "This file is a web page (HTML) named like an Excel file, as some systems "
                "export. Open it in Excel or LibreOffice and save it as “Excel Workbook "
                "(.xlsx)”, then upload that file."
            )
        )
    if content.startswith(OLE2_MAGIC):
        yield _xls_sheet(content)
        return
    fast = _fast_sheet(content)
    if fast is not None:
        try:
            yield fast[1]
        finally:
            fast[0].close()
        return
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
        ParseError,
        OSError,
    ) as exc:
        raise _not_a_workbook() from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        worksheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read up to the last real row.
        worksheet.reset_dimensions()
        header = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        yield _sheet(header, lambda: worksheet.iter_rows(min_row=2, values_only=True))
    finally:
        workbook.close()


def _fast_sheet(content: bytes) -> tuple[xlsx.Workbook, Sheet] | None:
    """The sheet through the fast reader, or None when openpyxl should read it."""
    try:
        workbook = xlsx.Workbook(io.BytesIO(content))
    except xlsx.Unsupported:
        return None
    try:
        header = next(workbook.rows(), None)
        sheet = _sheet(header, lambda: itertools.islice(workbook.rows(), 1, None))
    except xlsx.Unsupported:
        workbook.close()
        return None
    except BaseException:
        workbook.close()
        raise
    return workbook, sheet


def _xls_sheet(content: bytes) -> Sheet:
    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
    except (xlrd.biffh.XLRDError, IndexError, ValueError, AssertionError, OSError) as exc:
        raise _not_a_workbook() from exc

    def values(index: int) -> tuple[Any, ...]:
        out: list[Any] = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    out.append(xlrd.xldate.xldate_as_datetime(float(cell.value), book.datemode))
                except (ValueError, OverflowError):
                    out.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                out.append(None)
            else:
                out.append(cell.value)
        return tuple(out)

    header = values(0) if sheet.nrows else None
    return _sheet(header, lambda: (values(index) for index in range(1, sheet.nrows)))


def _sheet(header: tuple[Any, ...] | None, row_source: Any) -> Sheet:
    if not header or all(is_blank(cell) for cell in header):
        raise ImportFileError(
            _(
                "The workbook is empty: the first row of the first sheet must hold the "
                "column headers (download the template)."
            )
        )
    file_format = detect(header)
    columns, unplaced = _find_columns(header, file_format)
    return Sheet(
        row_source=row_source,
        columns=columns,
        format=file_format,
        unplaced=unplaced,
    )


def _find_columns(header: Iterable[Any], file_format: Format) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    unplaced: list[str] = []
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        key = file_format.column_key(str(cell))
        if key is None:
            unplaced.append(" ".join(str(cell).split())[:60])
            continue
        if key in columns:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the first row.")
                % {"column": column_name(key) if file_format.key == "template" else str(cell)[:60]}
            )
        columns[key] = index
    missing = [column_name(key) for key in file_format.required if key not in columns]
    if missing:
        if file_format.key == "template":
            raise ImportFileError(
                _(
                    "The first row must hold the column headers of the template; "
                    "missing: %(columns)s."
                )
                % {"columns": ", ".join(missing)}
            )
        raise ImportFileError(
            _("This looks like a %(format)s file, but these columns are missing: %(columns)s.")
            % {"format": file_format.label, "columns": ", ".join(missing)}
        )
    return columns, unplaced


def check_upload(content: bytes) -> None:
    """Refuse at once a file that is not a residents workbook or holds no row."""
    with open_sheet(content) as sheet:
        if next(sheet.rows(), None) is None:
            raise ImportFileError(
                _("The workbook has the column headers but no residents below them.")
            )
