# Step 2 of the move of Citizen to people (see people 0005): the foreign key
# points at people.Citizen in Django's state. Nothing changes in the database;
# people 0006 renames the table afterwards and the constraint follows it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hospital', '0005_delete_holiday'),
        ('people', '0005_citizen'),
    ]
    # Before the table is renamed (the old foreign keys were made on the old
    # name) and before messaging forgets the model this replaces.
    run_before = [
        ('people', '0006_citizen_table'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='booking',
                    name='citizen',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.citizen'),
                ),
            ],
            database_operations=[],
        ),
    ]
