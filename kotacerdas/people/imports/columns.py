"""The kelurahan template: the one workbook format imported and exported today.

A format is its columns (key, header), the other header spellings it accepts,
and the spellings of each coded value. The row checks in ``rows`` work on the
keys, so another format (OpenSID, SIAK) is another module like this one that
maps its headers and values onto the same keys.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kotacerdas.people.models import Education, MaritalStatus, Relationship, Religion, Sex

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


def normalise(text: str) -> str:
    """Case, spaces and punctuation do not matter: 'No. KK' == 'nokk'."""
    return re.sub(r"[^0-9a-z()/]", "", text.casefold())


def header_key(text: str) -> str | None:
    key = normalise(text)
    for column, header in COLUMNS:
        if normalise(header) == key:
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


def lookup(values: dict[Any, list[str]]) -> dict[str, str]:
    return {normalise(text): str(code) for code, texts in values.items() for text in texts}


SEX_LOOKUP = lookup(SEX_VALUES)
RELIGION_LOOKUP = lookup(RELIGION_VALUES)
EDUCATION_LOOKUP = lookup(EDUCATION_VALUES)
MARITAL_LOOKUP = lookup(MARITAL_VALUES)
RELATIONSHIP_LOOKUP = lookup(RELATIONSHIP_VALUES)


def allowed(values: dict[Any, list[str]]) -> str:
    return ", ".join(texts[0] for texts in values.values())
