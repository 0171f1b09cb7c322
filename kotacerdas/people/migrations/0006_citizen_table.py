# Step 3 of the move of Citizen to people (see 0005): the table is renamed
# messaging_citizen -> people_citizen. Foreign keys follow the table (PostgreSQL
# keeps them by the table's identity; SQLite >= 3.26 rewrites the references).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_citizen'),
    ]

    operations = [
        # db_table back to the default, people_citizen.
        migrations.AlterModelTable(name='citizen', table=None),
    ]
