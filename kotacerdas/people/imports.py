"""Residents in and out of Excel workbooks.

In: the upload is checked just enough to refuse a bad file at once
(``ImportForm``), stored as an ``ImportJob``, and processed by the task
``tasks.run_import`` through ``process_import``. Every row is checked with the
rules of the person form; valid rows are imported, each rejected row is kept
with its reason. Rows are processed in chunks; each chunk commits together with
the job's progress, so a run that stops half-way resumes where it stopped and
never imports a row twice.

Out: ``export_workbook`` writes the register with the template's columns, in
openpyxl's write-only mode, to a temporary file (memory stays flat however
large the kelurahan).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.people.access import rts_for_user
from kotacerdas.people.forms import known_prefixes, normalise_phone
from kotacerdas.people.identity import check_kk, check_nik, mask_number
from kotacerdas.people.models import (
    Education,
    Family,
    ImportJob,
    MaritalStatus,
    Person,
    Relationship,
    Religion,
    Sex,
)
from kotacerdas.regions.models import RT, Region

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CHUNK_SIZE = 200  # rows per transaction; progress is saved after each chunk
REJECTED_PAGE_SIZE = 100

# (key, header as written in the template and the export), in column order.
COLUMNS: list[tuple[str, str]] = [
    ("nik", "NIK"),
    ("name", "Nama"),
    ("sex", "Jenis Kelamin (L/P)"),
    ("birth_date", "Tanggal Lahir"),
    ("birth_place", "Tempat Lahir"),
    ("religion", "Agama"),
    ("education", "Pendidikan"),
    ("occupation", "Pekerjaan"),
    ("marital_status", "Status Kawin"),
    ("phone", "No. HP"),
    ("address", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("kk_number", "No. KK"),
    ("relationship", "Hubungan"),
]
HEADER = dict(COLUMNS)
# Without these a row could never be valid, so a file lacking one is refused.
REQUIRED_COLUMNS = ["nik", "name", "sex", "birth_date", "birth_place", "address", "rt", "rw"]
# Other spellings seen in kelurahan spreadsheets, after normalising.
HEADER_ALIASES = {
    "jeniskelamin": "sex",
    "nomorhp": "phone",
    "nomortelepon": "phone",
    "nomorkk": "kk_number",
    "nokartukeluarga": "kk_number",
    "shdk": "relationship",
    "hubungandalamkeluarga": "relationship",
}

# The template's example row: uploaded unchanged, it is refused, not imported.
EXAMPLE_ROW: dict[str, Any] = {
    "nik": "3274014503180001",
    "name": "Contoh Warga",
    "sex": "P",
    "birth_date": dt.date(2018, 3, 5),
    "birth_place": "Cirebon",
    "religion": "Islam",
    "education": "Tidak/Belum Sekolah",
    "occupation": "Belum/Tidak Bekerja",
    "marital_status": "Belum Kawin",
    "phone": "",
    "address": "Jl. Siliwangi No. 1",
    "rt": 1,
    "rw": 1,
    "kk_number": "3274011203150001",
    "relationship": 4,
}


def _normalise(text: str) -> str:
    """Case, spaces and punctuation do not matter: 'No. KK' == 'nokk'."""
    return re.sub(r"[^0-9a-z()/]", "", text.casefold())


def _header_key(text: str) -> str | None:
    key = _normalise(text)
    for column, header in COLUMNS:
        if _normalise(header) == key:
            return column
    return HEADER_ALIASES.get(key.replace("(", "").replace(")", "").replace("/", ""))


# Values as written in the workbook (the first is what the export writes).
SEX_VALUES = {Sex.MALE: ["L", "Laki-laki"], Sex.FEMALE: ["P", "Perempuan"]}
RELIGION_VALUES = {
    Religion.ISLAM: ["Islam"],
    Religion.PROTESTANT: ["Kristen", "Protestan", "Kristen Protestan"],
    Religion.CATHOLIC: ["Katolik", "Katholik", "Kristen Katolik"],
    Religion.HINDU: ["Hindu"],
    Religion.BUDDHIST: ["Buddha", "Budha"],
    Religion.CONFUCIAN: ["Khonghucu", "Konghucu"],
    Religion.BELIEF: ["Kepercayaan", "Kepercayaan terhadap Tuhan YME", "Penghayat Kepercayaan"],
}
EDUCATION_VALUES = {
    Education.NONE: ["Tidak/Belum Sekolah", "Tidak Sekolah", "Belum Sekolah", "Belum Tamat SD"],
    Education.SD: ["SD", "Tamat SD", "SD/Sederajat", "Tamat SD/Sederajat"],
    Education.SMP: ["SMP", "SLTP", "SMP/Sederajat", "SLTP/Sederajat"],
    Education.SMA: ["SMA", "SMK", "SMA/SMK", "SLTA", "SLTA/Sederajat"],
    Education.DIPLOMA: [
        "Diploma",
        "D1",
        "D2",
        "D3",
        "Diploma I/II",
        "Akademi/Diploma III/S. Muda",
    ],
    Education.BACHELOR: ["S1", "D4", "Diploma IV/Strata I", "Strata I"],
    Education.MASTER: ["S2", "Strata II"],
    Education.DOCTOR: ["S3", "Strata III"],
}
MARITAL_VALUES = {
    MaritalStatus.SINGLE: ["Belum Kawin", "Belum Menikah"],
    MaritalStatus.MARRIED: ["Kawin", "Menikah", "Kawin Tercatat", "Kawin Belum Tercatat"],
    MaritalStatus.DIVORCED: ["Cerai Hidup"],
    MaritalStatus.WIDOWED: ["Cerai Mati"],
}
RELATIONSHIP_VALUES = {
    Relationship.HEAD: ["1", "Kepala Keluarga"],
    Relationship.HUSBAND: ["2", "Suami"],
    Relationship.WIFE: ["3", "Istri"],
    Relationship.CHILD: ["4", "Anak"],
    Relationship.CHILD_IN_LAW: ["5", "Menantu"],
    Relationship.GRANDCHILD: ["6", "Cucu"],
    Relationship.PARENT: ["7", "Orang Tua"],
    Relationship.PARENT_IN_LAW: ["8", "Mertua"],
    Relationship.OTHER_RELATIVE: ["9", "Famili Lain"],
    Relationship.HOUSEHOLD_HELP: ["10", "Pembantu"],
    Relationship.OTHER: ["11", "Lainnya"],
}


def _lookup(values: dict[Any, list[str]]) -> dict[str, str]:
    return {_normalise(text): str(code) for code, texts in values.items() for text in texts}


SEX_LOOKUP = _lookup(SEX_VALUES)
RELIGION_LOOKUP = _lookup(RELIGION_VALUES)
EDUCATION_LOOKUP = _lookup(EDUCATION_VALUES)
MARITAL_LOOKUP = _lookup(MARITAL_VALUES)
RELATIONSHIP_LOOKUP = _lookup(RELATIONSHIP_VALUES)


class ImportFileError(Exception):
    """The file as a whole cannot be read as a residents workbook."""


# --- Reading a workbook ---------------------------------------------------


@dataclass
class Sheet:
    """The first worksheet of an uploaded workbook, its columns found by header."""

    worksheet: Any
    columns: dict[str, int]

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number as Excel shows it, values by column key); blank rows skipped."""
        for number, cells in enumerate(self.worksheet.iter_rows(min_row=2, values_only=True), 2):
            if all(_is_blank(cell) for cell in cells):
                continue
            yield (
                number,
                {
                    key: cells[index] if index < len(cells) else None
                    for key, index in self.columns.items()
                },
            )


def _is_blank(value: Any) -> bool:
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
        if not header or all(_is_blank(cell) for cell in header):
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
        key = _header_key(str(cell)) if not _is_blank(cell) else None
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


class KelurahanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:  # type: ignore[override]
        return obj.name


class ImportForm(forms.Form):
    """The upload. ``content`` holds the file's bytes once the form is valid."""

    workbook = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        help_text=gettext_lazy("The first sheet, with the template's column headers in row 1."),
    )
    kelurahan = KelurahanChoiceField(
        queryset=Region.objects.none(),
        label=gettext_lazy("Kelurahan"),
        help_text=gettext_lazy("The RT and RW numbers in the file are read in this kelurahan."),
    )

    def __init__(self, *args: Any, kelurahan: QuerySet[Region], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.content = b""
        options = list(kelurahan)
        self.fixed_kelurahan: Region | None = None
        if len(options) == 1:
            # An RW operator or a kelurahan office has nothing to choose.
            self.fixed_kelurahan = options[0]
            del self.fields["kelurahan"]
        else:
            self.fields["kelurahan"].queryset = kelurahan  # type: ignore[attr-defined]
        self.fields["workbook"].widget.attrs.update(accept=".xlsx," + XLSX_CONTENT_TYPE)

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB: split it into several workbooks.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        content = upload.read()
        try:
            check_upload(content)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        self.content = content
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.fixed_kelurahan is not None:
            data["kelurahan"] = self.fixed_kelurahan
        return data


# --- Checking a row -------------------------------------------------------


@dataclass
class Context:
    """What every row of one job is checked against, loaded once per run."""

    kelurahan: Region
    writable_rts: dict[tuple[int, int], RT]  # (RW number, RT number) in the kelurahan
    existing_rts: set[tuple[int, int]]
    writable_rt_ids: set[int]  # the uploader's whole write scope, for families
    prefixes: frozenset[str]
    nik_rows: dict[str, list[int]]  # NIKs written on more than one row
    unnumbered: set[tuple[str, dt.date]] = field(default_factory=set)  # imported without NIK


@dataclass
class Chunk:
    """What the rows of one chunk found in the register, in two queries."""

    existing_niks: set[str]
    families: dict[str, Family]
    unnumbered: set[tuple[str, dt.date]] = field(default_factory=set)  # imported without NIK


@dataclass
class Outcome:
    person: Person | None = None
    new_family: Family | None = None
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def _digits(value: Any, column: str) -> str:
    """A NIK or No. KK cell. Excel keeps 15 significant digits of a number, so a
    16-digit number typed into a Number cell has lost its last digit (it reads 0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) >= 16 and text.endswith("0"):
            raise ValidationError(
                _(
                    "%(column)s was typed as a number, and Excel keeps only 15 digits, so the "
                    "last digit is lost. Format the column as Text and type the number again."
                )
                % {"column": column}
            )
        return text
    return "".join(_text(value).split())


def _required(value: Any, key: str, max_length: int) -> str:
    text = _text(value)
    if not text:
        raise ValidationError(_("%(column)s is empty.") % {"column": HEADER[key]})
    return _optional(text, key, max_length)


def _optional(value: Any, key: str, max_length: int) -> str:
    text = _text(value)
    if len(text) > max_length:
        raise ValidationError(
            _("%(column)s is longer than %(max)d characters.")
            % {"column": HEADER[key], "max": max_length}
        )
    return text


def _choice(value: Any, key: str, lookup: dict[str, str], allowed: str) -> str:
    text = _text(value)
    if not text:
        return ""
    code = lookup.get(_normalise(text))
    if code is None:
        raise ValidationError(
            _("%(column)s “%(value)s” is not one of: %(allowed)s.")
            % {"column": HEADER[key], "value": text[:40], "allowed": allowed}
        )
    return code


def _birth_date(value: Any, today: dt.date) -> dt.date:
    column = HEADER["birth_date"]
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif _is_blank(value):
        raise ValidationError(_("%(column)s is empty.") % {"column": column})
    else:
        date = _date_from_text(_text(value), column)
    # The person form's rules, in its words.
    if date > today:
        raise ValidationError(_("The date of birth cannot be in the future."))
    if date.year < today.year - 130:
        raise ValidationError(_("The date of birth is more than 130 years ago."))
    return date


def _date_from_text(text: str, column: str) -> dt.date:
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("%(column)s “%(value)s” is not a date: use an Excel date or text as dd-mm-yyyy.")
        % {"column": column, "value": text[:20]}
    )


def _area_number(value: Any, key: str) -> int:
    text = _text(value)
    if not text:
        raise ValidationError(_("%(column)s is empty.") % {"column": HEADER[key]})
    if not text.isdigit() or not 0 < int(text) < 1000:
        raise ValidationError(
            _("%(column)s must be a number such as 1 or 001.") % {"column": HEADER[key]}
        )
    return int(text)


class _Errors:
    """Collects every problem of a row, so the operator fixes them in one go."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, parse: Any, *args: Any) -> Any:
        try:
            return parse(*args)
        except ValidationError as exc:
            self.messages.extend(exc.messages)
            return None


def check_row(values: dict[str, Any], ctx: Context, chunk: Chunk, today: dt.date) -> Outcome:
    """Check one row with the person form's rules; an unsaved Person if it passes."""
    out = Outcome()
    errors = _Errors()
    nik = errors(_nik, values.get("nik"), ctx, chunk)
    name = errors(_required, values.get("name"), "name", 150)
    sex = errors(_sex, values.get("sex"))
    birth_date = errors(_birth_date, values.get("birth_date"), today)
    birth_place = errors(_required, values.get("birth_place"), "birth_place", 100)
    religion = errors(
        _choice, values.get("religion"), "religion", RELIGION_LOOKUP, _allowed(RELIGION_VALUES)
    )
    education = errors(
        _choice, values.get("education"), "education", EDUCATION_LOOKUP, _allowed(EDUCATION_VALUES)
    )
    occupation = errors(_optional, values.get("occupation"), "occupation", 100)
    marital = errors(
        _choice,
        values.get("marital_status"),
        "marital_status",
        MARITAL_LOOKUP,
        _allowed(MARITAL_VALUES),
    )
    phone = errors(_phone, values.get("phone"))
    address = errors(_required, values.get("address"), "address", 200)
    rt = errors(_rt, values.get("rw"), values.get("rt"), ctx)
    kk = errors(_kk, values.get("kk_number"))
    relationship = errors(
        _choice, values.get("relationship"), "relationship", RELATIONSHIP_LOOKUP, _("a code 1–11")
    )
    if kk and relationship == "":
        errors.messages.append(_("Choose the relationship to the head of the family."))
    if kk == "" and relationship:
        errors.messages.append(_("Enter the No. KK of the family for this relationship."))
    family = errors(_family, kk, chunk, ctx) if kk else None
    if nik == EXAMPLE_ROW["nik"] and name == EXAMPLE_ROW["name"]:
        errors.messages.insert(
            0, _("This is the template's example row: delete it or replace it with a resident.")
        )
    if not errors.messages and nik is None:
        errors(_no_nik_duplicate, name, birth_date, ctx, chunk)
    if errors.messages:
        out.reasons = errors.messages
        return out

    if nik:
        check = check_nik(nik, known_prefixes=ctx.prefixes, birth_date=birth_date, sex=sex)
        out.notes.extend(check.warnings)
    if kk and family is None:
        family = Family(kk_number=kk, rt=rt, address=address)
        out.new_family = family
        out.notes.extend(check_kk(kk, known_prefixes=ctx.prefixes).warnings)
    out.person = Person(
        nik=nik,
        name=name,
        sex=sex,
        birth_date=birth_date,
        birth_place=birth_place,
        religion=religion,
        education=education,
        occupation=occupation,
        marital_status=marital,
        phone=phone,
        rt=rt,
        address=address,
        family=family,
        relationship=relationship,
    )
    return out


def _sex(value: Any) -> str:
    code = _choice(value, "sex", SEX_LOOKUP, "L, P")
    if not code:
        raise ValidationError(_("%(column)s is empty.") % {"column": HEADER["sex"]})
    return code


def _allowed(values: dict[Any, list[str]]) -> str:
    return ", ".join(texts[0] for texts in values.values())


def _nik(value: Any, ctx: Context, chunk: Chunk) -> str | None:
    nik = _digits(value, "NIK")
    if not nik:
        return None
    check = check_nik(nik)
    if not check.valid:
        raise ValidationError(check.errors)
    if nik in ctx.nik_rows:
        raise ValidationError(
            _(
                "The same NIK is on rows %(rows)s of the file: correct the file and import "
                "these rows again."
            )
            % {"rows": ", ".join(str(row) for row in ctx.nik_rows[nik])}
        )
    if nik in chunk.existing_niks:
        raise ValidationError(_("A person with this NIK is already in the register."))
    return nik


def _kk(value: Any) -> str:
    kk = _digits(value, "No. KK")
    if kk:
        check = check_kk(kk)
        if not check.valid:
            raise ValidationError(check.errors)
    return kk


def _family(kk: str, chunk: Chunk, ctx: Context) -> Family | None:
    """The registered family, or None when the import will create it."""
    family = chunk.families.get(kk)
    if family is not None and family.rt_id not in ctx.writable_rt_ids:
        raise ValidationError(_("The family with this No. KK is registered outside your area."))
    return family


def _phone(value: Any) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        return normalise_phone(text)
    except ValidationError as exc:
        raise ValidationError(f"{HEADER['phone']}: {exc.messages[0]}") from exc


def _rt(rw_value: Any, rt_value: Any, ctx: Context) -> RT:
    errors = _Errors()
    rw_number = errors(_area_number, rw_value, "rw")
    rt_number = errors(_area_number, rt_value, "rt")
    if errors.messages:
        raise ValidationError(errors.messages)
    place = {"rt": rt_number, "rw": rw_number, "kelurahan": ctx.kelurahan.name}
    rt = ctx.writable_rts.get((rw_number, rt_number))
    if rt is not None:
        return rt
    if (rw_number, rt_number) in ctx.existing_rts:
        raise ValidationError(
            _("RT %(rt)03d / RW %(rw)02d of %(kelurahan)s is outside your area.") % place
        )
    raise ValidationError(_("There is no RT %(rt)03d / RW %(rw)02d in %(kelurahan)s.") % place)


def _no_nik_duplicate(name: str, birth_date: dt.date, ctx: Context, chunk: Chunk) -> None:
    """Without a NIK, a row matching someone by name and birth date is refused:
    importing the same file twice must not register a child twice."""
    key = (name.casefold(), birth_date)
    if (
        key in ctx.unnumbered
        or key in chunk.unnumbered
        or Person.objects.filter(name__iexact=name, birth_date=birth_date).exists()
    ):
        raise ValidationError(
            _(
                "Someone with this name and date of birth is already in the register and the "
                "row has no NIK; if this is another person, add them with the form."
            )
        )


# --- Processing a job -----------------------------------------------------


def process_import(job_id: int) -> dict[str, Any]:
    """Check and import the rows of a stored workbook. Idempotent: a finished job
    is left alone, an interrupted one resumes after its last saved chunk."""
    job = _claim(job_id)
    if job is None:
        return {"job": job_id, "status": "missing"}
    if job.is_finished:
        return _summary(job)
    with translation.override(job.language):
        try:
            with open_sheet(bytes(job.content)) as sheet:
                ctx = _context(job, sheet)
                for start, rows in _chunks(sheet.rows(), skip=job.rows_processed):
                    if not _import_chunk(job.pk, start, rows, ctx):
                        return {"job": job_id, "status": "taken over"}
        except ImportFileError as exc:
            return _summary(_end(job.pk, ImportJob.Status.FAILED, error=str(exc)))
        except Exception:
            logger.exception("import job %s stopped", job_id)
            _end(
                job.pk,
                ImportJob.Status.FAILED,
                error=_(
                    "The import stopped because of an error in the system. The rows "
                    "counted as processed were imported; tell the city's helpdesk."
                ),
            )
            raise
        return _summary(_end(job.pk, ImportJob.Status.DONE))


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is not None and job.status == ImportJob.Status.QUEUED:
            job.status = ImportJob.Status.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
    return job


def _context(job: ImportJob, sheet: Sheet) -> Context:
    """Reads the file once to count its rows and find NIKs written twice."""
    rows_by_nik: dict[str, list[int]] = defaultdict(list)
    total = 0
    for number, values in sheet.rows():
        total += 1
        nik = _text(values.get("nik")).replace(" ", "")
        if nik:
            rows_by_nik[nik].append(number)
    if job.rows_total != total:
        ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
    uploader = User.objects.get(pk=job.uploaded_by_id)
    writable = list(rts_for_user(uploader))
    return Context(
        kelurahan=job.kelurahan,
        writable_rts={
            (rt.rw.number, rt.number): rt
            for rt in writable
            if rt.rw.kelurahan_id == job.kelurahan_id
        },
        existing_rts=set(
            RT.objects.filter(rw__kelurahan=job.kelurahan_id).values_list("rw__number", "number")
        ),
        writable_rt_ids={rt.pk for rt in writable},
        prefixes=known_prefixes(),
        nik_rows={nik: rows for nik, rows in rows_by_nik.items() if len(rows) > 1},
    )


def _chunks(
    rows: Iterator[tuple[int, dict[str, Any]]], *, skip: int
) -> Iterator[tuple[int, list[tuple[int, dict[str, Any]]]]]:
    """(rows processed before the chunk, the chunk's rows), after ``skip`` rows."""
    done = 0
    chunk: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        if done < skip:
            done += 1
            continue
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield done, chunk
            done += len(chunk)
            chunk = []
    if chunk:
        yield done, chunk


def _import_chunk(
    job_id: int, start: int, rows: list[tuple[int, dict[str, Any]]], ctx: Context
) -> bool:
    """Import one chunk and save the job's progress in the same transaction.
    False if another run already processed these rows."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id)
                if job.status != ImportJob.Status.RUNNING or job.rows_processed != start:
                    return False
                unnumbered = _write_chunk(job, rows, ctx)
            ctx.unnumbered |= unnumbered
            return True
        except IntegrityError:
            # Someone registered one of these NIKs or No. KKs meanwhile: check again.
            if attempt == 2:
                raise
    return False


def _write_chunk(
    job: ImportJob, rows: list[tuple[int, dict[str, Any]]], ctx: Context
) -> set[tuple[str, dt.date]]:
    niks = {_text(values.get("nik")).replace(" ", "") for _number, values in rows}
    kks = {_text(values.get("kk_number")).replace(" ", "") for _number, values in rows}
    chunk = Chunk(
        existing_niks={
            nik
            for nik in Person.objects.filter(nik__in=niks - {""}).values_list("nik", flat=True)
            if nik
        },
        families={f.kk_number: f for f in Family.objects.filter(kk_number__in=kks - {""})},
    )
    today = timezone.localdate()
    people: list[Person] = []
    rejected: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    families_created = 0
    for number, values in rows:
        out = check_row(values, ctx, chunk, today)
        person = out.person
        if person is None:
            nik = _text(values.get("nik")).replace(" ", "")
            rejected.append(
                {
                    "row": number,
                    "nik": mask_number(nik) if nik else "",
                    "reason": " ".join(out.reasons),
                }
            )
            continue
        if out.new_family is not None:
            out.new_family.save()
            chunk.families[out.new_family.kk_number] = out.new_family
            families_created += 1
        if not person.nik:
            chunk.unnumbered.add((person.name.casefold(), person.birth_date))
        people.append(person)
        notes.extend({"row": number, "note": note} for note in out.notes)
    Person.objects.bulk_create(people)
    job.rows_processed += len(rows)
    job.rows_imported += len(people)
    job.rows_rejected += len(rejected)
    job.families_created += families_created
    job.rejected = [*job.rejected, *rejected]
    job.notes = [*job.notes, *notes]
    job.save(
        update_fields=[
            "rows_processed",
            "rows_imported",
            "rows_rejected",
            "families_created",
            "rejected",
            "notes",
        ]
    )
    return chunk.unnumbered


def _end(job_id: int, status: str, *, error: str = "") -> ImportJob:
    """Finish the job and write its one audit event (what was imported, not who)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id)
        if job.is_finished:
            return job
        job.status = status
        job.error = error[:300]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        record(
            "people.import",
            actor=job.uploaded_by,
            obj=job,
            status=status,
            rows=job.rows_processed,
            imported=job.rows_imported,
            rejected=job.rows_rejected,
            families_created=job.families_created,
        )
    return job


def _summary(job: ImportJob) -> dict[str, Any]:
    return {
        "job": job.pk,
        "status": job.status,
        "imported": job.rows_imported,
        "rejected": job.rows_rejected,
    }


# --- Writing workbooks ----------------------------------------------------


def template_workbook() -> bytes:
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
        (HEADER["religion"], _allowed(RELIGION_VALUES)),
        (HEADER["education"], _allowed(EDUCATION_VALUES)),
        (HEADER["marital_status"], _allowed(MARITAL_VALUES)),
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
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


LETTER = {key: get_column_letter(index) for index, (key, _header) in enumerate(COLUMNS, 1)}


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
