"""City administrators keep the calendar in the admin; every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import signed_in
from kotacerdas.workdays.models import DayOff

pytestmark = pytest.mark.django_db

DAY = dt.date(2031, 8, 18)


@pytest.fixture
def city_admin(db: Any) -> User:
    return User.objects.create_superuser(username="admin", password="pw-admin")


def form(**fields: Any) -> dict[str, Any]:
    data = {"date": DAY.isoformat(), "kind": "local", "name": "Hari Jadi", "source": "Kepwal 1"}
    return {**data, **fields}


def test_a_city_admin_adds_a_day_off_with_its_source(city_admin: User) -> None:
    client = signed_in(city_admin, verified=True)
    response = client.post(reverse("admin:workdays_dayoff_add"), form())
    assert response.status_code == 302
    day = DayOff.objects.get(date=DAY)
    assert day.source == "Kepwal 1"
    event = AuditEvent.objects.get(action="workdays.day_off.add")
    assert event.actor == city_admin and event.object_id == str(day.pk)


def test_the_admin_refuses_a_day_off_without_a_source(city_admin: User) -> None:
    client = signed_in(city_admin, verified=True)
    response = client.post(reverse("admin:workdays_dayoff_add"), form(source=""))
    assert response.status_code == 200
    assert not DayOff.objects.filter(date=DAY).exists()


def test_changing_and_deleting_in_the_admin_go_through_the_actions(city_admin: User) -> None:
    client = signed_in(city_admin, verified=True)
    client.post(reverse("admin:workdays_dayoff_add"), form())
    day = DayOff.objects.get(date=DAY)
    url = reverse("admin:workdays_dayoff_change", args=[day.pk])
    assert client.post(url, form(name="Hari Jadi Kota Cirebon")).status_code == 302
    assert AuditEvent.objects.filter(action="workdays.day_off.change").count() == 1
    delete = reverse("admin:workdays_dayoff_delete", args=[day.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not DayOff.objects.filter(date=DAY).exists()
    assert AuditEvent.objects.filter(action="workdays.day_off.remove").count() == 1


def test_staff_without_the_permission_cannot_edit_the_calendar(db: Any) -> None:
    clerk = User.objects.create_user(username="staf", password="pw-staf", is_staff=True)
    client = signed_in(clerk)
    assert client.post(reverse("admin:workdays_dayoff_add"), form()).status_code == 403
    assert not DayOff.objects.filter(date=DAY).exists()
