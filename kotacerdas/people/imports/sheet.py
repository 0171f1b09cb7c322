"""Reading an uploaded workbook: its first sheet, its columns found by header."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kotacerdas.people.imports.columns import HEADER, REQUIRED_COLUMNS, header_key


class ImportFileError(Exception):
    """The file as a whole cannot be read as a residents workbook."""


@dataclass
class Sheet:
    """The first worksheet of an uploaded workbook, its columns found by header."""

    worksheet: Any
    columns: dict[str, int]

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number as Excel shows it, values by column key); blank rows skipped."""
        for number, cells in enumerate(self.worksheet.iter_rows(min_row=2, values_only=True), 2):
            if all(is_blank(cell) for cell in cells):
                continue
            yield (
                number,
                {
                    key: cells[index] if index < len(cells) else None
                    for key, index in self.columns.items()
                },
            )


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@contextmanager
def open_sheet(content: bytes) -> Iterator[Sheet]:
    """The workbook's first sheet, or ImportFileError naming what is wrong."""
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
        raise ImportFileError(
            _(
                "This file is not an Excel workbook (.xlsx). If it is an old .xls file or a "
                "CSV file, open it in Excel and save it as “Excel Workbook (.xlsx)”."
            )
        ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        worksheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read up to the last real row.
        worksheet.reset_dimensions()
        header = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if not header or all(is_blank(cell) for cell in header):
            raise ImportFileError(
                _(
                    "The workbook is empty: the first row of the first sheet must hold the "
                    "column headers (download the template)."
                )
            )
        sheet = Sheet(worksheet=worksheet, columns=_find_columns(header))
        yield sheet
    finally:
        workbook.close()


def _find_columns(header: Iterable[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = header_key(str(cell)) if not is_blank(cell) else None
        if key is None:
            continue  # unknown columns (a note, a row number) are ignored
        if key in columns:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the first row.")
                % {"column": HEADER[key]}
            )
        columns[key] = index
    missing = [HEADER[key] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column headers of the template; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return columns


def check_upload(content: bytes) -> None:
    """Refuse at once a file that is not a residents workbook or holds no row."""
    with open_sheet(content) as sheet:
        if next(sheet.rows(), None) is None:
            raise ImportFileError(
                _("The workbook has the column headers but no residents below them.")
            )
