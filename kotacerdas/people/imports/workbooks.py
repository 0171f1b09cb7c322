"""Workbooks written for operators: the template to fill in, and the export."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.people.imports.columns import (
    COLUMNS,
    EDUCATION_VALUES,
    EXAMPLE_ROW,
    HEADER,
    MARITAL_VALUES,
    RELATIONSHIP_VALUES,
    RELIGION_VALUES,
    SEX_VALUES,
    allowed,
)
from kotacerdas.people.models import Person

LETTER = {key: get_column_letter(index) for index, (key, _header) in enumerate(COLUMNS, 1)}


def template_workbook() -> Workbook:
    """The workbook operators fill in: the headers, one example row, the codes."""
    workbook = Workbook()
    sheet: Worksheet = workbook.active  # type: ignore[assignment]
    sheet.title = "Penduduk"
    sheet.append([header for _key, header in COLUMNS])
    sheet.append([EXAMPLE_ROW[key] for key, _header in COLUMNS])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet[f"{LETTER['birth_date']}2"].number_format = "DD-MM-YYYY"
    for key, header in COLUMNS:
        dimension = sheet.column_dimensions[LETTER[key]]
        dimension.width = _width(key, header)
        if key in ("nik", "kk_number", "phone"):
            # Text, not Number: Excel would drop the 16th digit of a NIK.
            dimension.number_format = "@"
    lists = {
        "sex": ["L", "P"],
        "religion": [texts[0] for texts in RELIGION_VALUES.values()],
        "education": [texts[0] for texts in EDUCATION_VALUES.values()],
        "marital_status": [texts[0] for texts in MARITAL_VALUES.values()],
    }
    for key, options in lists.items():
        validation = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
        )
        validation.add(f"{LETTER[key]}2:{LETTER[key]}5000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 90
    guide.append([_("Column"), _("What to write")])
    for cell in guide[1]:
        cell.font = bold
    codes = ", ".join(f"{texts[0]} = {texts[1]}" for texts in RELATIONSHIP_VALUES.values())
    for row in [
        ("NIK", _("16 digits, in a Text cell. Leave it empty for a newborn without a NIK.")),
        ("Nama", _("Required.")),
        (HEADER["sex"], _("Required: L or P.")),
        (HEADER["birth_date"], _("Required: an Excel date, or text as dd-mm-yyyy.")),
        (HEADER["birth_place"], _("Required.")),
        (HEADER["religion"], allowed(RELIGION_VALUES)),
        (HEADER["education"], allowed(EDUCATION_VALUES)),
        (HEADER["marital_status"], allowed(MARITAL_VALUES)),
        (HEADER["phone"], "08… / +62…"),
        (HEADER["address"], _("Required.")),
        ("RT, RW", _("Required: numbers such as 1 or 001, within your area.")),
        (
            HEADER["kk_number"],
            _(
                "16 digits, in a Text cell. A family that is not registered "
                "yet is registered in the row's RT."
            ),
        ),
        (HEADER["relationship"], _("Required with a No. KK. Codes: %(codes)s.") % {"codes": codes}),
        ("", ""),
        (_("Note"), _("Row 2 of the sheet “Penduduk” is an example: replace it or delete it.")),
    ]:
        guide.append(list(row))
    return workbook


def _width(key: str, header: str) -> int:
    return 20 if key in ("nik", "kk_number", "phone") else max(12, len(header) + 4)


# What the export writes for each stored code: the first workbook spelling.
SEX_OUT = {str(code): texts[0] for code, texts in SEX_VALUES.items()}
RELIGION_OUT = {str(code): texts[0] for code, texts in RELIGION_VALUES.items()}
EDUCATION_OUT = {str(code): texts[0] for code, texts in EDUCATION_VALUES.items()}
MARITAL_OUT = {str(code): texts[0] for code, texts in MARITAL_VALUES.items()}


def export_workbook(people: QuerySet[Person]) -> tuple[IO[bytes], int]:
    """The residents in the template's columns, as a temporary file (rewound)
    ready to stream, and how many rows it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Penduduk")
    for key, header in COLUMNS:
        sheet.column_dimensions[LETTER[key]].width = _width(key, header)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for _key, header in COLUMNS])
    count = 0
    for person in people.select_related("rt__rw", "family").iterator(chunk_size=2000):
        birth_date = WriteOnlyCell(sheet, dt.datetime.combine(person.birth_date, dt.time()))
        birth_date.number_format = "DD-MM-YYYY"
        sheet.append(
            [
                person.nik or "",
                _cell(sheet, person.name),
                SEX_OUT.get(person.sex, ""),
                birth_date,
                _cell(sheet, person.birth_place),
                RELIGION_OUT.get(person.religion, ""),
                EDUCATION_OUT.get(person.education, ""),
                _cell(sheet, person.occupation),
                MARITAL_OUT.get(person.marital_status, ""),
                person.phone,
                _cell(sheet, person.address),
                person.rt.number,
                person.rt.rw.number,
                person.family.kk_number if person.family else "",
                int(person.relationship) if person.relationship else "",
            ]
        )
        count += 1
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the streaming response
    workbook.save(output)
    output.seek(0)
    return output, count


def _cell(sheet: Any, value: str, *, font: Font | None = None) -> Any:
    """openpyxl takes a text starting with '=' for a formula; what a person typed
    into a name or an address must stay text in the export."""
    if not value.startswith("=") and font is None:
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell
