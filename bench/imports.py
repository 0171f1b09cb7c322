"""Issue 17: the whole city's register loaded from SIAK extracts, then the monthly update.

On a throwaway PostgreSQL database of its own: Kota Cirebon's 22 kelurahan
with their RWs and RTs, and a generated SIAK-shaped extract of each (343,000
residents in all: SIAK's columns, text values, ``Hidup``, dates as Excel
serial numbers, families of about 3.4 with their head). Each file goes through
``import_residents FILE --kelurahan CODE`` (the command, called in-process),
in two processes (the machine's cores) each taking half of the kelurahan one
after another, as a Disdukcapil batch would.

1. The first load: wall time for the whole city, and the peak memory (RSS)
   of an import process (eleven kelurahan, one after another).
2. The month after: the same extracts with 1 % of the people changed (a
   quarter each: deaths, moves out, new addresses, newborns added), imported
   again: wall time; every change becomes its life event.

Targets (issue 17): first load ≤ 3 min in ≤ 300 MB; monthly ≤ 1 min.
The files are written by a small writer of its own (inline strings), since
openpyxl would take longer to write them than the import takes to read them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench.common import (
    DB_NAME as CITY_DB,
)
from bench.common import (
    PG_HOST,
    PG_USER,
    PYTHON,
    ROOT,
    Figure,
    bench_env,
    create_database,
    drop_database,
    migrate,
    peak_rss_mb,
    run_child,
)

DB_NAME = f"{CITY_DB}_imports"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{DB_NAME}"
RESIDENTS = int(os.environ.get("BENCH_IMPORTS_RESIDENTS", "343000"))  # a smaller trial run
RWS, RTS = 12, 6  # per kelurahan, per RW
CHANGED = 0.01
PARALLEL = 2
FIRST_LOAD_S, FIRST_LOAD_MB, MONTHLY_S = 180.0, 300.0, 60.0
SIAK_COLUMNS = [
    "Nomor KK", "NIK", "Nama Penduduk", "Status", "Tempat Lahir", "Tanggal Lahir", "Kelamin",
    "NIK Ayah", "Ayah", "NIK Ibu", "Ibu", "Status Kawin", "SHDK", "Agama", "Kecamatan",
    "Desa/Kel", "Alamat", "RW", "RT", "Pendidikan", "Pekerjaan", "Gol. Darah", "Cetak KTP",
    "Nomor Akta Lahir",
]  # fmt: skip


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="imports-bench-") as tmp:
        env = bench_env(
            DATABASE_URL=DATABASE_URL,
            DEBUG="false",
            LOG_LEVEL="WARNING",
            TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",
            BENCH_IMPORTS_DIR=tmp,
        )
        create_database(DB_NAME)
        try:
            migrate(env, "imports")
            print(f"imports: 22 kelurahan, {RESIDENTS:,} residents in SIAK extracts …", flush=True)
            made = run_child("bench.imports", "setup", env)
            print(f"  written in {made['seconds']:.0f} s", flush=True)
            first = _import_all(made["files"], env)
            print(
                f"  first load: {first['seconds']:.0f} s, peak RSS {first['rss_mb']:.0f} MB, "
                f"{first['counts']}",
                flush=True,
            )
            monthly = _import_all(made["monthly"], env)
            print(f"  monthly: {monthly['seconds']:.0f} s, {monthly['counts']}", flush=True)
            check = run_child("bench.imports", "check", env)
            print(f"  register: {check}", flush=True)
        finally:
            drop_database(DB_NAME)
    return [
        Figure(
            "SIAK extracts of the city imported (343,000)",
            first["seconds"],
            "s",
            FIRST_LOAD_S,
            note=f"{PARALLEL} processes; {first['counts']}",
        ),
        Figure("peak RSS of one import process", first["rss_mb"], "MB", FIRST_LOAD_MB),
        Figure(
            "monthly re-import, 1 % changed",
            monthly["seconds"],
            "s",
            MONTHLY_S,
            note=f"{monthly['counts']}; life events {check['events']}",
        ),
    ]


def _import_all(files: list[list[str]], env: dict[str, str]) -> dict[str, Any]:
    """Every (kelurahan, file) through ``import_residents``, in PARALLEL processes
    each importing its share one file after another (a Disdukcapil batch)."""
    started = time.perf_counter()
    shares = [files[n::PARALLEL] for n in range(PARALLEL)]

    def one(share: list[list[str]]) -> dict[str, Any]:
        done = subprocess.run(
            [str(PYTHON), "-m", "bench.imports", "load", json.dumps(share)],
            cwd=ROOT,
            env=env | {"DJANGO_SETTINGS_MODULE": "kotacerdas.settings"},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"import failed:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(one, shares))
    counts: dict[str, int] = {}
    for result in results:
        for name, number in result["counts"].items():
            counts[name] = counts.get(name, 0) + number
    return {
        "seconds": time.perf_counter() - started,
        "rss_mb": max(result["rss_mb"] for result in results),
        "counts": counts,
    }


def load(share: str) -> dict[str, Any]:
    """``manage.py import_residents`` on each file of the share, in this process."""
    from django.core.management import call_command

    from kotacerdas.people.models import ImportJob

    counts = {"new": 0, "updated": 0, "left": 0, "unchanged": 0, "refused": 0, "conflicts": 0}
    for code, path in json.loads(share):
        call_command("import_residents", path, kelurahan=code, stdout=open(os.devnull, "w"))  # noqa: SIM115
        job = (
            ImportJob.objects.defer("content")
            .filter(kelurahan_id=code, file_name=Path(path).name)
            .latest("pk")
        )
        counts["new"] += job.rows_imported
        counts["updated"] += job.rows_updated
        counts["left"] += job.rows_left
        counts["unchanged"] += job.rows_unchanged
        counts["refused"] += job.rows_rejected
        counts["conflicts"] += len(job.conflicts)
    return {"counts": counts, "rss_mb": peak_rss_mb()}


# Child steps: run with Django set up on the bench database ---------------------


def setup() -> dict[str, Any]:
    """RWs and RTs for every kelurahan, and the two extracts of each."""
    from django.conf import settings

    from kotacerdas.regions.actions import load_regions
    from kotacerdas.regions.models import RT, RW, Region

    started = time.perf_counter()
    load_regions(settings.REGIONS_FILE)
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).order_by("code"))
    for region in kelurahan:
        rws = RW.objects.bulk_create([RW(kelurahan=region, number=n) for n in range(1, RWS + 1)])
        RT.objects.bulk_create([RT(rw=rw, number=n) for rw in rws for n in range(1, RTS + 1)])
    directory = Path(os.environ["BENCH_IMPORTS_DIR"])
    per_kelurahan = RESIDENTS // len(kelurahan)
    files, monthly = [], []
    rng = random.Random(17)
    taken: set[str] = set()
    for index, region in enumerate(kelurahan):
        count = per_kelurahan + (RESIDENTS % len(kelurahan) if index == 0 else 0)
        people = _residents(region, index, count, rng, taken)
        path = directory / f"{region.compact_code}.xlsx"
        _write(path, people, region)
        files.append([region.code, str(path)])
        path = directory / f"{region.compact_code}-next.xlsx"
        _write(path, _next_month(people, index, rng, taken), region)
        monthly.append([region.code, str(path)])
        del people
    return {"seconds": time.perf_counter() - started, "files": files, "monthly": monthly}


FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Agus", "Nur", "Eko", "Sri", "Dedi", "Rina", "Asep",
         "Yuli", "Iwan", "Wati", "Hendra", "Lina", "Joko", "Tuti", "Rudi", "Ani"]  # fmt: skip
LAST = ["Santoso", "Rahayu", "Hidayat", "Lestari", "Saputra", "Wulandari", "Kurniawan",
        "Permana", "Gunawan", "Suryani", "Firmansyah", "Maulana"]  # fmt: skip
JOBS = ["Wiraswasta", "Karyawan Swasta", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa",
        "Pedagang", "Buruh Harian Lepas", "Pegawai Negeri Sipil (PNS)"]  # fmt: skip


def _nik(prefix: str, born: dt.date, female: bool, taken: set[str]) -> str:
    """A NIK of the kecamatan, birth date and sex, not given to anyone yet."""
    day = born.day + (40 if female else 0)
    serial = 1
    while f"{prefix}{day:02d}{born:%m%y}{serial:04d}" in taken:
        serial += 1
    nik = f"{prefix}{day:02d}{born:%m%y}{serial:04d}"
    taken.add(nik)
    return nik


def _residents(
    region: Any, index: int, count: int, rng: random.Random, taken: set[str]
) -> list[dict[str, Any]]:
    """Families of a head, a spouse and children, spread over the RTs."""
    people: list[dict[str, Any]] = []
    family = 0
    while len(people) < count:
        family += 1
        # No. KK: kecamatan, the card's date of issue (DDMMYY), a serial of that day.
        issued = f"{1 + family % 28:02d}{1 + family // 28 % 12:02d}{10 + index:02d}"
        kk = f"{region.compact_code[:6]}{issued}{family // 336 + 1:04d}"
        rw, rt = rng.randint(1, RWS), rng.randint(1, RTS)
        address = f"Jl. {rng.choice(LAST)} No. {rng.randint(1, 200)}"
        size = min(count - len(people), rng.choice([1, 2, 3, 3, 4, 4, 5, 6]))
        last = rng.choice(LAST)
        for member in range(size):
            shdk = "Kepala Keluarga" if member == 0 else "Istri" if member == 1 else "Anak"
            female = member == 1 or (member > 1 and rng.random() < 0.5)
            year = rng.randint(1945, 1995) if member < 2 else rng.randint(1996, 2024)
            born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            people.append(
                {
                    "Nomor KK": kk,
                    "NIK": _nik(region.compact_code[:6], born, female, taken),
                    "Nama Penduduk": f"{rng.choice(FIRST)} {last}",
                    "Status": "Hidup",
                    "Tempat Lahir": "Cirebon",
                    "Tanggal Lahir": (born - dt.date(1899, 12, 30)).days,
                    "Kelamin": "Perempuan" if female else "Laki-Laki",
                    "Ayah": f"Ayah {last}",
                    "Ibu": f"Ibu {last}",
                    "Status Kawin": "Kawin" if member < 2 else "Belum Kawin",
                    "SHDK": shdk,
                    "Agama": rng.choice(["Islam"] * 8 + ["Kristen", "Katholik"]),
                    "Kecamatan": "",
                    "Desa/Kel": region.name,
                    "Alamat": address,
                    "RW": rw,
                    "RT": rt,
                    "Pendidikan": rng.choice(
                        [
                            "SLTA/Sederajat",
                            "Tamat SD/Sederajat",
                            "Diploma IV/Strata I",
                            "SLTP/Sederajat",
                        ]
                    ),
                    "Pekerjaan": rng.choice(JOBS),
                    "Gol. Darah": rng.choice(["A", "B", "AB", "O", "Tdk Th"]),
                    "Cetak KTP": "12-05-2016" if year < 2008 else "",
                    "Nomor Akta Lahir": f"3274-LT-{family:06d}-{member:02d}"
                    if year > 1990
                    else "-",
                }
            )
    return people


def _next_month(
    people: list[dict[str, Any]], index: int, rng: random.Random, taken: set[str]
) -> list[dict[str, Any]]:
    """The same extract a month later: 1 % of the people changed, in four kinds."""
    rows = [dict(p) for p in people]
    chosen = rng.sample(range(len(rows)), int(len(rows) * CHANGED))
    quarter = len(chosen) // 4
    for position in chosen[:quarter]:
        rows[position]["Status"] = "Mati"
    for position in chosen[quarter : 2 * quarter]:
        rows[position]["Status"] = "Pindah"
    for position in chosen[2 * quarter : 3 * quarter]:
        rows[position]["Alamat"] = f"Jl. Baru No. {position % 300 + 1}"
    born = dt.date.today() - dt.timedelta(days=30)
    for number, position in enumerate(chosen[3 * quarter :]):
        parent = rows[position]
        baby = dict(parent)
        baby.update(
            {
                "NIK": _nik(parent["NIK"][:6], born, True, taken),
                "Nama Penduduk": f"Bayi {index} {number}",
                "Tanggal Lahir": (born - dt.date(1899, 12, 30)).days,
                "Kelamin": "Perempuan",
                "Status": "Hidup",
                "SHDK": "Anak",
                "Status Kawin": "Belum Kawin",
                "Cetak KTP": "",
                "NIK Ibu": "",
                "Nomor Akta Lahir": "-",
            }
        )
        rows.append(baby)
    return rows


def _write(path: Path, people: list[dict[str, Any]], region: Any) -> None:
    """A minimal .xlsx (one sheet, inline strings, numbers as numbers)."""

    def cell(value: Any) -> str:
        if isinstance(value, int):
            return f"<c><v>{value}</v></c>"
        if value in ("", None):
            return "<c/>"
        return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    lines = ["".join(cell(h) for h in SIAK_COLUMNS)]
    lines += ["".join(cell(p.get(h, "")) for h in SIAK_COLUMNS) for p in people]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(f'<row r="{n}">{line}</row>' for n, line in enumerate(lines, 1))
        + "</sheetData></worksheet>"
    )
    main = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{main}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
            'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-office'
            'document.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{main}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{main}/spreadsheetml/2006/main" '
            f'xmlns:r="{main}/officeDocument/2006/relationships"><sheets><sheet '
            'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{main}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        book.writestr("xl/worksheets/sheet1.xml", sheet)


def check() -> dict[str, Any]:
    from django.db.models import Count

    from kotacerdas.people.models import LifeEvent, Person

    return {
        "residents": Person.objects.count(),
        "status": dict(Person.objects.values_list("status").annotate(n=Count("id"))),
        "events": dict(LifeEvent.objects.values_list("kind").annotate(n=Count("id"))),
    }


if __name__ == "__main__":
    import django

    django.setup()
    step = sys.argv[1]
    if step == "load":
        print(json.dumps(load(sys.argv[2])))
    else:
        print(json.dumps({"setup": setup, "check": check}[step](), default=str))
