from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("hospital", "0004_backfill_hospital_closures")]

    operations = [migrations.DeleteModel(name="Holiday")]
