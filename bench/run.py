"""`make bench`: build the demo city in a throwaway PostgreSQL database, time it,
time the residents pages on it, time NIK checks; print each figure with its target.

    .venv/bin/python bench/run.py                 # everything, database dropped at the end
    .venv/bin/python bench/run.py --only pages --keep-db   # re-time pages on the kept city
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    births,
    common,
    demo_city,
    growth,
    hospital,
    nik,
    pages,
    posyandu,
    reports,
    sms_kannel,
)

PARTS = ("demo", "pages", "nik", "sms", "reports", "growth", "posyandu", "births", "hospital")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts among {', '.join(PARTS)}"
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help=f"keep {common.DB_NAME} at the end, and reuse it for the pages if it already exists",
    )
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")

    # This process's own Django (query counts, NIK checks) uses the bench database too.
    os.environ.update(common.bench_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    os.environ["DEBUG"] = "false"

    figures: list[common.Figure] = []
    built = False
    try:
        if "demo" in parts or (
            "pages" in parts and not (args.keep_db and common.database_exists(common.DB_NAME))
        ):
            built = True
            figures += demo_city.run()
            if "pages" in parts:
                demo_city.vacuum()
        if "pages" in parts:
            figures += pages.run()
        if "nik" in parts:
            figures += nik.run()
        if "sms" in parts:
            figures += sms_kannel.run()
        if "reports" in parts:
            figures += reports.run()
        if "growth" in parts:
            figures += growth.run()
        if "posyandu" in parts:
            figures += posyandu.run()
        if "births" in parts:
            figures += births.run()
        if "hospital" in parts:
            figures += hospital.run()
    finally:
        if built and not args.keep_db and common.database_exists(common.DB_NAME):
            common.drop_database(common.DB_NAME)
            print(f"dropped {common.DB_NAME}", flush=True)
        if figures:
            print()
            print(common.table(figures))
            print(f"\n(saved in {common.save(figures).relative_to(common.ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
