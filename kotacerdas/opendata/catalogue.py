"""The datasets open data builds from the services' figures, with their first metadata.

Every figure a service declares (``kotacerdas.web.discovery.stats_functions``)
becomes two datasets, per kelurahan × month and per kelurahan × year, unless
it is left out below. The metadata here is the producing agency's first draft
in Indonesian; the agency edits it and the walidata reviews it (Satu Data
workflow: kotacerdas.opendata.actions.workflow). A figure nobody wrote a draft
for gets one from its function's docstring, to be edited before approval.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from django.conf import settings

from kotacerdas.web.discovery import stats_functions
from kotacerdas.web.figures import FigureFunction


@dataclass(frozen=True)
class Draft:
    title: str
    measure: str  # the measure column of the long format
    unit: str  # satuan, upper case as Open Data Jabar writes it
    concept: str = ""
    yearly: bool = True  # False when a year's value is neither a sum nor a last month


@dataclass(frozen=True)
class Producer:
    name: str  # organization slug
    title: str
    unit_setting: str  # the setting naming its unit on the platform ("" = none)


PRODUCERS = {
    "web": Producer("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "BIRTHS_REGISTRY_UNIT_CODE"),
    "births": Producer("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "BIRTHS_REGISTRY_UNIT_CODE"),
    "reports": Producer("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "WADUL_UNIT_CODE"),
    "posyandu": Producer("dinkes", "Dinas Kesehatan", "POSYANDU_DINKES_UNIT_CODE"),
    "hospital": Producer("rsd-gunung-jati", "RSD Gunung Jati", "HOSPITAL_UNIT_CODE"),
    "kelurahan": Producer("kelurahan", "Kelurahan se-Kota Cirebon", ""),
    "literacy": Producer("dkis", "Dinas Komunikasi, Informatika dan Statistik", "LITERACY_DKIS_UNIT_CODE"),
}  # fmt: skip
OTHER_PRODUCER = Producer("dkis", "Dinas Komunikasi, Informatika dan Statistik", "LITERACY_DKIS_UNIT_CODE")  # fmt: skip

DRAFTS = {
    "web.residents": Draft("Jumlah penduduk", "jumlah_penduduk", "JIWA", "Penduduk yang tercatat tinggal di kelurahan menurut register kependudukan."),
    "reports.reports_received": Draft("Jumlah laporan Wadul Bae yang diterima", "jumlah_laporan", "LAPORAN", "Laporan warga tentang kekerasan terhadap perempuan dan anak yang masuk ke Wadul Bae."),
    "reports.cases_opened": Draft("Jumlah kasus Wadul Bae yang ditangani", "jumlah_kasus", "KASUS", "Kasus yang dibuka oleh petugas perlindungan dari laporan warga."),
    "posyandu.children_weighed": Draft("Jumlah balita ditimbang di posyandu (D)", "jumlah_balita_ditimbang", "ANAK", "Balita yang ditimbang di posyandu pada bulan itu (D dalam SKDN)."),
    "posyandu.children_stunted": Draft("Jumlah penimbangan balita dengan status stunting", "jumlah_balita_stunting", "ANAK", "Penimbangan dengan tinggi/panjang badan menurut umur di bawah -2 SD standar WHO."),
    "posyandu.children_under_five": Draft("Jumlah balita terdaftar di posyandu (S)", "jumlah_balita", "ANAK", "Balita yang terdaftar di posyandu pada akhir bulan (S dalam SKDN)."),
    "births.births_reported": Draft("Jumlah kelahiran yang dilaporkan", "jumlah_kelahiran_dilaporkan", "KELAHIRAN", "Kelahiran yang dilaporkan keluarga melalui Brojol Aja Klalen."),
    "births.births_registered": Draft("Jumlah akta kelahiran yang terbit", "jumlah_akta_kelahiran", "AKTA", "Kelahiran yang dicatat dan diterbitkan aktanya oleh Disdukcapil."),
    "hospital.bookings": Draft("Jumlah pendaftaran rawat jalan Cirebon Lengko", "jumlah_pendaftaran", "PENDAFTARAN", "Pendaftaran rawat jalan yang tidak dibatalkan, menurut kelurahan pasien."),
    "hospital.no_shows": Draft("Jumlah pasien terdaftar yang tidak datang", "jumlah_tidak_datang", "PENDAFTARAN", "Pendaftaran rawat jalan yang pasiennya tidak datang."),
    "hospital.free_beds": Draft("Jumlah tempat tidur kosong", "jumlah_tempat_tidur_kosong", "TEMPAT TIDUR", "Tempat tidur rawat inap yang kosong pada akhir bulan."),
    "kelurahan.letters_issued": Draft("Jumlah surat keterangan kelurahan yang terbit", "jumlah_surat", "SURAT", "Surat keterangan yang ditandatangani kelurahan melalui Cirebon Sedulur."),
    "kelurahan.letters_on_time": Draft("Jumlah surat keterangan yang terbit tepat waktu", "jumlah_surat_tepat_waktu", "SURAT", "Surat yang ditandatangani dalam batas hari kerja layanannya."),
    "literacy.wifi_sessions": Draft("Jumlah sesi WiFi Cirebon Melet", "jumlah_sesi", "SESI", "Sesi koneksi di titik WiFi publik Cirebon Melet, menurut kelurahan titiknya."),
    "literacy.wifi_distinct_devices": Draft("Jumlah perangkat berbeda di WiFi Cirebon Melet", "jumlah_perangkat", "PERANGKAT", "Perangkat berbeda yang tersambung dalam sebulan (tidak dapat dijumlah antarbulan).", yearly=False),
}  # fmt: skip
# Left out: the same total as another dataset (only the breakdown differs).
LEFT_OUT = {"web.residents_by_age"}


@dataclass(frozen=True)
class Source:
    key: str
    app: str
    function: FigureFunction
    draft: Draft
    producer: Producer
    specific: bool  # health or children's data: the higher threshold
    stock: bool  # a count on a day: the year's value is its last month

    @property
    def threshold(self) -> int:
        if self.specific:
            return int(settings.OPENDATA_SMALL_COUNT_SPECIFIC)
        return int(settings.OPENDATA_SMALL_COUNT)


def _fallback(key: str, function: FigureFunction) -> Draft:
    doc = " ".join((inspect.getdoc(function) or key).split())
    measure = "jumlah_" + key.split(".")[1]
    return Draft(doc.split(". ")[0].rstrip("."), measure[:60], "JUMLAH", doc)


def sources() -> dict[str, Source]:
    """{figure key: its source} of every figure open data publishes."""
    found = {}
    specific = set(settings.OPENDATA_SPECIFIC_DATA_APPS)
    stocks = set(settings.OPENDATA_STOCK_FIGURES)
    for app, functions in stats_functions().items():
        for name, function in functions.items():
            key = f"{app}.{name}"
            if key in LEFT_OUT:
                continue
            found[key] = Source(
                key=key,
                app=app,
                function=function,
                draft=DRAFTS.get(key) or _fallback(key, function),
                producer=PRODUCERS.get(app, OTHER_PRODUCER),
                specific=app in specific,
                stock=key in stocks,
            )
    return found


def dataset_name(key: str, level: str) -> str:
    """The CKAN name: lower case, digits and hyphens (``births-births-reported-bulanan``)."""
    return f"{key.replace('.', '-').replace('_', '-')}-{level}"


# The published files and the API say these in Indonesian whatever the reader's
# language (the pages use the models' translated labels): a file's bytes never
# depend on who built it.
PUBLISHED_LABELS = {
    "publik": "Terbuka (publik)",
    "terbatas": "Terbatas",
    "umum": "Data umum",
    "spesifik": "Data spesifik (kesehatan, anak: UU 27/2022)",
    "bulanan": "Per kelurahan per bulan",
    "tahunan": "Per kelurahan per tahun",
}

# Topic groups (CKAN's groups): {name: (title, app labels)}.
GROUPS = {
    "kependudukan": ("Kependudukan", ("web", "births")),
    "kesehatan": ("Kesehatan", ("posyandu", "hospital")),
    "perlindungan-anak": ("Perlindungan perempuan dan anak", ("reports",)),
    "pemerintahan": ("Pelayanan pemerintahan", ("kelurahan",)),
    "teknologi-informasi": ("Teknologi informasi dan literasi digital", ("literacy",)),
}


def groups_of(app: str) -> list[str]:
    return [name for name, (_title, apps) in GROUPS.items() if app in apps]
