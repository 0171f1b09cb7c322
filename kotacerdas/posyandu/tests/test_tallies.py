"""The SKDN tallies give the same figures as counting the raw rows, also after edits."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.posyandu import actions, skdn, stats, tallies
from kotacerdas.posyandu.models import (
    ChildRecord,
    Measurement,
    Posyandu,
    RegisterMonth,
    WeighingTally,
)
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def _figures(posyandu: list[Posyandu], months: list[dt.date], *, from_rows: bool) -> Any:
    counts = skdn.per_posyandu(posyandu, months, from_rows=from_rows)
    ages = {m: skdn.by_age_and_sex(posyandu, m, from_rows=from_rows) for m in months[-2:]}
    return counts, ages


def _assert_same(posyandu: list[Posyandu], months: list[dt.date]) -> None:
    from_tallies = _figures(posyandu, months, from_rows=False)
    from_rows = _figures(posyandu, months, from_rows=True)
    differ = [
        (pk, month, tallied, from_rows[0][pk][month])
        for pk, by_month in from_tallies[0].items()
        for month, tallied in by_month.items()
        if tallied != from_rows[0][pk][month]
    ]
    assert not differ, differ[:3]
    assert from_tallies[1] == from_rows[1]
    assert any(c.D for p in from_rows[0].values() for c in p.values())  # not all zeros


@pytest.fixture
def demo() -> list[Posyandu]:
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    # Services built after E-Posyandu's demo add children to the register: S and K
    # are as of the last run of the periodic command, as on a site.
    call_command("posyandu_tallies", stdout=io.StringIO())
    return list(Posyandu.objects.select_related("rw__kelurahan__parent").order_by("pk"))


def test_tallies_equal_the_raw_rows_on_the_demo_and_after_edits(demo: list[Posyandu]) -> None:
    months = skdn.months_up_to(months_ago(0, 1), 12)
    assert set(months) <= tallies.covered_months(months)  # the demo counted the register
    _assert_same(demo, months)
    _assert_same(demo[:3], months)  # a part of the city, as a puskesmas sees it

    cadre = User.objects.get(username="kader.kejaksan")
    weighing = Measurement.objects.filter(month=months[-2]).order_by("pk").first()
    assert weighing is not None
    child, other = weighing.child, next(p for p in demo if p.pk != weighing.posyandu_id)
    # A correction, weighed at another posyandu: both posyandu's counts change.
    actions.record_measurement(
        child,
        other,
        {"date": weighing.date, "weight": Decimal(str(weighing.weight)) - Decimal("0.8")},
        user=cadre,
        confirmed=True,
    )
    _assert_same(demo, months)
    # A weighing entered late: the later months' N/T/O/B change.
    earlier = Measurement.objects.filter(child=child).order_by("month").first()
    assert earlier is not None
    late = months_ago(11, 10) if earlier.month > months[0] else None
    if late is not None and late >= child.birth_date:
        actions.record_measurement(
            child, other, {"date": late, "weight": Decimal("7.0")}, user=cadre, confirmed=True
        )
        _assert_same(demo, months)
    # A weighing removed (the wrong child).
    removed = Measurement.objects.filter(month=months[-3]).order_by("-pk").first()
    assert removed is not None
    actions.remove_measurement(removed, "wrong_child", user=cadre)
    _assert_same(demo, months)
    # A KIA book marked missing: K changes at once.
    record, _ = ChildRecord.objects.get_or_create(child=child)
    actions.set_parents(
        child,
        mother=record.mother,
        father=record.father,
        has_kia_book=not record.has_kia_book,
        user=cadre,
        request=None,  # type: ignore[arg-type]
    )
    _assert_same(demo, months)


def test_the_nightly_rebuild_gives_the_same_tallies(demo: list[Posyandu]) -> None:
    before = sorted(WeighingTally.objects.values_list("posyandu_id", "month", "age_group", "D"))
    WeighingTally.objects.all().delete()
    RegisterMonth.objects.all().delete()
    call_command("posyandu_tallies_rebuild", stdout=io.StringIO())
    after = sorted(WeighingTally.objects.values_list("posyandu_id", "month", "age_group", "D"))
    assert before == after and before
    assert RegisterMonth.objects.count() == len(tallies.register_months())


def test_the_dashboard_figures_equal_the_raw_rows(demo: list[Posyandu]) -> None:
    year = timezone.localdate().year
    tallied = [figure(year) for figure in stats.FIGURES]
    RegisterMonth.objects.all().delete()  # S from the register itself
    WeighingTally.objects.all().delete()
    from_rows = [figure(year, from_rows=True) for figure in stats.FIGURES]  # type: ignore[call-arg]
    assert tallied == from_rows and all(tallied)


def test_a_month_not_counted_yet_is_read_from_the_register(
    demo: list[Posyandu], django_assert_max_num_queries: Any
) -> None:
    old = skdn.months_up_to(months_ago(40, 1), 3)
    assert not tallies.covered_months(old)
    with django_assert_max_num_queries(3):
        counted = skdn.per_posyandu(demo, old)
    assert counted == skdn.per_posyandu(demo, old, from_rows=True)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_weighings_already_stored(
    cadre: Any, posyandu: Any, make_child: Any
) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    for months_back, birth in ((0, 14), (1, 20), (0, 40)):
        child = make_child(birth_date=months_ago(birth, 1))
        fields = {"date": months_ago(months_back, 2), "weight": Decimal("9.5")}
        actions.record_measurement(child, posyandu, fields, user=cadre, confirmed=True)
    kept = sorted(
        WeighingTally.objects.values_list("posyandu_id", "month", "age_group", "sex", "D")
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("posyandu", "0007_skdn_tallies")])
    WeighingTally.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    counted = sorted(
        WeighingTally.objects.values_list("posyandu_id", "month", "age_group", "sex", "D")
    )
    assert counted == kept and len(kept) == 3
