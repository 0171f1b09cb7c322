"""Wadul Bae's holidays move to the city's calendar (kotacerdas.workdays).

Dates the calendar already has (its 2026 list comes from the SKB) stay as
the calendar has them; the others are copied as local days off, with a
source that asks an administrator to check them.
"""

from django.db import migrations

SOURCE = "Dipindahkan dari daftar libur Wadul Bae; sumber belum dicatat [verify]"


def copy(apps, schema_editor):
    Holiday = apps.get_model("reports", "Holiday")
    DayOff = apps.get_model("workdays", "DayOff")
    for holiday in Holiday.objects.all():
        DayOff.objects.get_or_create(
            date=holiday.date,
            defaults={"kind": "local", "name": holiday.name[:100], "source": SOURCE},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_pupil_confirmed"),
        ("workdays", "0002_backfill_days_off_2026_2027"),
    ]
    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
