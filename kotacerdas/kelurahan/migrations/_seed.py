"""The seed rows of 0002_seed_letter_types, frozen as they were when it was written."""

from __future__ import annotations

from typing import Any

_PURPOSE = {"name": "keperluan", "label": "Keperluan"}


# code, title, classification, requirements, persons, extra fields, citizen online, validity, body
SEED: list[tuple[Any, ...]] = [
    (
        "pengantar",
        "Surat Keterangan Pengantar",
        "400.12",
        ["pengantar", "kk", "ktp"],
        [],
        [_PURPOSE],
        True,
        30,
        "Orang tersebut benar warga kami dan surat ini diberikan sebagai pengantar untuk "
        "keperluan {{ keperluan }}.",
    ),
    (
        "penduduk",
        "Surat Keterangan Penduduk",
        "400.8.1.2",
        ["kk", "ktp"],
        [],
        [_PURPOSE],
        True,
        30,
        "Orang tersebut benar penduduk Kelurahan {{ kelurahan }} yang tercatat dalam register "
        "penduduk dengan Nomor KK {{ no_kk }}, untuk keperluan {{ keperluan }}.",
    ),
    (
        "domisili",
        "Surat Keterangan Domisili",
        "400.8.1.6",
        ["pengantar", "kk", "ktp"],
        [],
        [_PURPOSE],
        True,
        30,
        "Orang tersebut benar berdomisili di alamat di atas, Kelurahan {{ kelurahan }}, untuk "
        "keperluan {{ keperluan }}.",
    ),
    (
        "domisili-usaha",
        "Surat Keterangan Domisili Usaha",
        "500.2",
        ["pengantar", "kk", "ktp", "foto_usaha"],
        [],
        [
            {"name": "nama_usaha", "label": "Nama usaha"},
            {"name": "alamat_usaha", "label": "Alamat usaha"},
        ],
        True,
        30,
        "Orang tersebut benar memiliki usaha {{ nama_usaha }} yang berdomisili di "
        "{{ alamat_usaha }}, Kelurahan {{ kelurahan }}.",
    ),
    (
        "usaha",
        "Surat Keterangan Usaha (SKU)",
        "500.2",
        ["pengantar", "kk", "ktp"],
        [],
        [
            {"name": "nama_usaha", "label": "Nama usaha"},
            {"name": "jenis_usaha", "label": "Jenis usaha"},
            {"name": "alamat_usaha", "label": "Alamat usaha"},
        ],
        True,
        30,
        "Orang tersebut benar menjalankan usaha {{ jenis_usaha }} dengan nama {{ nama_usaha }} "
        "di {{ alamat_usaha }}.",
    ),
    (
        "sktm",
        "Surat Keterangan Tidak Mampu (SKTM)",
        "400.10",
        ["pengantar", "kk", "ktp"],
        [],
        [_PURPOSE],
        True,
        30,
        "Orang tersebut benar warga kami yang tergolong keluarga kurang mampu. Surat keterangan "
        "ini diberikan untuk keperluan {{ keperluan }}.",
    ),
    (
        "skck",
        "Surat Pengantar SKCK",
        "300.1",
        ["pengantar", "kk", "ktp"],
        [],
        [_PURPOSE],
        True,
        30,
        "Orang tersebut sepanjang pengetahuan kami berkelakuan baik dan tidak sedang tersangkut "
        "perkara pidana. Surat ini diberikan sebagai pengantar permohonan SKCK untuk keperluan "
        "{{ keperluan }}.",
    ),
    (
        "kelahiran",
        "Surat Keterangan Kelahiran",
        "400.8.2.2",
        ["kk", "ktp", "akta_nikah", "surat_bidan"],
        ["mother", "father", "reporter"],
        [
            {"name": "hari_lahir", "label": "Hari lahir"},
            {"name": "tempat_dilahirkan", "label": "Tempat dilahirkan"},
        ],
        False,
        30,
        "Telah lahir pada hari {{ hari_lahir }} di {{ tempat_dilahirkan }} seorang anak "
        "sebagaimana tersebut di atas, dari seorang ibu bernama {{ ibu_nama }} (NIK {{ ibu_nik }}) "
        "dan ayah bernama {{ ayah_nama }} (NIK {{ ayah_nik }}). Dilaporkan oleh {{ pelapor_nama }}.",
    ),
    (
        "kematian",
        "Surat Keterangan Kematian",
        "400.8.2.2",
        ["kk", "ktp", "surat_kematian"],
        ["reporter"],
        [
            {"name": "tanggal_meninggal", "label": "Tanggal meninggal"},
            {"name": "tempat_meninggal", "label": "Tempat meninggal"},
            {"name": "sebab", "label": "Sebab meninggal"},
        ],
        False,
        30,
        "Orang tersebut telah meninggal dunia pada tanggal {{ tanggal_meninggal }} di "
        "{{ tempat_meninggal }} disebabkan {{ sebab }}. Dilaporkan oleh {{ pelapor_nama }}.",
    ),
    (
        "pindah",
        "Surat Keterangan Pindah",
        "400.8.1.6",
        ["pengantar", "kk", "ktp"],
        [],
        [
            {"name": "alamat_tujuan", "label": "Alamat tujuan"},
            {"name": "alasan_pindah", "label": "Alasan pindah"},
        ],
        False,
        30,
        "Orang tersebut bermaksud pindah ke {{ alamat_tujuan }} dengan alasan "
        "{{ alasan_pindah }}.",
    ),
    (
        "beda-identitas",
        "Surat Keterangan Beda Identitas",
        "400.8.1.3",
        ["kk", "ktp", "bukti_beda"],
        [],
        [
            {"name": "dokumen_berbeda", "label": "Dokumen yang berbeda"},
            {"name": "data_berbeda", "label": "Data pada dokumen itu"},
        ],
        True,
        30,
        "Data orang tersebut pada {{ dokumen_berbeda }} tertulis {{ data_berbeda }}. Keduanya "
        "adalah orang yang sama.",
    ),
    (
        "ktp-proses",
        "Surat Keterangan KTP dalam Proses",
        "400.8.1.2",
        ["kk", "rekam_ktp"],
        [],
        [_PURPOSE],
        True,
        30,
        "KTP elektronik orang tersebut sedang dalam proses penerbitan di Dinas Kependudukan dan "
        "Pencatatan Sipil Kota Cirebon. Surat ini diberikan untuk keperluan {{ keperluan }}.",
    ),
]

