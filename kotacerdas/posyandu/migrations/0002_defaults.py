"""Default KBM table and national immunisation schedule (posyandu.md §5, §7).

Both are data the Dinkes nutrition and immunisation officers sign off and
may change in the admin: KBM months 3 and 7 are disputed (800/600, 400/300),
the rotavirus schedule too (2/3/4 months used here), IPV2 at 9 months
[verify]; JE is not given in Kota Cirebon [verify].
"""

from django.db import migrations

# Age in completed months from which the minimum gain (g) applies.
KBM = [(0, 800), (1, 800), (2, 900), (3, 800), (4, 600), (5, 500), (6, 400), (7, 400),
       (8, 300), (9, 300), (10, 300), (11, 200), (12, 200)]

MONTH = 30  # a schedule month, in days (WHO: 30.4375; schedules round to weeks/months)
# antigen, dose, label, recommended age (days), minimum age (days), minimum interval (days)
SCHEDULE = [
    ("HB0", 1, "HB0 (< 24 jam)", 0, 0, 0),
    ("BCG", 1, "BCG", MONTH, 0, 0),
    ("OPV", 1, "Polio tetes (OPV) 1", MONTH, 0, 0),
    ("DPT-HB-Hib", 1, "DPT-HB-Hib 1", 2 * MONTH, 42, 0),
    ("OPV", 2, "Polio tetes (OPV) 2", 2 * MONTH, 42, 28),
    ("PCV", 1, "PCV 1", 2 * MONTH, 42, 0),
    ("RV", 1, "Rotavirus 1", 2 * MONTH, 42, 0),
    ("DPT-HB-Hib", 2, "DPT-HB-Hib 2", 3 * MONTH, 70, 28),
    ("OPV", 3, "Polio tetes (OPV) 3", 3 * MONTH, 70, 28),
    ("PCV", 2, "PCV 2", 3 * MONTH, 70, 28),
    ("RV", 2, "Rotavirus 2", 3 * MONTH, 70, 28),
    ("DPT-HB-Hib", 3, "DPT-HB-Hib 3", 4 * MONTH, 98, 28),
    ("OPV", 4, "Polio tetes (OPV) 4", 4 * MONTH, 98, 28),
    ("IPV", 1, "Polio suntik (IPV) 1", 4 * MONTH, 98, 0),
    ("RV", 3, "Rotavirus 3", 4 * MONTH, 98, 28),
    ("MR", 1, "Campak-Rubela (MR) 1", 9 * MONTH, 9 * MONTH, 0),
    ("IPV", 2, "Polio suntik (IPV) 2", 9 * MONTH, 9 * MONTH, 28),
    ("PCV", 3, "PCV 3", 12 * MONTH, 12 * MONTH, 28),
    ("DPT-HB-Hib", 4, "DPT-HB-Hib 4 (lanjutan)", 18 * MONTH, 18 * MONTH, 365),
    ("MR", 2, "Campak-Rubela (MR) 2", 18 * MONTH, 18 * MONTH, 180),
]


def add(apps, schema_editor):
    MinimumGain = apps.get_model("posyandu", "MinimumGain")
    ScheduleDose = apps.get_model("posyandu", "ScheduleDose")
    for months, grams in KBM:
        MinimumGain.objects.get_or_create(age_months=months, defaults={"grams": grams})
    for antigen, dose, label, age, minimum, interval in SCHEDULE:
        ScheduleDose.objects.get_or_create(
            antigen=antigen,
            dose=dose,
            defaults={
                "label": label,
                "age_days": age,
                "min_age_days": minimum,
                "min_interval_days": interval,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("posyandu", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
