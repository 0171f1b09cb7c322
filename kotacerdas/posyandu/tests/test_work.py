"""E-Posyandu's lines on the "my work" page: children still to weigh, alerts to follow up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas.posyandu import actions, work
from kotacerdas.posyandu.models import Alert
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def _counts(user) -> list[int]:
    return [item.count for item in work.posyandu_work(user)]


def test_a_cadre_sees_who_is_not_weighed_yet_and_the_open_alerts(
    cadre, other_cadre, posyandu, make_child, rw_operator
):
    weighed = make_child("Aisyah Putri")
    make_child("Bima Saputra", sex="M")
    make_child("Citra Harjamukti", kelurahan="32.74.03.1002")  # another posyandu's child
    measurement = {"date": months_ago(0, 1), "weight": Decimal("6.3"), "lenhei": Decimal("68")}
    actions.record_measurement(
        weighed, posyandu, {**measurement, "measure": "l"}, user=cadre, confirmed=True
    )
    alerts = Alert.objects.filter(handled_at=None).count()

    assert alerts >= 1  # 6.3 kg at 14 months is below the red line
    assert _counts(cadre) == [1, alerts]
    assert _counts(other_cadre) == [1, 0]  # her own child, none of Kejaksan's alerts
    assert work.posyandu_work(rw_operator) == []
