from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("posyandu", "0005_backfill_alert_reasons")]

    operations = [
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                condition=models.Q(("handled_at", None)),
                fields=("measurement",),
                name="one_open_alert_per_visit",
            ),
        ),
    ]
