"""Wadul Bae's figures for the city dashboard count real rows per kelurahan and month."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.reports import stats
from kotacerdas.reports.models import Case, Report
from kotacerdas.reports.tests.test_stats import make_case
from kotacerdas.web.figures import Figure


def test_reports_and_cases_are_counted_per_kelurahan_and_month(dp3a):
    make_case(dp3a, category="physical")
    make_case(dp3a, category="physical")
    make_case(dp3a, category="bullying", kelurahan=HARJAMUKTI)
    old = make_case(dp3a)
    today = timezone.localdate()
    last_year = timezone.make_aware(dt.datetime(today.year - 1, 6, 15, 10))
    Report.objects.filter(case=old).update(created_at=last_year)
    Case.objects.filter(pk=old.pk).update(opened_at=last_year)
    month = today.replace(day=1)

    assert stats.reports_received(today.year) == [
        Figure(KEJAKSAN, month, 2),
        Figure(HARJAMUKTI, month, 1),
    ]
    assert stats.cases_opened(today.year) == [
        Figure(KEJAKSAN, month, 2, "physical"),
        Figure(HARJAMUKTI, month, 1, "bullying"),
    ]
    assert stats.reports_received(today.year - 1) == [
        Figure(KEJAKSAN, dt.date(today.year - 1, 6, 1), 1)
    ]
    assert stats.cases_opened(today.year - 1) == [
        Figure(KEJAKSAN, dt.date(today.year - 1, 6, 1), 1, "physical")
    ]


def test_each_figure_costs_one_query(dp3a, django_assert_num_queries):
    make_case(dp3a)
    for figure in stats.FIGURES:
        with django_assert_num_queries(1):
            figure(timezone.localdate().year)
