"""An area's register written back in OpenSID's or SIAK's columns.

For a kelurahan that still runs OpenSID beside the platform: the same code
tables that read those files (``codes/*.csv``) write them, so a file exported
here and imported again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook

from kotacerdas.people.imports.columns import (
    EDUCATION_LOOKUP,
    MARITAL_LOOKUP,
    RELIGION_LOOKUP,
    SEX_LOOKUP,
    normalise,
)
from kotacerdas.people.imports.formats import code_labels, codes_table
from kotacerdas.people.models import Person

OPENSID_COLUMNS = [
    "alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir",
    "agama_id", "pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id", "status_kawin",
    "kk_level", "warganegara_id", "ayah_nik", "nama_ayah", "ibu_nik", "nama_ibu",
    "golongan_darah_id", "akta_lahir", "ktp_el", "status_dasar", "telepon",
]  # fmt: skip
SIAK_COLUMNS = [
    "Nomor KK", "NIK", "Nama Penduduk", "Status", "Tempat Lahir", "Tanggal Lahir", "Kelamin",
    "NIK Ayah", "Ayah", "NIK Ibu", "Ibu", "Status Kawin", "SHDK", "Agama", "Alamat", "RW", "RT",
    "Pendidikan", "Pekerjaan", "Gol. Darah", "Nomor Akta Lahir",
]  # fmt: skip
FORMATS = ("opensid", "siak")


def _reverse(table: str, lookup: dict[str, str] | None = None) -> dict[str, str]:
    """register value -> the table's code (the first code for a value wins)."""
    out: dict[str, str] = {}
    for code, value in codes_table(table).items():
        key = lookup.get(normalise(value), value) if lookup else value
        out.setdefault(key, code)
    return out


def _labels(table: str) -> dict[str, str]:
    """register value -> the source's label, as SIAK writes text."""
    labels = code_labels(table)
    out: dict[str, str] = {}
    for code, value in codes_table(table).items():
        out.setdefault(value, labels.get(code, value))
    return out


def opensid_row(person: Person) -> list[Any]:
    codes = {
        "sex": _reverse("opensid_sex", SEX_LOOKUP),
        "religion": _reverse("opensid_agama", RELIGION_LOOKUP),
        "education": _reverse("opensid_pendidikan_kk", EDUCATION_LOOKUP),
        "marital": _reverse("opensid_status_kawin", MARITAL_LOOKUP),
        "schooling": _reverse("opensid_pendidikan_sedang"),
        "occupation": {normalise(k): v for k, v in _reverse("opensid_pekerjaan").items()},
    }
    values = {
        "alamat": person.address,
        "dusun": "",
        "rw": f"{person.rt.rw.number:03d}",
        "rt": f"{person.rt.number:03d}",
        "nama": person.name,
        "no_kk": person.family.kk_number if person.family else "",
        "nik": person.nik or "",
        "sex": codes["sex"].get(person.sex, ""),
        "tempatlahir": person.birth_place,
        "tanggallahir": person.birth_date.isoformat(),
        "agama_id": codes["religion"].get(person.religion, ""),
        "pendidikan_kk_id": codes["education"].get(person.education, ""),
        "pendidikan_sedang_id": codes["schooling"].get(person.schooling, ""),
        "pekerjaan_id": codes["occupation"].get(normalise(person.occupation), "89")
        if person.occupation
        else "",
        "status_kawin": codes["marital"].get(person.marital_status, ""),
        "kk_level": person.relationship,
        "warganegara_id": _reverse("opensid_warganegara").get(person.citizenship, ""),
        "ayah_nik": person.father_nik,
        "nama_ayah": person.father_name,
        "ibu_nik": person.mother_nik,
        "nama_ibu": person.mother_name,
        "golongan_darah_id": _reverse("opensid_golongan_darah").get(person.blood_type, "13"),
        "akta_lahir": person.birth_certificate_number,
        "ktp_el": _reverse("opensid_ktp_el").get(person.identity_card, ""),
        "status_dasar": _reverse("opensid_status_dasar").get(person.status, ""),
        "telepon": person.phone,
    }
    return [values[column] for column in OPENSID_COLUMNS]


def siak_row(person: Person) -> list[Any]:
    shdk = code_labels("opensid_shdk")
    values = {
        "Nomor KK": person.family.kk_number if person.family else "",
        "NIK": person.nik or "",
        "Nama Penduduk": person.name,
        "Status": _labels("siak_status").get(person.status, ""),
        "Tempat Lahir": person.birth_place,
        "Tanggal Lahir": person.birth_date.strftime("%d-%m-%Y"),
        "Kelamin": {"M": "Laki-Laki", "F": "Perempuan"}.get(person.sex, ""),
        "NIK Ayah": person.father_nik,
        "Ayah": person.father_name,
        "NIK Ibu": person.mother_nik,
        "Ibu": person.mother_name,
        "Status Kawin": _labels_of(MARITAL_LOOKUP, "opensid_status_kawin").get(
            person.marital_status, ""
        ),
        "SHDK": shdk.get(person.relationship, "").title(),
        "Agama": _labels_of(RELIGION_LOOKUP, "opensid_agama").get(person.religion, ""),
        "Alamat": person.address,
        "RW": person.rt.rw.number,
        "RT": person.rt.number,
        "Pendidikan": _labels_of(EDUCATION_LOOKUP, "opensid_pendidikan_kk").get(
            person.education, ""
        ),
        "Pekerjaan": person.occupation,
        "Gol. Darah": person.blood_type or "Tdk Th",
        "Nomor Akta Lahir": person.birth_certificate_number,
    }
    return [values[column] for column in SIAK_COLUMNS]


def _labels_of(lookup: dict[str, str], table: str) -> dict[str, str]:
    """register code -> the spelling the code table reads back to it."""
    out: dict[str, str] = {}
    for value in codes_table(table).values():
        out.setdefault(lookup.get(normalise(value), ""), value)
    return out


def extract_workbook(people: QuerySet[Person], file_format: str) -> tuple[IO[bytes], int]:
    """The residents in ``file_format``'s columns, as a rewound temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    columns, row = (
        (OPENSID_COLUMNS, opensid_row) if file_format == "opensid" else (SIAK_COLUMNS, siak_row)
    )
    sheet.append(columns)
    count = 0
    for person in people.select_related("rt__rw", "family").iterator(chunk_size=2000):
        sheet.append([_safe(value) for value in row(person)])
        count += 1
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the streaming response
    workbook.save(output)
    output.seek(0)
    return output, count


def _safe(value: Any) -> Any:
    """What a person typed stays text: a leading '=' is not a formula."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
