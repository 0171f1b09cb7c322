"""The schedule as data, due/overdue, and the SMS reminder before posyandu day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from kotacerdas.conftest import signed_in
from kotacerdas.messaging.models import Message
from kotacerdas.people.models import Relationship
from kotacerdas.posyandu import immunisation
from kotacerdas.posyandu.models import Immunisation, Reminder, ScheduleDose
from kotacerdas.posyandu.roles import PosyanduRole

pytestmark = pytest.mark.django_db


def test_due_overdue_given_and_later(make_child, cadre, posyandu):
    today = timezone.localdate()
    child = make_child(birth_date=today - dt.timedelta(days=75))
    doses = immunisation.schedule()
    hb0 = ScheduleDose.objects.get(antigen="HB0")
    given = [Immunisation(child=child, dose=hb0, date=child.birth_date, recorded_by=cadre)]
    statuses = {
        s.dose.label: s.status for s in immunisation.doses_status(child, given, doses, today)
    }
    assert statuses["HB0 (< 24 jam)"] == immunisation.GIVEN
    assert statuses["BCG"] == immunisation.OVERDUE  # due at 30 days, 45 days ago
    assert statuses["DPT-HB-Hib 1"] == immunisation.DUE  # due at 60 days
    assert statuses["DPT-HB-Hib 2"] == immunisation.UPCOMING
    assert statuses["Campak-Rubela (MR) 1"] == immunisation.UPCOMING


def test_a_later_dose_waits_for_the_interval_after_the_earlier(make_child, cadre):
    today = timezone.localdate()
    child = make_child(birth_date=today - dt.timedelta(days=200))
    dose1 = ScheduleDose.objects.get(antigen="DPT-HB-Hib", dose=1)
    given = [
        Immunisation(child=child, dose=dose1, date=today - dt.timedelta(days=10), recorded_by=cadre)
    ]
    statuses = immunisation.doses_status(child, given, immunisation.schedule(), today)
    dose2 = next(s for s in statuses if s.dose.antigen == "DPT-HB-Hib" and s.dose.dose == 2)
    assert dose2.due_date == today + dt.timedelta(days=18)
    assert dose2.status == immunisation.UPCOMING


def test_the_schedule_is_data_that_can_change(make_child):
    today = timezone.localdate()
    child = make_child(birth_date=today - dt.timedelta(days=40))
    ScheduleDose.objects.filter(antigen="BCG").update(active=False)
    labels = [
        s.dose.label for s in immunisation.doses_status(child, [], immunisation.schedule(), today)
    ]
    assert "BCG" not in labels


def test_recording_a_dose_twice_is_refused(make_child, cadre, posyandu):
    child = make_child(birth_date=timezone.localdate() - dt.timedelta(days=40))
    client = signed_in(cadre)
    bcg = ScheduleDose.objects.get(antigen="BCG")
    data = {"dose": bcg.pk, "date": timezone.localdate().isoformat()}
    assert client.post(f"/posyandu/anak/{child.pk}/imunisasi/", data).status_code == 302
    again = client.post(f"/posyandu/anak/{child.pk}/imunisasi/", data, HTTP_ACCEPT_LANGUAGE="id")
    assert again.status_code == 400
    assert "sudah tercatat" in again.content.decode()
    assert Immunisation.objects.count() == 1


def test_the_posyandu_page_lists_what_is_due(make_child, cadre, posyandu):
    child = make_child(birth_date=timezone.localdate() - dt.timedelta(days=70))
    response = signed_in(cadre).get(f"/posyandu/{posyandu.pk}/imunisasi/")
    assert child.name in response.content.decode()
    assert "BCG" in response.content.decode()


@pytest.fixture
def family_with_baby(make_family, make_person, rt, cadre, posyandu):
    home = rt("32.74.01.1001", 1, 1)
    family = make_family(home)
    make_person(
        home,
        "Ayah",
        sex="M",
        birth_date=dt.date(1990, 1, 1),
        family=family,
        relationship=Relationship.HEAD,
    )
    mother = make_person(
        home,
        "Ibu Sari",
        sex="F",
        birth_date=dt.date(1993, 1, 1),
        family=family,
        relationship=Relationship.WIFE,
        phone="+6281234567890",
    )
    baby = make_person(
        home,
        "Bayi Rahma",
        sex="F",
        nik=None,
        family=family,
        relationship=Relationship.CHILD,
        birth_date=timezone.localdate() - dt.timedelta(days=58),
    )
    return mother, baby


def test_the_reminder_goes_to_the_mother_without_names_and_only_once(
    family_with_baby, posyandu, settings
):
    mother, baby = family_with_baby
    today = timezone.localdate()
    opening = posyandu.next_opening(
        today + dt.timedelta(days=settings.POSYANDU_REMINDER_DAYS_BEFORE)
    )
    run_on = opening - dt.timedelta(days=settings.POSYANDU_REMINDER_DAYS_BEFORE)
    call_command("posyandu_reminders", "--today", run_on.isoformat())
    message = Message.objects.get(direction="out", purpose="posyandu_reminder")
    assert message.phone == mother.phone
    assert baby.name not in message.text and "Rahma" not in message.text
    assert "Sari" not in message.text and "BCG" not in message.text and "DPT" not in message.text
    assert opening.strftime("%d-%m-%Y") in message.text
    call_command("posyandu_reminders", "--today", run_on.isoformat())
    assert Message.objects.filter(purpose="posyandu_reminder").count() == 1
    assert Reminder.objects.count() == 1


def test_no_reminder_on_other_days(family_with_baby, posyandu):
    today = timezone.localdate()
    other_day = posyandu.next_opening(today) - dt.timedelta(days=5)
    call_command("posyandu_reminders", "--today", other_day.isoformat())
    assert not Message.objects.filter(purpose="posyandu_reminder").exists()


def test_the_alert_digest_sends_counts_only(nutrition_officer, cadre, posyandu, make_child):
    from decimal import Decimal

    from kotacerdas.posyandu import actions
    from kotacerdas.posyandu.tests.conftest import months_ago

    nutrition_officer.phone = "+6281311112222"
    nutrition_officer.save()
    nutrition_officer.memberships.update(on_duty=True)
    child = make_child("Anak Kurus", birth_date=months_ago(14, 1))
    actions.record_measurement(
        child, posyandu, {"date": months_ago(0, 1), "weight": Decimal("6.3")}, user=cadre
    )
    call_command("posyandu_alert_digest")
    message = Message.objects.get(purpose="posyandu_alerts")
    assert message.phone == "+6281311112222"
    assert "1" in message.text and "Anak" not in message.text and "BGM" not in message.text


def test_a_dose_dated_before_its_minimum_age_is_refused(make_child, cadre, posyandu):
    child = make_child(birth_date=timezone.localdate() - dt.timedelta(days=400))
    mr1 = ScheduleDose.objects.get(antigen="MR", dose=1)
    too_early = child.birth_date + dt.timedelta(days=mr1.min_age_days - 30)
    response = signed_in(cadre).post(
        f"/posyandu/anak/{child.pk}/imunisasi/",
        {"dose": mr1.pk, "date": too_early.isoformat()},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert "tidak diberikan sebelum umur" in response.content.decode()
    assert not Immunisation.objects.exists()


def test_hb0_past_its_first_week_is_missed_not_overdue_for_ever(make_child, cadre, posyandu):
    """Without an upper age every child lacking an HB0 record was overdue until five
    (and its mother got a reminder every month)."""
    today = timezone.localdate()
    toddler = make_child(birth_date=today - dt.timedelta(days=700))
    doses = immunisation.schedule()
    hb0 = next(
        s for s in immunisation.doses_status(toddler, [], doses, today) if s.dose.antigen == "HB0"
    )
    assert hb0.status == immunisation.MISSED
    due = immunisation.due_by_child([toddler], today)[toddler.pk]
    assert "HB0" not in {s.dose.antigen for s in due}
    newborn = make_child("Bayi", birth_date=today - dt.timedelta(days=3))
    hb0_new = next(
        s for s in immunisation.doses_status(newborn, [], doses, today) if s.dose.antigen == "HB0"
    )
    assert hb0_new.status == immunisation.DUE
    response = signed_in(cadre).post(
        f"/posyandu/anak/{toddler.pk}/imunisasi/",
        {"dose": ScheduleDose.objects.get(antigen="HB0").pk, "date": today.isoformat()},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert "tidak diberikan sesudah umur" in response.content.decode()
    assert not Immunisation.objects.exists()


def test_an_officer_of_two_puskesmas_gets_one_digest(
    nutrition_officer, cadre, posyandu, make_child
):
    from decimal import Decimal

    from kotacerdas.accounts.models import Membership, Unit
    from kotacerdas.posyandu import actions
    from kotacerdas.posyandu.tests.conftest import months_ago

    second = Unit.objects.create(
        kind="puskesmas", code="pkm-327401-b", name="Puskesmas Kejaksan II", region_id="32.74.01"
    )
    Membership.objects.create(user=nutrition_officer, unit=second, role=PosyanduRole.HEALTH_OFFICER)
    nutrition_officer.phone = "+6281311112222"
    nutrition_officer.save()
    nutrition_officer.memberships.update(on_duty=True)
    child = make_child("Anak Kurus", birth_date=months_ago(14, 1))
    actions.record_measurement(
        child, posyandu, {"date": months_ago(0, 1), "weight": Decimal("6.3")}, user=cadre
    )
    call_command("posyandu_alert_digest")
    assert Message.objects.filter(purpose="posyandu_alerts").count() == 1
