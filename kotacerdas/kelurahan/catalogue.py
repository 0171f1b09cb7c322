"""What letters may ask for and print: requirements, persons pulled, placeholders.

The twelve letter types themselves are seeded by the migration
``0002_seed_letter_types`` (classification codes after Permendagri 83/2022:
400.8 kependudukan, 400.10 sosial, 500 perekonomian, 300 ketertiban; the
kelurahan edits them, many still print the older codes).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# What a kelurahan may ask to see. Perpres 96/2018: Dukcapil documents need no
# RT/RW pengantar; kelurahan letters commonly still do, so it is per type.
REQUIREMENTS = {
    "pengantar": _("RT/RW cover letter (surat pengantar)"),
    "kk": _("Family card (KK)"),
    "ktp": _("Identity card (KTP)"),
    "akta_nikah": _("Marriage certificate"),
    "akta_lahir": _("Birth certificate"),
    "surat_kematian": _("Death statement from hospital, puskesmas or doctor"),
    "surat_bidan": _("Birth statement from the midwife or hospital"),
    "foto_usaha": _("Photo of the business premises"),
    "bukti_beda": _("Documents showing the differing identity"),
    "rekam_ktp": _("Proof of KTP recording (Disdukcapil)"),
}

# Placeholders every template may use; a type's extra fields and pulled persons add theirs.
APPLICANT_PLACEHOLDERS = (
    "nama",
    "nik",
    "no_kk",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "agama",
    "pekerjaan",
    "status_perkawinan",
    "alamat",
    "rt",
    "rw",
)
LETTER_PLACEHOLDERS = (
    "nomor_surat",
    "tanggal_surat",
    "berlaku_sampai",
    "kelurahan",
    "kecamatan",
    "nama_lurah",
    "jabatan_penandatangan",
)
PERSON_ROLES = {
    "mother": ("ibu", _("Mother")),
    "father": ("ayah", _("Father")),
    "reporter": ("pelapor", _("Reporter")),
}
PERSON_FIELDS = ("nama", "nik", "umur", "alamat")


def placeholders_of(extra_fields: list[dict[str, str]], persons: list[str]) -> set[str]:
    """Every placeholder a template of this type may use."""
    names = set(APPLICANT_PLACEHOLDERS) | set(LETTER_PLACEHOLDERS)
    names |= {field["name"] for field in extra_fields}
    for role in persons:
        prefix = PERSON_ROLES[role][0]
        names |= {f"{prefix}_{field}" for field in PERSON_FIELDS}
    return names
