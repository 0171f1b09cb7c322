"""The hospital's holidays become closures of the hospital.

They were entered by the hospital's clerks for their own unit, so they say
when the clinics were closed, not what the city's calendar is: each becomes
a HospitalClosure with the same date and its name as the reason. None is
copied into the city's calendar (a day the hospital closed is not a day off
for Wadul Bae's deadlines); the city's days off come from ``workdays``.
"""

from django.db import migrations


def copy(apps, schema_editor):
    Holiday = apps.get_model("hospital", "Holiday")
    HospitalClosure = apps.get_model("hospital", "HospitalClosure")
    for holiday in Holiday.objects.all():
        HospitalClosure.objects.get_or_create(
            unit_id=holiday.unit_id, date=holiday.date, defaults={"reason": holiday.name}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hospital", "0003_hospitalclosure"),
        # Sessions are closed on the city's days off from here on.
        ("workdays", "0002_backfill_days_off_2026_2027"),
    ]
    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
