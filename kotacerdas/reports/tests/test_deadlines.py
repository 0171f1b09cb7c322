"""Wadul Bae's deadlines count the working days of the city's calendar."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.test import Client

from kotacerdas.reports import deadlines
from kotacerdas.reports.models import Report
from kotacerdas.reports.tests.test_intake import _file
from kotacerdas.workdays.models import DayOff

# Monday 17 March 2031: no migration loads days off in 2031.
MONDAY = dt.date(2031, 3, 17)


def test_verification_is_due_three_working_days_after_the_report(db, settings):
    settings.WADUL_VERIFY_DAYS = 3
    assert deadlines.verify_due(MONDAY) == dt.date(2031, 3, 20)
    assert deadlines.verify_due(dt.date(2031, 3, 21)) == dt.date(2031, 3, 26)


def test_a_day_off_in_the_city_calendar_moves_the_deadline_of_a_new_report(dp3a, settings):
    settings.WADUL_VERIFY_DAYS = 3
    DayOff.objects.create(
        date=dt.date(2031, 3, 19), kind="cuti_bersama", name="Cuti bersama", source="SKB uji"
    )
    with mock.patch("django.utils.timezone.localdate", return_value=MONDAY):
        _file(Client())
    assert Report.objects.get().verify_due == dt.date(2031, 3, 21)


def test_the_first_action_is_due_five_working_days_after_verification(db, settings):
    settings.WADUL_ACTION_DAYS = 5
    DayOff.objects.create(date=dt.date(2031, 3, 24), kind="local", name="Libur", source="Kepwal")
    assert deadlines.action_due(MONDAY) == dt.date(2031, 3, 25)
    assert deadlines.next_working_day(dt.date(2031, 3, 21)) == dt.date(2031, 3, 25)
