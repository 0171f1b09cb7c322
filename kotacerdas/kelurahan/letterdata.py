"""What a letter prints: every placeholder's value, from the register and the request.

Frozen into ``Letter.data`` when the letter is issued, so a reprint shows what
was signed even after the register changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kotacerdas.kelurahan.catalogue import PERSON_ROLES
from kotacerdas.kelurahan.models import LetterRequest
from kotacerdas.people.models import Family, Person
from kotacerdas.regions.models import Region

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
SEX = {"M": "Laki-laki", "F": "Perempuan"}


def tanggal(date: dt.date) -> str:
    """5 Maret 2018: dates on a letter are in Indonesian whatever the reader's language."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def mask_nik(nik: str) -> str:
    """3274••••••••0002: the first four and last four digits."""
    if len(nik) < 8:
        return "•" * len(nik)
    return nik[:4] + "•" * (len(nik) - 8) + nik[-4:]


def mask_name(name: str) -> str:
    """Siti R••••••••: the first word whole, then initials, for the public page."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0]] + [w[0] + "•" * (len(w) - 1) for w in words[1:]])


def _age(person: Person, on: dt.date) -> int:
    born = person.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def applicant(person: Person) -> dict[str, str]:
    family: Family | None = person.family
    return {
        "nama": person.name,
        "nik": person.nik or "",
        "no_kk": family.kk_number if family else "",
        "jenis_kelamin": SEX.get(person.sex, person.sex),
        "tempat_lahir": person.birth_place,
        "tanggal_lahir": tanggal(person.birth_date),
        "agama": person.get_religion_display() if person.religion else "-",
        "pekerjaan": person.occupation or "-",
        "status_perkawinan": person.get_marital_status_display() if person.marital_status else "-",
        "alamat": person.address,
        "rt": f"{person.rt.number:03d}",
        "rw": f"{person.rt.rw.number:02d}",
    }


def others(request: LetterRequest, on: dt.date) -> dict[str, str]:
    found = {p.pk: p for p in Person.objects.filter(pk__in=list(request.persons.values()))}
    values: dict[str, str] = {}
    for role, person_id in request.persons.items():
        prefix = PERSON_ROLES[role][0]
        person = found.get(person_id)
        if person is not None:
            values |= {
                f"{prefix}_nama": person.name,
                f"{prefix}_nik": person.nik or "",
                f"{prefix}_umur": str(_age(person, on)),
                f"{prefix}_alamat": person.address,
            }
    return values


def letter_data(
    request: LetterRequest,
    *,
    number: str,
    issued_on: dt.date,
    valid_until: dt.date,
    signer_name: str,
    signer_title: str,
) -> dict[str, Any]:
    kelurahan: Region = request.kelurahan
    kecamatan = kelurahan.parent.name if kelurahan.parent_id else ""  # type: ignore[union-attr]
    data: dict[str, Any] = applicant(request.person) | others(request, issued_on)
    data |= {key: str(value) for key, value in request.data.items()}
    data |= {
        "nomor_surat": number,
        "tanggal_surat": tanggal(issued_on),
        "berlaku_sampai": tanggal(valid_until),
        "kelurahan": kelurahan.name,
        "kecamatan": kecamatan,
        "nama_lurah": signer_name,
        "jabatan_penandatangan": signer_title,
    }
    return data


def preview_data(person: Person, extra: dict[str, str], kelurahan: Region) -> dict[str, str]:
    """A template's preview with a real resident: the letter fields filled with samples."""
    today = dt.date.today()
    data = applicant(person) | extra
    data |= {
        "nomor_surat": "[nomor]",
        "tanggal_surat": tanggal(today),
        "berlaku_sampai": tanggal(today + dt.timedelta(days=30)),
        "kelurahan": kelurahan.name,
        "kecamatan": kelurahan.parent.name if kelurahan.parent_id else "",  # type: ignore[union-attr]
        "nama_lurah": "[Lurah]",
        "jabatan_penandatangan": f"Lurah {kelurahan.name}",
    }
    return data
