"""National holidays of 2026 for working-day deadlines.

From the government's joint decree (SKB 3 Menteri) as published in late
2025 [verify with Bagian Umum; collective leave days (cuti bersama) are
not included]. Administrators add local and later holidays in the admin.
"""

import datetime as dt

from django.db import migrations

HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru 2026 Masehi"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"),
    ("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948"),
    ("2026-03-20", "Idulfitri 1447 Hijriah"),
    ("2026-03-21", "Idulfitri 1447 Hijriah"),
    ("2026-04-03", "Wafat Yesus Kristus"),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2026-05-01", "Hari Buruh Internasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-27", "Iduladha 1447 Hijriah"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE"),
    ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "1 Muharam Tahun Baru Islam 1448 Hijriah"),
    ("2026-08-17", "Hari Proklamasi Kemerdekaan RI"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW"),
    ("2026-12-25", "Hari Raya Natal"),
]


def add(apps, schema_editor):
    Holiday = apps.get_model("reports", "Holiday")
    for date, name in HOLIDAYS_2026:
        Holiday.objects.get_or_create(date=dt.date.fromisoformat(date), defaults={"name": name})


def remove(apps, schema_editor):
    Holiday = apps.get_model("reports", "Holiday")
    Holiday.objects.filter(date__in=[dt.date.fromisoformat(d) for d, _ in HOLIDAYS_2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
