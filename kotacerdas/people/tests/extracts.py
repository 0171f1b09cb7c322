"""Residents files in OpenSID's and SIAK's formats, generated for tests and the bench.

The column names and code values are the formats' facts (OpenSID's
``contoh_penduduk.xlsx`` columns and ``tweb_*`` code tables; SIAK's extract
columns and spellings); no file of theirs is copied. ``resident()`` describes
a person once, with OpenSID's codes; ``opensid_workbook`` and
``siak_workbook`` write the same people in each format.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

OPENSID_COLUMNS = [
    "alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir",
    "tanggallahir", "agama_id", "pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id",
    "status_kawin", "kk_level", "warganegara_id", "ayah_nik", "nama_ayah", "ibu_nik",
    "nama_ibu", "golongan_darah_id", "akta_lahir", "dokumen_pasport", "cacat_id", "ktp_el",
    "status_rekam", "status_dasar", "suku",
]  # fmt: skip
SIAK_COLUMNS = [
    "Nomor KK", "NIK", "Nama Penduduk", "Status", "Tempat Lahir", "Tanggal Lahir", "Kelamin",
    "NIK Ayah", "Ayah", "NIK Ibu", "Ibu", "Status Kawin", "SHDK", "Agama", "Kecamatan",
    "Desa/Kel", "Alamat", "RW", "RT", "Pendidikan", "Pekerjaan", "Gol. Darah", "Cacat",
    "Cetak KTP", "Nomor Akta Lahir", "Petugas Entri",
]  # fmt: skip

# OpenSID code -> SIAK's text, for the same person in both formats.
SIAK_SEX = {1: "Laki-Laki", 2: "Perempuan"}
SIAK_AGAMA = {1: "Islam", 2: "Kristen", 3: "Katholik", 4: "Hindu", 5: "Budha", 6: "Khonghucu",
              7: "Kepercayaan Terhadap Tuhan YME"}  # fmt: skip
SIAK_PENDIDIKAN = {1: "Tidak/Belum Sekolah", 2: "Belum Tamat SD/Sederajat",
                   3: "Tamat SD/Sederajat", 4: "SLTP/Sederajat", 5: "SLTA/Sederajat",
                   6: "Diploma I/II", 7: "Akademi/Diploma III/S. Muda",
                   8: "Diploma IV/Strata I", 9: "Strata II", 10: "Strata III"}  # fmt: skip
SIAK_PEKERJAAN = {1: "Belum/Tidak Bekerja", 2: "Mengurus Rumah Tangga",
                  3: "Pelajar/Mahasiswa", 15: "Karyawan Swasta", 88: "Wiraswasta",
                  5: "Pegawai Negeri Sipil (PNS)", 84: "Pedagang"}  # fmt: skip
SIAK_KAWIN = {1: "Belum Kawin", 2: "Kawin", 3: "Cerai Hidup", 4: "Cerai Mati"}
SIAK_SHDK = {1: "Kepala Keluarga", 2: "Suami", 3: "Istri", 4: "Anak", 5: "Menantu",
             6: "Cucu", 7: "Orang Tua", 8: "Mertua", 9: "Famili Lain", 10: "Pembantu",
             11: "Lainnya"}  # fmt: skip
SIAK_DARAH = {1: "A", 2: "B", 3: "AB", 4: "O", 5: "A+", 6: "A-", 7: "B+", 8: "B-", 9: "AB+",
              10: "AB-", 11: "O+", 12: "O-", 13: "Tdk Th"}  # fmt: skip
SIAK_STATUS = {1: "Hidup", 2: "Mati", 3: "Pindah"}


def nik(birth_date: dt.date, sex: int, serial: int, region: str = "327401") -> str:
    day = birth_date.day + (40 if sex == 2 else 0)
    return f"{region}{day:02d}{birth_date:%m%y}{serial:04d}"


def resident(
    serial: int,
    name: str,
    *,
    kk: str,
    shdk: int,
    sex: int = 1,
    born: dt.date = dt.date(1985, 4, 3),
    rw: Any = 1,
    rt: Any = 1,
    **codes: Any,
) -> dict[str, Any]:
    """One person with OpenSID's codes; ``codes`` overrides any default."""
    person: dict[str, Any] = {
        "nik": nik(born, sex, serial),
        "nama": name,
        "no_kk": kk,
        "kk_level": shdk,
        "sex": sex,
        "tanggallahir": born,
        "tempatlahir": "Cirebon",
        "alamat": f"Jl. Pekiringan No. {serial}",
        "dusun": "",
        "rw": rw,
        "rt": rt,
        "agama_id": 1,
        "pendidikan_kk_id": 5,
        "pendidikan_sedang_id": 18,
        "pekerjaan_id": 88,
        "status_kawin": 2 if shdk in (1, 2, 3) else 1,
        "warganegara_id": 1,
        "ayah_nik": "",
        "nama_ayah": "Ayah " + name.split()[0],
        "ibu_nik": "",
        "nama_ibu": "Ibu " + name.split()[0],
        "golongan_darah_id": 13,
        "akta_lahir": "",
        "ktp_el": 2 if born.year < 2008 else 3,
        "status_dasar": 1,
    }
    person.update(codes)
    return person


def opensid_row(person: dict[str, Any]) -> list[Any]:
    values = {
        **person,
        "rw": f"{person['rw']:03d}" if isinstance(person["rw"], int) else person["rw"],
        "rt": f"{person['rt']:03d}" if isinstance(person["rt"], int) else person["rt"],
        "tanggallahir": person["tanggallahir"].isoformat(),
        "suku": "Jawa",
        "status_rekam": 3,
    }
    return [_cell(values.get(column)) for column in OPENSID_COLUMNS]


def siak_row(person: dict[str, Any], *, serial_dates: bool = True) -> list[Any]:
    born: dt.date = person["tanggallahir"]
    excel_serial = (born - dt.date(1899, 12, 30)).days
    values = {
        "Nomor KK": person["no_kk"],
        "NIK": person["nik"],
        "Nama Penduduk": person["nama"],
        "Status": SIAK_STATUS[person["status_dasar"]],
        "Tempat Lahir": person["tempatlahir"],
        "Tanggal Lahir": excel_serial if serial_dates else born.strftime("%d-%m-%Y"),
        "Kelamin": SIAK_SEX[person["sex"]],
        "NIK Ayah": person["ayah_nik"],
        "Ayah": person["nama_ayah"],
        "NIK Ibu": person["ibu_nik"],
        "Ibu": person["nama_ibu"],
        "Status Kawin": SIAK_KAWIN[person["status_kawin"]],
        "SHDK": SIAK_SHDK[person["kk_level"]],
        "Agama": SIAK_AGAMA[person["agama_id"]],
        "Kecamatan": "KEJAKSAN",
        "Desa/Kel": "KEJAKSAN",
        "Alamat": person["alamat"],
        "RW": person["rw"],
        "RT": person["rt"],
        "Pendidikan": SIAK_PENDIDIKAN[person["pendidikan_kk_id"]],
        "Pekerjaan": SIAK_PEKERJAAN[person["pekerjaan_id"]],
        "Gol. Darah": SIAK_DARAH[person["golongan_darah_id"]],
        "Cetak KTP": "12-05-2016" if person["ktp_el"] == 2 else "",
        "Nomor Akta Lahir": person["akta_lahir"] or "-",
        "Petugas Entri": "opr_kec01",
    }
    return [_cell(values.get(column)) for column in SIAK_COLUMNS]


def _cell(value: Any) -> Any:
    return "" if value is None else value


def workbook(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def opensid_workbook(people: list[dict[str, Any]]) -> bytes:
    return workbook(OPENSID_COLUMNS, [opensid_row(p) for p in people])


def siak_workbook(people: list[dict[str, Any]], *, serial_dates: bool = True) -> bytes:
    return workbook(SIAK_COLUMNS, [siak_row(p, serial_dates=serial_dates) for p in people])
