"""Older alerts (one row per reason) become one open alert per visit; handled ones stay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kotacerdas.posyandu import actions
from kotacerdas.posyandu.models import Alert
from kotacerdas.posyandu.tests.conftest import months_ago

BEFORE = [("posyandu", "0003_dose_max_age")]


@pytest.mark.django_db(transaction=True)
def test_a_visits_open_alerts_are_merged_and_handled_ones_kept(
    cadre: Any, posyandu: Any, make_child: Any
) -> None:
    child = make_child(birth_date=months_ago(14, 1))
    fields = {"date": months_ago(0, 1), "weight": Decimal("6.3")}
    m = actions.record_measurement(child, posyandu, fields, user=cadre).measurement
    Alert.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("posyandu", "Alert")
    for kind in ("bgm", "stunting"):
        old.objects.create(measurement_id=m.pk, posyandu_id=posyandu.pk, kind=kind)
    handled = old.objects.create(
        measurement_id=m.pk,
        posyandu_id=posyandu.pk,
        kind="2t",
        handled_at=timezone.now(),
        handled_by_id=cadre.pk,
        handled_note="Dirujuk",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    open_alert = Alert.objects.get(measurement=m, handled_at=None)
    assert open_alert.reason_list == ["bgm", "stunting"]
    kept = Alert.objects.get(pk=handled.pk)
    assert kept.reason_list == ["2t"] and kept.handled_note == "Dirujuk"
    assert Alert.objects.filter(measurement=m).count() == 2
