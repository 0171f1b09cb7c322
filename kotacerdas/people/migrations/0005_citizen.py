# Citizen accounts move from messaging to the register (issue 11); the rows stay.
# 1. people 0005 (this): people takes the model over in Django's state only, on
#    the existing table messaging_citizen.
# 2. births 0004, hospital 0003: their foreign keys point at people.Citizen in
#    the state; nothing changes in the database.
# 3. people 0006: AlterModelTable renames the table to people_citizen. It runs
#    after every migration that creates a foreign key to the old table (the
#    services' repointing migrations are run_before it), so a fresh database
#    never references a table that has already been renamed.
# 4. messaging 0002: messaging forgets its Citizen in the state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0001_initial'),
        ('people', '0004_list_order_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Citizen',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('phone', models.CharField(max_length=16, unique=True, verbose_name='phone')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('last_sign_in', models.DateTimeField(blank=True, null=True)),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.person')),
                    ],
                    options={
                        'verbose_name': 'citizen account',
                        'verbose_name_plural': 'citizen accounts',
                        'db_table': 'messaging_citizen',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
