"""The residents files a kelurahan already has, recognised from their header row.

Three formats: the platform's template (``columns``), OpenSID's residents
export (its column names and numeric codes) and Dukcapil's SIAK extract (text
values, ``Hidup``/``Mati``/``Pindah``). Each maps its headers onto the column
keys ``rows`` checks and translates its values into the template's spellings,
so one set of rules checks every format. The code tables are data with their
source (``codes/*.csv``), read by ``codes_table``.

Keys beyond the template's: ``father_nik``, ``father_name``, ``mother_nik``,
``mother_name``, ``birth_certificate``, ``blood_type``, ``identity_card``,
``citizenship``, ``schooling``, ``status`` (alive/dead/moved) and ``dusun``.
A value a code table does not know is a reason in ``_errors``; the row is
refused with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.people.imports.columns import REQUIRED_COLUMNS, header_key, normalise

CODES_DIR = Path(__file__).resolve().parent / "codes"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug)


@cache
def codes_table(name: str) -> dict[str, str]:
    """``codes/<name>.csv`` as {normalised code: register value}; '#' lines are its source."""
    with (CODES_DIR / f"{name}.csv").open(encoding="utf-8") as file:
        lines = (line for line in file if not line.startswith("#"))
        return {_code(row["code"]): row["register"] for row in csv.DictReader(lines)}


def code_labels(name: str) -> dict[str, str]:
    """{normalised code: source label}, for writing a file back in that format."""
    with (CODES_DIR / f"{name}.csv").open(encoding="utf-8") as file:
        lines = (line for line in file if not line.startswith("#"))
        return {_code(row["code"]): row["label"] for row in csv.DictReader(lines)}


def _code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Case and spaces do not matter; signs do (blood type O+ is not O-).
    text = re.sub(r"[\s.]+", "", str(value).casefold())
    return text.lstrip("0") or text if text.isdigit() else text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "-"))


@dataclass(frozen=True)
class Format:
    key: str  # "template", "opensid", "siak"
    label: str
    headers: dict[str, str]  # normalised header -> column key
    required: tuple[str, ...]
    translate: Callable[[dict[str, Any]], dict[str, Any]]

    def column_key(self, header: str) -> str | None:
        if self.key == "template":
            return header_key(header)
        return self.headers.get(normalise(header))


def _translate_codes(values: dict[str, Any], tables: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """Replace each coded value by the register's; unknown codes become reasons."""
    out = dict(values)
    errors: list[str] = []
    for key, (table, column) in tables.items():
        value = values.get(key)
        if key not in values or _blank(value):
            out[key] = ""
            continue
        found = codes_table(table).get(_code(value))
        if found is None:
            errors.append(
                _("%(column)s “%(value)s” is not a code of this format.")
                % {"column": column, "value": str(value)[:20]}
            )
            out[key] = ""
        else:
            out[key] = found
    if errors:
        out["_errors"] = errors
    return out


def _address(values: dict[str, Any]) -> Any:
    """Desa files often leave the street empty: the dusun is the address then."""
    if not _blank(values.get("address")):
        return values["address"]
    if not _blank(values.get("dusun")):
        return f"Dusun {' '.join(str(values['dusun']).split()).title()}"
    return values.get("address")


def _excel_serial(value: Any) -> Any:
    """SIAK writes dates as Excel serial numbers (34703 = 1995-01-04)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    return value


def _dashes_blank(values: dict[str, Any], keys: Iterable[str]) -> None:
    for key in keys:
        if key in values and _blank(values[key]):
            values[key] = ""


OPENSID_HEADERS = {
    "alamat": "address",
    "dusun": "dusun",
    "rw": "rw",
    "rt": "rt",
    "nama": "name",
    "nokk": "kk_number",
    "nik": "nik",
    "sex": "sex",
    "tempatlahir": "birth_place",
    "tanggallahir": "birth_date",
    "agamaid": "religion",
    "pendidikankkid": "education",
    "pendidikansedangid": "schooling",
    "pekerjaanid": "occupation",
    "statuskawin": "marital_status",
    "kklevel": "relationship",
    "warganegaraid": "citizenship",
    "ayahnik": "father_nik",
    "namaayah": "father_name",
    "ibunik": "mother_nik",
    "namaibu": "mother_name",
    "golongandarahid": "blood_type",
    "aktalahir": "birth_certificate",
    "ktpel": "identity_card",
    "statusdasar": "status",
    "telepon": "phone",
}
OPENSID_TABLES = {
    "sex": ("opensid_sex", "sex"),
    "religion": ("opensid_agama", "agama_id"),
    "education": ("opensid_pendidikan_kk", "pendidikan_kk_id"),
    "schooling": ("opensid_pendidikan_sedang", "pendidikan_sedang_id"),
    "occupation": ("opensid_pekerjaan", "pekerjaan_id"),
    "marital_status": ("opensid_status_kawin", "status_kawin"),
    "relationship": ("opensid_shdk", "kk_level"),
    "citizenship": ("opensid_warganegara", "warganegara_id"),
    "blood_type": ("opensid_golongan_darah", "golongan_darah_id"),
    "identity_card": ("opensid_ktp_el", "ktp_el"),
    "status": ("opensid_status_dasar", "status_dasar"),
}


def translate_opensid(values: dict[str, Any]) -> dict[str, Any]:
    out = _translate_codes(values, OPENSID_TABLES)
    out["address"] = _address(values)
    _dashes_blank(out, ("father_nik", "mother_nik", "birth_certificate", "kk_number"))
    return out


SIAK_HEADERS = {
    "nomorkk": "kk_number",
    "nokk": "kk_number",
    "nik": "nik",
    "namapenduduk": "name",
    "nama": "name",
    "status": "status",
    "tempatlahir": "birth_place",
    "tanggallahir": "birth_date",
    "kelamin": "sex",
    "jeniskelamin": "sex",
    "nikayah": "father_nik",
    "ayah": "father_name",
    "namaayah": "father_name",
    "nikibu": "mother_nik",
    "ibu": "mother_name",
    "namaibu": "mother_name",
    "statuskawin": "marital_status",
    "shdk": "relationship",
    "agama": "religion",
    "alamat": "address",
    "dusun": "dusun",
    "rw": "rw",
    "rt": "rt",
    "pendidikan": "education",
    "pekerjaan": "occupation",
    "goldarah": "blood_type",
    "golongandarah": "blood_type",
    "cetakktp": "identity_card",
    "nomoraktalahir": "birth_certificate",
    "aktalahir": "birth_certificate",
}
SIAK_TABLES = {
    "status": ("siak_status", "Status"),
    "blood_type": ("siak_golongan_darah", "Gol. Darah"),
}


def translate_siak(values: dict[str, Any]) -> dict[str, Any]:
    out = _translate_codes(values, SIAK_TABLES)
    education = values.get("education")
    if not _blank(education):
        out["education"] = codes_table("siak_pendidikan").get(_code(education), education)
    # "Cetak KTP" holds the date the KTP-el was printed: a date means the person has one.
    if "identity_card" in values:
        out["identity_card"] = "" if _blank(values["identity_card"]) else "ktp_el"
    out["birth_date"] = _excel_serial(values.get("birth_date"))
    out["address"] = _address(values)
    _dashes_blank(out, ("father_nik", "mother_nik", "birth_certificate", "kk_number"))
    return out


TEMPLATE = Format(
    key="template",
    label="Templat Kota Cerdas",
    headers={},
    required=tuple(REQUIRED_COLUMNS),
    translate=lambda values: values,
)
OPENSID = Format(
    key="opensid",
    label="OpenSID",
    headers=OPENSID_HEADERS,
    required=("nik", "name", "sex", "birth_date", "birth_place", "rt", "rw"),
    translate=translate_opensid,
)
SIAK = Format(
    key="siak",
    label="SIAK",
    headers=SIAK_HEADERS,
    required=("nik", "name", "sex", "birth_date", "birth_place", "address", "rt", "rw"),
    translate=translate_siak,
)
FORMATS = {f.key: f for f in (TEMPLATE, OPENSID, SIAK)}


def detect(header: Iterable[Any]) -> Format:
    """The format whose telling columns the header row holds; else the template."""
    names = {normalise(str(cell)) for cell in header if cell is not None}
    if {"nik", "kklevel"} <= names or {"nik", "agamaid"} <= names:
        return OPENSID
    if {"nik", "shdk", "namapenduduk"} <= names or {"nik", "shdk", "nikayah"} <= names:
        return SIAK
    return TEMPLATE
