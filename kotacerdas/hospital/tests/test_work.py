"""The hospital's lines on the "my work" page: counter, clinics, wards."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.hospital import actions, work
from kotacerdas.hospital.models import Booking, Ward
from kotacerdas.hospital.tests.conftest import NIK, NIK2

pytestmark = pytest.mark.django_db


def _checked_in(today_session: Any, nik: str, **fields: Any) -> Booking:
    booking = actions.book(today_session.pk, actions.Patient(nik=nik), channel="counter")
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CHECKED_IN, **fields)
    return booking


def test_the_clinic_sees_its_patients_waiting_per_clinic(today_session, clinic_staff, other_staff):
    _checked_in(today_session, NIK)
    _checked_in(today_session, NIK2)

    [item] = work.clinic_work(clinic_staff)
    [nothing] = work.clinic_work(other_staff)

    assert item.count == 2 and today_session.clinic.name in str(item.label)
    assert nothing.count == 0
    assert work.ward_work(clinic_staff) == [] and work.counter_work(clinic_staff) == []


def test_the_counter_sees_new_patients_to_register(today_session, clerk):
    _checked_in(today_session, NIK)  # no record yet: to register
    _checked_in(today_session, NIK2, medical_record="RM-000123")

    [item] = work.counter_work(clerk)

    assert item.count == 1


def test_the_ward_sees_patients_waiting_for_a_bed(beds, nurse, other_staff):
    Ward.objects.filter(pk=beds[0].room.ward_id).update(waiting=3)

    [item] = work.ward_work(nurse)

    assert item.count == 3
    assert [other.count for other in work.ward_work(other_staff)] == [0]


def test_the_clerk_has_the_counter_in_the_navigation_and_clinic_staff_do_not(clerk, clinic_staff):
    from django.urls import reverse

    from kotacerdas.conftest import signed_in

    def nav(user: Any) -> str:
        page = signed_in(user).get(reverse("web:my-work")).content.decode()
        return page.split('class="wrap sub-nav"', 1)[1].split("</nav>", 1)[0]

    assert f'<a href="{reverse("hospital:counter")}">Loket</a>' in nav(clerk)
    assert reverse("hospital:counter") not in nav(clinic_staff)
