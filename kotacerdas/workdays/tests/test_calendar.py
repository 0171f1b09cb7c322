"""Working days: weekends from the setting, days off from the table, in few queries.

The dates are in 2031, a year no migration loads, so each test decides its
own days off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kotacerdas.workdays.calendar import (
    add_working_days,
    days_off,
    is_working_day,
    working_days_between,
)
from kotacerdas.workdays.models import DayOff

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2031, 3, 17)
FRIDAY = D(2031, 3, 21)


def off(date: dt.date, kind: str = DayOff.Kind.NATIONAL, name: str = "Libur") -> DayOff:
    return DayOff.objects.create(date=date, kind=kind, name=name, source="SKB uji")


def test_weekends_and_days_off_are_not_working_days() -> None:
    off(D(2031, 3, 19), DayOff.Kind.COLLECTIVE_LEAVE)
    assert is_working_day(MONDAY)
    assert not is_working_day(D(2031, 3, 19))
    assert not is_working_day(D(2031, 3, 22))  # Saturday
    assert not is_working_day(D(2031, 3, 23))  # Sunday


def test_a_city_with_a_saturday_service_sets_only_sunday_as_weekend(settings: Any) -> None:
    settings.WORKDAYS_WEEKEND = frozenset({7})
    assert is_working_day(D(2031, 3, 22))
    assert add_working_days(FRIDAY, 1) == D(2031, 3, 22)
    assert add_working_days(FRIDAY, 2) == D(2031, 3, 24)


def test_add_working_days_skips_weekends_and_every_kind_of_day_off() -> None:
    assert add_working_days(MONDAY, 3) == D(2031, 3, 20)
    off(D(2031, 3, 18), DayOff.Kind.NATIONAL)
    off(D(2031, 3, 20), DayOff.Kind.LOCAL)
    # Tue and Thu off: Wed, Fri, (weekend), Mon.
    assert add_working_days(MONDAY, 3) == D(2031, 3, 24)
    assert add_working_days(FRIDAY, 0) == FRIDAY
    assert add_working_days(D(2031, 3, 24), -3) == D(2031, 3, 17)


def test_a_count_that_starts_on_a_day_off_does_not_count_that_day() -> None:
    off(MONDAY)
    assert add_working_days(MONDAY, 1) == D(2031, 3, 18)


def test_add_working_days_reads_each_year_once(django_assert_num_queries: Any) -> None:
    off(D(2031, 12, 31))
    off(D(2032, 1, 1))
    with django_assert_num_queries(2):
        # Tue 30 Dec 2031 + 2: Wed 31 and Thu 1 Jan are off -> Fri 2, Mon 5.
        assert add_working_days(D(2031, 12, 30), 2) == D(2032, 1, 5)
    with django_assert_num_queries(1):
        assert add_working_days(MONDAY, 60) == D(2031, 6, 9)


def test_working_days_between_is_the_inverse_of_add_working_days() -> None:
    off(D(2031, 3, 18))
    off(D(2031, 4, 1), DayOff.Kind.COLLECTIVE_LEAVE)
    for days in (0, 1, 2, 5, 13):
        end = add_working_days(MONDAY, days)
        assert working_days_between(MONDAY, end) == days
    assert working_days_between(D(2031, 3, 24), MONDAY) == -4
    assert working_days_between(FRIDAY, D(2031, 3, 23)) == 0


def test_days_off_lists_the_range_in_order_and_filters_by_kind() -> None:
    off(D(2031, 5, 2), DayOff.Kind.LOCAL, "Libur daerah")
    off(D(2031, 5, 1), DayOff.Kind.NATIONAL, "Hari Buruh")
    off(D(2031, 6, 1), DayOff.Kind.NATIONAL, "Pancasila")
    found = days_off(D(2031, 5, 1), D(2031, 5, 31))
    assert [d.name for d in found] == ["Hari Buruh", "Libur daerah"]
    only = days_off(D(2031, 5, 1), D(2031, 6, 1), kinds=[DayOff.Kind.NATIONAL])
    assert [d.name for d in only] == ["Hari Buruh", "Pancasila"]


def test_a_day_off_counts_at_once_without_a_cache_to_clear() -> None:
    assert add_working_days(MONDAY, 1) == D(2031, 3, 18)
    off(D(2031, 3, 18))
    assert add_working_days(MONDAY, 1) == D(2031, 3, 19)
    DayOff.objects.filter(date=D(2031, 3, 18)).delete()
    assert add_working_days(MONDAY, 1) == D(2031, 3, 18)


def test_the_2026_calendar_is_loaded_from_the_skb() -> None:
    year = DayOff.objects.filter(date__year=2026)
    assert year.filter(kind=DayOff.Kind.NATIONAL).count() == 17
    assert year.filter(kind=DayOff.Kind.COLLECTIVE_LEAVE).count() == 8
    lebaran = DayOff.objects.get(date=D(2026, 3, 21))
    assert lebaran.name == "Idulfitri 1447 Hijriah" and "1497" in lebaran.source
    # Wed 18 March (cuti bersama) to Tue 24 March: no working day.
    assert add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)


def test_2027_holds_only_dates_no_decree_can_move_and_asks_to_verify_them() -> None:
    year = DayOff.objects.filter(date__year=2027)
    assert set(year.values_list("date", flat=True)) >= {D(2027, 1, 1), D(2027, 8, 17)}
    assert all("[verify]" in source for source in year.values_list("source", flat=True))
