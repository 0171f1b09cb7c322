"""Count the weighings already stored into the new tallies (the register's are
counted by the periodic posyandu_tallies; until then SKDN reads the register)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Case, Count, IntegerField, Q, Value, When

AGE_GROUPS = [(0, 5), (6, 11), (12, 23), (24, 35), (36, 59)]
COUNTS = {
    "D": Q(),
    "N": Q(growth="N"),
    "T": Q(growth="T"),
    "two_t": Q(two_t=True),
    "O": Q(growth="O"),
    "B": Q(growth="B"),
    "BGM": Q(bgm=True),
    "stunted": Q(cat_pb_u__in=("stunted", "severely_stunted")),
    "wasted": Q(cat_bb_pb__in=("wasted", "severely_wasted")),
}


def count_weighings(apps: Any, schema_editor: Any) -> None:
    Measurement = apps.get_model("posyandu", "Measurement")
    WeighingTally = apps.get_model("posyandu", "WeighingTally")
    group = Case(
        *(
            When(age_months__gte=low, age_months__lte=high, then=Value(i))
            for i, (low, high) in enumerate(AGE_GROUPS)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )
    rows = (
        Measurement.objects.annotate(group=group)
        .values("posyandu_id", "month", "group", "child__sex")
        .annotate(**{name: Count("id", filter=q) for name, q in COUNTS.items()})
        .order_by()
    )
    WeighingTally.objects.bulk_create(
        (
            WeighingTally(
                posyandu_id=row["posyandu_id"],
                month=row["month"],
                age_group=row["group"],
                sex=row["child__sex"] or "",
                **{name: row[name] for name in COUNTS},
            )
            for row in rows.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("posyandu", "0007_skdn_tallies")]

    operations = [migrations.RunPython(count_weighings, migrations.RunPython.noop)]
