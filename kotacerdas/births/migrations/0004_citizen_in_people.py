# Step 2 of the move of Citizen to people (see people 0005): the foreign keys
# point at people.Citizen in Django's state. Nothing changes in the database;
# people 0006 renames the table afterwards and the constraints follow it.

import django.db.models.deletion
from django.db import migrations, models


def _citizen_fk() -> models.ForeignKey:
    return models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.citizen')


class Migration(migrations.Migration):

    dependencies = [
        ('births', '0003_declaration_claim'),
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
                migrations.AlterField(model_name='correction', name='requested_by_citizen', field=_citizen_fk()),
                migrations.AlterField(model_name='declaration', name='claimed_by', field=_citizen_fk()),
                migrations.AlterField(model_name='declaration', name='declared_by_citizen', field=_citizen_fk()),
            ],
            database_operations=[],
        ),
    ]
