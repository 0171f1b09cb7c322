# Old alerts had one row per reason. Every row gets its reasons (its own kind);
# a visit's open alerts are merged into its oldest open one, so the officer
# handles the visit once. Handled rows stay as they were, note and all.

from django.db import migrations
from django.db.models import F


def merge_open_alerts(apps, schema_editor):
    Alert = apps.get_model("posyandu", "Alert")
    Alert.objects.filter(reasons="").update(reasons=F("kind"))
    open_alerts = Alert.objects.filter(handled_at=None).order_by("measurement_id", "created_at", "id")
    keep = None
    reasons: list[str] = []
    extra: list[int] = []

    def flush():
        if keep is not None and len(reasons) > 1:
            keep.reasons = ",".join(reasons)
            keep.save(update_fields=["reasons"])

    for alert in open_alerts.iterator():
        if keep is None or alert.measurement_id != keep.measurement_id:
            flush()
            keep, reasons = alert, [alert.kind]
            continue
        if alert.kind not in reasons:
            reasons.append(alert.kind)
        extra.append(alert.pk)
    flush()
    Alert.objects.filter(pk__in=extra).delete()


class Migration(migrations.Migration):
    dependencies = [("posyandu", "0004_alert_reasons")]

    operations = [migrations.RunPython(merge_open_alerts, migrations.RunPython.noop)]
