# Step 4 of the move of Citizen to people (see people 0005): messaging forgets
# the model in Django's state only; the table is people's now, nothing is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0001_initial'),
        ('people', '0006_citizen_table'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Citizen')],
            database_operations=[],
        ),
    ]
