"""`make bench`: time the platform on PostgreSQL and print each figure beside its target.

Throughput and latency figures under a server are printed beside the same run's
hello-world page (``/halo``) on the same server settings, and their ratio to it:
these machines are shared and noisy, and the ratio is what carries over.

    .venv/bin/python bench/run.py                       # everything, database dropped at the end
    .venv/bin/python bench/run.py hospital --json       # one JSON object per figure per line
    .venv/bin/python bench/run.py pages --keep-db       # re-time pages on the kept demo city

A part is a module of ``bench/`` with ``run() -> list[Figure]``; add it to ``PARTS``.
Parts in ``NEEDS_CITY`` run on the city-scale demo (343,000 residents), built first.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    audit,
    births,
    common,
    dashboard,
    demo_city,
    growth,
    hospital,
    imports,
    kelurahan,
    literacy,
    nik,
    opendata,
    pages,
    posyandu,
    reports,
    scale,
    sms_kannel,
)

PARTS: dict[str, Callable[[], list[common.Figure]]] = {
    "demo_city": demo_city.run,
    "pages": pages.run,
    "nik": nik.run,
    "sms_kannel": sms_kannel.run,
    "reports": reports.run,
    "growth": growth.run,
    "posyandu": posyandu.run,
    "births": births.run,
    "hospital": hospital.run,
    "scale": scale.run,
    "literacy": literacy.run,
    "dashboard": dashboard.run,
    "audit": audit.run,
    "kelurahan": kelurahan.run,
    "imports": imports.run,
    "opendata": opendata.run,
}
NEEDS_CITY = {"pages", "opendata"}
ALIASES = {"demo": "demo_city", "sms": "sms_kannel"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("part", nargs="*", help=f"parts to run, among {', '.join(PARTS)}")
    parser.add_argument("--only", default="", help="the same, comma-separated")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per figure on its own line (progress goes to stderr)",
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help=f"keep {common.DB_NAME} at the end, and reuse it for the pages if it already exists",
    )
    args = parser.parse_args(argv)
    named = [*args.part, *(p.strip() for p in args.only.split(",") if p.strip())]
    parts = [ALIASES.get(p, p) for p in named] or list(PARTS)
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")

    # This process's own Django (query counts, NIK checks) uses the bench database too.
    os.environ.update(common.bench_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    os.environ["DEBUG"] = "false"

    out = sys.stdout
    figures: list[common.Figure] = []
    with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
        figures = _run(parts, keep_db=args.keep_db)
    if args.json:
        for figure in figures:
            print(json.dumps(figure.as_json(), ensure_ascii=False), file=out, flush=True)
    missed = [f for f in figures if f.met is False]
    return 1 if missed and os.environ.get("BENCH_STRICT") else 0


def _run(parts: list[str], *, keep_db: bool) -> list[common.Figure]:
    figures: list[common.Figure] = []
    built = False
    try:
        city_wanted = any(p in NEEDS_CITY for p in parts)
        if "demo_city" in parts or (
            city_wanted and not (keep_db and common.database_exists(common.DB_NAME))
        ):
            built = True
            figures += demo_city.run()
            if city_wanted:
                demo_city.vacuum()
        for part in parts:
            if part != "demo_city":
                figures += PARTS[part]()
    finally:
        if built and not keep_db and common.database_exists(common.DB_NAME):
            common.drop_database(common.DB_NAME)
            print(f"dropped {common.DB_NAME}", flush=True)
        if figures:
            print()
            print(common.table(figures))
            print(f"\n(saved in {common.save(figures).relative_to(common.ROOT)})")
    return figures


if __name__ == "__main__":
    sys.exit(main())
