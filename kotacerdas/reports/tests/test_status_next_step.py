"""The public status page says what happens next and by when, and the numbers call."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from kotacerdas.reports import actions, progress
from kotacerdas.reports.models import Report
from kotacerdas.workdays.calendar import working_days_between

STORY = "Anak tetangga sering dipukul ayahnya sampai menangis keras."


def _report() -> Report:
    Client().post(reverse("reports:report"), {"story": STORY, "age_group": "5-12"})
    return Report.objects.get()


def _status(code: str) -> str:
    return Client().post(reverse("reports:status"), {"code": code}).text


def test_a_new_report_says_who_checks_it_and_by_which_day(dp3a):
    report = _report()

    page = _status(report.tracking_code)

    with override("id"):
        day = date_format(report.verify_due, "l, j F Y")
    left = working_days_between(timezone.localdate(), report.verify_due)
    assert day in page
    assert f"{left} hari kerja lagi" in page
    assert "Petugas perlindungan membaca laporan" in page
    assert STORY not in page


def test_the_emergency_numbers_are_links_that_call(dp3a):
    page = Client().get(reverse("reports:status")).text

    assert 'href="tel:129"' in page and 'href="tel:112"' in page
    assert 'href="tel:129"' in Client().get(reverse("reports:report")).text


def test_a_case_says_the_first_step_and_its_day_then_says_when_it_is_late(dp3a, officer):
    report = _report()
    case = actions.open_case(report, category="physical", reason="ok", actor=officer, request=None)
    report.refresh_from_db()

    with override("id"):
        on_time = progress.next_step(report)
        day = date_format(case.action_due, "l, j F Y")
        late = progress.next_step(report, today=case.action_due + dt.timedelta(days=1))

    assert "membuka kasus" in on_time and day in on_time
    assert "terlambat" in late and day in late


def test_an_overdue_check_is_called_late_and_a_closed_report_says_what_to_do(dp3a, officer):
    report = _report()
    with override("id"):
        late = progress.next_step(report, today=report.verify_due + dt.timedelta(days=1))
    actions.close_report(report, close_reason="spam", note="tes", actor=officer, request=None)
    report.refresh_from_db()
    with override("id"):
        closed = progress.next_step(report)

    assert "terlambat" in late
    assert "laporan baru" in closed
