"""Brojol's figures for the city dashboard count real declarations per kelurahan and month."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kotacerdas.births import stats
from kotacerdas.births.models import Declaration
from kotacerdas.conftest import KEJAKSAN
from kotacerdas.web.figures import Figure


def test_reported_and_registered_births_are_counted_where_the_family_lives(
    registered, make_declaration
):
    make_declaration()  # a draft: not reported yet
    year = timezone.localdate().year
    month = timezone.localdate().replace(day=1)

    assert stats.births_reported(year) == [Figure(KEJAKSAN, month, 1)]
    assert stats.births_registered(year) == [Figure(KEJAKSAN, month, 1)]
    assert stats.births_reported(year - 1) == []


def test_a_birth_counts_in_the_month_it_was_sent(submitted):
    sent = timezone.make_aware(dt.datetime(timezone.localdate().year - 1, 3, 31, 23, 30))
    Declaration.objects.filter(pk=submitted.pk).update(submitted_at=sent)

    assert stats.births_reported(sent.year) == [Figure(KEJAKSAN, dt.date(sent.year, 3, 1), 1)]
    assert stats.births_registered(sent.year) == []
