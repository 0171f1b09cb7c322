"""The national days off of 2026 and what is certain of 2027.

2026: the joint decree (SKB) of the Minister of Religious Affairs, the
Minister of Manpower and the Minister for State Apparatus (PANRB) No. 1497,
No. 2 and No. 5 of 2025, announced by Kemenko PMK on 19 September 2025:
17 national holidays and 8 days of cuti bersama.

2027: only the dates no decree can move (fixed dates, and those that follow
Western Easter, 28 March 2027, and the Chinese new year, 6 February 2027);
their source asks to check them against the 2027 SKB ("[verify]"). The
Islamic, Hindu and Buddhist holidays and the cuti bersama of 2027 are not
loaded: a city administrator enters them from the 2027 SKB in the admin
(docs/operations.md, "The working-day calendar").

An existing row for the same date is left as it is (someone entered it).
"""

import datetime as dt

from django.db import migrations

SKB_2026 = (
    "SKB Menag, Menaker dan MenPANRB No. 1497 Tahun 2025, No. 2 Tahun 2025, "
    "No. 5 Tahun 2025 (Hari Libur Nasional dan Cuti Bersama Tahun 2026)"
)
FIXED_2027 = "Tanggal tetap setiap tahun; cocokkan dengan SKB 3 Menteri tahun 2027 [verify]"
EASTER_2027 = "Dihitung dari Paskah 28 Maret 2027; cocokkan dengan SKB 3 Menteri tahun 2027 [verify]"
IMLEK_2027 = "Tahun Baru Imlek 6 Februari 2027; cocokkan dengan SKB 3 Menteri tahun 2027 [verify]"

NATIONAL, CUTI = "national", "cuti_bersama"

DAYS_OFF = [
    ("2026-01-01", NATIONAL, "Tahun Baru 2026 Masehi", SKB_2026),
    ("2026-01-16", NATIONAL, "Isra Mikraj Nabi Muhammad SAW", SKB_2026),
    ("2026-02-16", CUTI, "Cuti bersama Tahun Baru Imlek", SKB_2026),
    ("2026-02-17", NATIONAL, "Tahun Baru Imlek 2577 Kongzili", SKB_2026),
    ("2026-03-18", CUTI, "Cuti bersama Hari Suci Nyepi", SKB_2026),
    ("2026-03-19", NATIONAL, "Hari Suci Nyepi Tahun Baru Saka 1948", SKB_2026),
    ("2026-03-20", CUTI, "Cuti bersama Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-03-21", NATIONAL, "Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-03-22", NATIONAL, "Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-03-23", CUTI, "Cuti bersama Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-03-24", CUTI, "Cuti bersama Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-04-03", NATIONAL, "Wafat Yesus Kristus", SKB_2026),
    ("2026-04-05", NATIONAL, "Kebangkitan Yesus Kristus (Paskah)", SKB_2026),
    ("2026-05-01", NATIONAL, "Hari Buruh Internasional", SKB_2026),
    ("2026-05-14", NATIONAL, "Kenaikan Yesus Kristus", SKB_2026),
    ("2026-05-15", CUTI, "Cuti bersama Kenaikan Yesus Kristus", SKB_2026),
    ("2026-05-27", NATIONAL, "Iduladha 1447 Hijriah", SKB_2026),
    ("2026-05-28", CUTI, "Cuti bersama Iduladha 1447 Hijriah", SKB_2026),
    ("2026-05-31", NATIONAL, "Hari Raya Waisak 2570 BE", SKB_2026),
    ("2026-06-01", NATIONAL, "Hari Lahir Pancasila", SKB_2026),
    ("2026-06-16", NATIONAL, "1 Muharam Tahun Baru Islam 1448 Hijriah", SKB_2026),
    ("2026-08-17", NATIONAL, "Proklamasi Kemerdekaan Republik Indonesia", SKB_2026),
    ("2026-08-25", NATIONAL, "Maulid Nabi Muhammad SAW", SKB_2026),
    ("2026-12-24", CUTI, "Cuti bersama Kelahiran Yesus Kristus", SKB_2026),
    ("2026-12-25", NATIONAL, "Kelahiran Yesus Kristus", SKB_2026),
    ("2027-01-01", NATIONAL, "Tahun Baru 2027 Masehi", FIXED_2027),
    ("2027-02-06", NATIONAL, "Tahun Baru Imlek 2578 Kongzili", IMLEK_2027),
    ("2027-03-26", NATIONAL, "Wafat Yesus Kristus", EASTER_2027),
    ("2027-03-28", NATIONAL, "Kebangkitan Yesus Kristus (Paskah)", EASTER_2027),
    ("2027-05-01", NATIONAL, "Hari Buruh Internasional", FIXED_2027),
    ("2027-05-06", NATIONAL, "Kenaikan Yesus Kristus", EASTER_2027),
    ("2027-06-01", NATIONAL, "Hari Lahir Pancasila", FIXED_2027),
    ("2027-08-17", NATIONAL, "Proklamasi Kemerdekaan Republik Indonesia", FIXED_2027),
    ("2027-12-25", NATIONAL, "Kelahiran Yesus Kristus", FIXED_2027),
]


def add(apps, schema_editor):
    DayOff = apps.get_model("workdays", "DayOff")
    for date, kind, name, source in DAYS_OFF:
        DayOff.objects.get_or_create(
            date=dt.date.fromisoformat(date),
            defaults={"kind": kind, "name": name, "source": source},
        )


def remove(apps, schema_editor):
    DayOff = apps.get_model("workdays", "DayOff")
    for date, _kind, name, source in DAYS_OFF:
        DayOff.objects.filter(date=dt.date.fromisoformat(date), name=name, source=source).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
