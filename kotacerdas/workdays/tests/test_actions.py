"""Changes to the calendar: validated, audited, announced after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.audit.models import AuditEvent
from kotacerdas.workdays import actions
from kotacerdas.workdays.models import DayOff
from kotacerdas.workdays.signals import days_off_changed

pytestmark = pytest.mark.django_db

DAY = dt.date(2031, 8, 18)
SOURCE = "Keputusan Wali Kota Cirebon No. 100/2031"


@pytest.fixture
def announced() -> Any:
    got: list[list[dt.date]] = []

    def listen(sender: Any, *, dates: list[dt.date], **kwargs: Any) -> None:
        got.append(dates)

    days_off_changed.connect(listen)
    yield got
    days_off_changed.disconnect(listen)


def test_adding_a_day_off_is_audited_and_announced_after_the_commit(
    announced: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        day = actions.add_day_off(
            date=DAY, kind=DayOff.Kind.LOCAL, name="  Libur daerah ", source=SOURCE
        )
    assert announced == []
    for callback in callbacks:
        callback()
    assert announced == [[DAY]]
    assert DayOff.objects.get(date=DAY).name == "Libur daerah"
    event = AuditEvent.objects.get(action="workdays.day_off.add")
    assert event.object_id == str(day.pk) and event.details["kind"] == "local"


def test_a_day_off_without_a_source_is_refused_and_nothing_is_stored() -> None:
    with pytest.raises(ValidationError) as caught:
        actions.add_day_off(date=DAY, kind=DayOff.Kind.LOCAL, name="Libur", source="  ")
    assert "sumber" in caught.value.message_dict["source"][0]
    assert not DayOff.objects.filter(date=DAY).exists()
    assert not AuditEvent.objects.filter(action="workdays.day_off.add").exists()


def test_a_second_day_off_on_the_same_date_is_refused_by_name() -> None:
    actions.add_day_off(date=DAY, kind=DayOff.Kind.LOCAL, name="Hari Jadi", source=SOURCE)
    with pytest.raises(ValidationError) as caught:
        actions.add_day_off(date=DAY, kind=DayOff.Kind.NATIONAL, name="Lain", source=SOURCE)
    assert "sudah ada di kalender" in caught.value.message_dict["date"][0]
    assert "Hari Jadi" in caught.value.message_dict["date"][0]
    assert DayOff.objects.filter(date=DAY).count() == 1


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        actions.add_day_off(date=DAY, kind="weekend", name="Libur", source=SOURCE)
    assert "kind" in caught.value.message_dict


def test_moving_a_day_off_records_both_dates_and_announces_both(
    announced: Any, django_capture_on_commit_callbacks: Any
) -> None:
    day = actions.add_day_off(date=DAY, kind=DayOff.Kind.LOCAL, name="Libur", source=SOURCE)
    later = DAY + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_day_off(
            day, date=later, kind=DayOff.Kind.LOCAL, name="Libur", source=SOURCE + " (ralat)"
        )
    day.refresh_from_db()
    assert day.date == later
    event = AuditEvent.objects.get(action="workdays.day_off.change")
    assert event.details["fields"] == ["date", "source"]
    assert event.details["previous_date"] == DAY.isoformat()
    assert announced[-1] == [DAY, later]


def test_removing_a_day_off_makes_it_a_working_day_again(
    announced: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from kotacerdas.workdays.calendar import is_working_day

    day = actions.add_day_off(date=DAY, kind=DayOff.Kind.LOCAL, name="Libur", source=SOURCE)
    assert not is_working_day(DAY)
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_day_off(day)
    assert is_working_day(DAY)
    event = AuditEvent.objects.get(action="workdays.day_off.remove")
    assert event.details["date"] == DAY.isoformat()
    assert announced[-1] == [DAY]


def test_a_service_that_fails_to_follow_does_not_undo_the_change(
    django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("the hospital is down")

    days_off_changed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.add_day_off(date=DAY, kind=DayOff.Kind.LOCAL, name="Libur", source=SOURCE)
    finally:
        days_off_changed.disconnect(broken)
    assert DayOff.objects.filter(date=DAY).exists()
    assert "the hospital is down" in caplog.text
