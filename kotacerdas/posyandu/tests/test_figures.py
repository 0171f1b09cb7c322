"""E-Posyandu's figures for the city dashboard: the SKDN page's D, S and stunting, per kelurahan."""

from __future__ import annotations

import pytest

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.posyandu import skdn, stats
from kotacerdas.posyandu.tests.conftest import months_ago
from kotacerdas.posyandu.tests.test_reports import month_of_weighings  # noqa: F401 - a fixture
from kotacerdas.web.figures import Figure

pytestmark = pytest.mark.django_db


def this_month(figures: list[Figure]) -> dict[str, int]:
    month = months_ago(0, 1)
    return {figure.kelurahan: figure.value for figure in figures if figure.month == month}


@pytest.mark.usefixtures("month_of_weighings")
def test_d_s_and_stunting_per_kelurahan_agree_with_the_skdn_page(posyandu):
    year = months_ago(0, 1).year

    weighed = this_month(stats.children_weighed(year))
    under_five = this_month(stats.children_under_five(year))
    stunted = this_month(stats.children_stunted(year))

    assert weighed == {KEJAKSAN: 4, HARJAMUKTI: 1}
    assert under_five == {KEJAKSAN: 5, HARJAMUKTI: 1}
    assert stunted == {KEJAKSAN: 1}
    page = skdn.per_posyandu([posyandu], [months_ago(0, 1)])[posyandu.pk][months_ago(0, 1)]
    assert (page.D, page.S, page.stunted) == (4, 5, 1)


def test_under_fives_are_counted_in_every_month_they_were_under_five(make_child):
    make_child("Lahir", birth_date=months_ago(0, 1))
    year = months_ago(0, 1).year

    months = {figure.month for figure in stats.children_under_five(year)}

    assert min(months) == months_ago(0, 1)
    assert stats.children_weighed(year) == []


@pytest.mark.usefixtures("month_of_weighings")
def test_each_figure_costs_one_query(django_assert_max_num_queries):
    # S: which months the register tallies cover, then those tallies (or the register).
    for figure in stats.FIGURES:
        with django_assert_max_num_queries(2):
            figure(months_ago(0, 1).year)
