from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts.models import Unit
from kotacerdas.conftest import signed_in
from kotacerdas.messaging.actions import receive
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen
from kotacerdas.reports.models import PupilReporter, Report
from kotacerdas.reports.roles import ReportsRole


@pytest.fixture
def school(city):
    return Unit.objects.create(
        kind="school", code="sdn-1", name="SDN Kejaksan 1", region_id="32.74.01.1001"
    )


@pytest.fixture
def coordinator(make_member, school):
    user = make_member("guru", ReportsRole.SCHOOL_COORDINATOR, school)
    user.phone = "+6281333444555"
    user.save()
    return user


@pytest.fixture
def other_coordinator(make_member, city):
    other = Unit.objects.create(
        kind="school", code="smp-2", name="SMPN 2", region_id="32.74.03.1002"
    )
    return make_member("guru2", ReportsRole.SCHOOL_COORDINATOR, other)


@pytest.fixture
def pupil(coordinator, school):
    return PupilReporter.objects.create(
        school=school,
        name="Budi Siswa",
        class_name="5A",
        phone="+6281299990000",
        registered_by=coordinator,
        confirmed_at=timezone.now(),  # the number agreed by SMS (PELAPOR YA)
    )


def test_a_coordinator_registers_a_pupil(coordinator, school):
    response = signed_in(coordinator).post(
        reverse("reports:school"),
        {
            "school": school.pk,
            "name": "Siti Pelopor",
            "class_name": "6B",
            "phone": "0812 7777 8888",
        },
    )

    pupil = PupilReporter.objects.get()
    assert response.status_code == 302
    assert (pupil.school, pupil.phone, pupil.registered_by) == (
        school,
        "+6281277778888",
        coordinator,
    )


def test_a_number_cannot_be_two_active_pupils(coordinator, school, pupil):
    response = signed_in(coordinator).post(
        reverse("reports:school"), {"school": school.pk, "name": "Lain", "phone": pupil.phone}
    )

    assert response.context["form"].errors["phone"]


def test_a_pupils_sms_carries_the_school_and_reaches_the_coordinator(
    dp3a, coordinator, pupil, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(adapter="file", phone=pupil.phone, text="WADUL teman sekelas dipalak kakak kelas")

    report = Report.objects.get()
    assert report.pupil == pupil and report.school == pupil.school
    sent_to = {sms["to"] for sms in FileAdapter().read()}
    assert coordinator.phone in sent_to
    page = signed_in(coordinator).get(reverse("reports:school"))
    assert "teman sekelas dipalak" in page.text
    assert report.tracking_code in page.text


def test_a_pupil_signed_in_on_the_web_reports_for_the_school(dp3a, pupil):
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = Citizen.objects.create(phone=pupil.phone).pk
    session.save()

    client.post(
        reverse("reports:report"),
        {"story": "Ada anak kelas 3 sering dipukul.", "age_group": "5-12"},
    )

    assert Report.objects.get().pupil == pupil


def test_another_schools_coordinator_sees_nothing_and_gets_404_on_our_pupil(
    dp3a, other_coordinator, pupil, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(adapter="file", phone=pupil.phone, text="WADUL teman sekelas dipalak kakak kelas")
    client = signed_in(other_coordinator)

    page = client.get(reverse("reports:school"))
    remove = client.post(reverse("reports:pupil-deactivate", args=[pupil.pk]))

    assert "dipalak" not in page.text and pupil.name not in page.text
    assert remove.status_code == 404
    pupil.refresh_from_db()
    assert pupil.active


def test_the_school_page_is_403_for_staff_who_coordinate_no_school(rw_operator):
    assert signed_in(rw_operator).get(reverse("reports:school")).status_code == 403


def test_removing_a_pupil_reporter(coordinator, pupil):
    signed_in(coordinator).post(reverse("reports:pupil-deactivate", args=[pupil.pk]))

    pupil.refresh_from_db()
    assert not pupil.active


def test_a_registered_number_must_agree_by_sms_before_the_school_sees_its_reports(
    dp3a, coordinator, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(coordinator).post(
            reverse("reports:school"),
            {"school": school.pk, "name": "Siti", "phone": "0812 7777 8888"},
        )
    [invitation] = FileAdapter().read()
    assert invitation["to"] == "+6281277778888"
    assert "PELAPOR YA" in invitation["text"]

    with django_capture_on_commit_callbacks(execute=True):
        receive(
            adapter="file",
            phone="081277778888",
            text="WADUL sebelum setuju, cerita rahasia",
            gateway_id="a",
        )
    assert Report.objects.get().pupil is None  # not yet agreed: the school sees nothing

    with django_capture_on_commit_callbacks(execute=True):
        receive(adapter="file", phone="081277778888", text="pelapor ya", gateway_id="b")
        receive(adapter="file", phone="081277778888", text="WADUL sesudah setuju", gateway_id="c")

    assert PupilReporter.objects.get().confirmed_at is not None
    assert Report.objects.get(story="sesudah setuju").pupil.name == "Siti"
    page = signed_in(coordinator).get(reverse("reports:school"))
    assert "cerita rahasia" not in page.text


def test_a_number_can_refuse_to_be_a_reporter(
    dp3a, coordinator, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(coordinator).post(
            reverse("reports:school"),
            {"school": school.pk, "name": "Siti", "phone": "081277778888"},
        )
        receive(adapter="file", phone="081277778888", text="PELAPOR TIDAK", gateway_id="x")

    assert not PupilReporter.objects.get().active
