"""Online booking: the answer, the rules, bad input, idempotency, cancel and reschedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Booking, Session, TaskTime
from kotacerdas.hospital.tests.conftest import CARD, NIK, NIK2
from kotacerdas.messaging.actions import deliver
from kotacerdas.messaging.models import Message
from kotacerdas.people.models import Citizen, Relationship

pytestmark = pytest.mark.django_db


def form(**fields: Any) -> dict[str, Any]:
    data = {
        "who": "other",
        "nik": NIK,
        "bpjs_card": CARD,
        "medical_record": "",
        "visit_type": "1",
        "referral_number": "0123R0011125B000001",
        "phone": "081234567890",
        "idempotency_key": "key-" + fields.pop("key", "one"),
    }
    data.update(fields)
    return data


def post(client: Client, session: Session, **fields: Any) -> Any:
    with translation.override("id"):
        return client.post(reverse("hospital:book", args=[session.pk]), form(**fields))


def test_a_citizen_books_and_sees_number_position_estimate_and_qr(
    citizen_web: Client, session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(citizen_web, session)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("hospital:ticket", args=[booking.code])
    assert booking.number == 1 and booking.queue_label == "INT-1"
    assert booking.payer == Booking.Payer.JKN
    assert booking.estimated_at == session.starts_at
    with translation.override("id"):
        page = citizen_web.get(response.url).content.decode()
    assert "INT-1" in page and booking.code in page and "<svg" in page
    assert "Orang di depan Anda" in page
    sms = Message.objects.get(purpose="hospital-booking")
    assert booking.code in sms.text and "INT-1" in sms.text
    assert "Penyakit" not in sms.text and NIK not in sms.text
    session.refresh_from_db()
    assert session.booked_jkn == 1 and session.last_number == 1


def test_the_confirmation_is_stored_with_the_booking_not_after_it(
    citizen: Citizen, session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    # What survives a server that dies right after the commit (no after-commit
    # hook runs): the booking and its confirmation, queued for the next worker.
    with django_capture_on_commit_callbacks(execute=False):
        booking = actions.book(
            session.pk, actions.Patient(nik=NIK), channel=Booking.Channel.WEB, citizen=citizen
        )
    sms = Message.objects.get(purpose="hospital-booking")
    assert sms.status == Message.Status.QUEUED and booking.code in sms.text
    assert sms.related_id == str(booking.pk) and sms.phone == citizen.phone
    deliver()  # what the next sending task or the sweeper does
    sms.refresh_from_db()
    assert sms.status == Message.Status.SENT


def test_a_booking_whose_confirmation_cannot_be_stored_is_not_made(
    citizen: Citizen, session: Session
) -> None:
    # One transaction: never a booking without its confirmation.
    with (
        mock.patch(
            "kotacerdas.hospital.actions.booking.new_sms", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        actions.book(
            session.pk, actions.Patient(nik=NIK), channel=Booking.Channel.WEB, citizen=citizen
        )
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.booked_jkn + session.booked_non_jkn == 0 and session.last_number == 0


def test_remaining_quota_is_shown_before_booking(citizen_web: Client, session: Session) -> None:
    with translation.override("id"):
        page = citizen_web.get(reverse("hospital:book", args=[session.pk])).content.decode()
    # In plain words: how many places are free, then the split by payer.
    free = session.remaining_jkn + session.remaining_non_jkn
    assert f"Masih ada {free} tempat" in page
    assert f"20 untuk BPJS/JKN, {session.remaining_non_jkn} untuk pasien umum" in page


def test_a_double_tap_makes_one_booking(citizen_web: Client, session: Session) -> None:
    first = post(citizen_web, session, key="same")
    second = post(citizen_web, session, key="same")
    assert Booking.objects.count() == 1
    assert first.url == second.url
    session.refresh_from_db()
    assert session.last_number == 1


def test_a_key_used_by_another_citizen_books_nothing(citizen_web: Client, session: Session) -> None:
    post(citizen_web, session, key="shared")
    other = Citizen.objects.create(phone="+6281300000001")
    with pytest.raises(Exception):  # noqa: B017
        actions.book(
            session.pk,
            actions.Patient(nik=NIK2),
            channel=Booking.Channel.WEB,
            citizen=other,
            idempotency_key="key-shared",
        )
    assert Booking.objects.count() == 1


def assert_refused(response: Any, text: str) -> None:
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not Booking.objects.exists()
    assert not Message.objects.filter(purpose="hospital-booking").exists()


def test_an_impossible_nik_is_refused(citizen_web: Client, session: Session) -> None:
    # Month 13 cannot be a birth month.
    response = post(citizen_web, session, nik="3274011513900001")
    assert_refused(response, "bukan bulan")


def test_a_bpjs_card_must_have_13_digits(citizen_web: Client, session: Session) -> None:
    assert_refused(post(citizen_web, session, bpjs_card="12345"), "13 digit")


def test_a_date_outside_the_window_is_refused(
    citizen_web: Client, make_session: Callable[..., Session]
) -> None:
    far = make_session(date=timezone.localdate() + dt.timedelta(days=30))
    assert_refused(post(citizen_web, far), "di luar rentang itu")


def test_searching_a_date_outside_the_window_says_so(citizen_web: Client, session: Session) -> None:
    far = timezone.localdate() + dt.timedelta(days=40)
    with translation.override("id"):
        page = citizen_web.get(
            reverse("hospital:index"), {"clinic": str(session.clinic_id), "date": far.isoformat()}
        ).content.decode()
    assert "pilih tanggal dalam rentang itu" in page


def test_a_full_session_is_refused(
    citizen_web: Client, make_session: Callable[..., Session]
) -> None:
    full = make_session(quota_jkn=1, quota_non_jkn=0)
    actions.book(full.pk, actions.Patient(nik=NIK2, bpjs_card=CARD), channel="web")
    response = post(citizen_web, full)
    assert response.status_code == 200
    assert "Kuota pasien JKN pada sesi ini sudah penuh" in response.content.decode()
    assert Booking.objects.count() == 1


def test_one_active_booking_per_patient_per_session(citizen_web: Client, session: Session) -> None:
    post(citizen_web, session, key="a")
    response = post(citizen_web, session, key="b")
    assert "sudah memiliki pemesanan pada sesi ini" in response.content.decode()
    assert Booking.objects.count() == 1


def test_booking_closes_at_the_cut_off(citizen_web: Client, today_session: Session) -> None:
    assert_refused(post(citizen_web, today_session), "ditutup pukul")


def test_signing_in_is_needed_to_book(client: Client, session: Session) -> None:
    with translation.override("id"):
        response = client.post(reverse("hospital:book", args=[session.pk]), form())
    assert response.status_code == 200
    assert not Booking.objects.exists()
    # The sign-in brings the patient back to this session's booking form.
    back_here = quote(reverse("hospital:book", args=[session.pk]), safe="")
    assert f"{reverse('messaging:citizen-sign-in')}?next={back_here}" in response.content.decode()


def test_my_bookings_sends_a_signed_out_visitor_to_sign_in_and_back(client: Client) -> None:
    response = client.get(reverse("hospital:my-bookings"))
    assert response["Location"] == "/warga/masuk/?next=%2Flengko%2Fpemesanan%2F"


def test_a_citizen_cannot_see_someone_elses_ticket(citizen_web: Client, session: Session) -> None:
    other = Citizen.objects.create(phone="+6281300000001")
    booking = actions.book(session.pk, actions.Patient(nik=NIK2), channel="web", citizen=other)
    assert citizen_web.get(reverse("hospital:ticket", args=[booking.code])).status_code == 404
    assert (
        citizen_web.get(reverse("hospital:ticket-status", args=[booking.code])).status_code == 404
    )
    assert citizen_web.post(reverse("hospital:cancel", args=[booking.code])).status_code == 404


def test_cancel_gives_the_place_back_but_not_the_number(
    citizen_web: Client, session: Session
) -> None:
    post(citizen_web, session)
    booking = Booking.objects.get()
    citizen_web.post(reverse("hospital:cancel", args=[booking.code]))
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert session.booked_jkn == 0 and session.last_number == 1
    assert booking.tasks.filter(task=TaskTime.Task.CANCELLED).exists()
    again = actions.book(session.pk, actions.Patient(nik=NIK), channel="web")
    assert again.number == 2


def test_the_estimate_counts_places_taken_not_numbers_given(session: Session) -> None:
    """A full session with cancellations: the last number still ends within the session."""
    import datetime as dt

    Session.objects.filter(pk=session.pk).update(quota_jkn=0, quota_non_jkn=2)
    first = actions.book(session.pk, actions.Patient(nik=NIK), channel="web")
    actions.book(session.pk, actions.Patient(nik=NIK2), channel="web")
    actions.cancel(first)
    third = actions.book(session.pk, actions.Patient(nik=NIK), channel="web")
    assert third.number == 3
    # Second in line: one patient ahead, not two.
    assert third.estimated_at == session.starts_at + dt.timedelta(minutes=10)


def test_reschedule_moves_the_booking(
    citizen_web: Client, session: Session, make_session: Callable[..., Session]
) -> None:
    later = make_session(date=session.date + dt.timedelta(days=1))
    post(citizen_web, session)
    booking = Booking.objects.get()
    response = citizen_web.post(
        reverse("hospital:reschedule", args=[booking.code]), {"session": later.pk}
    )
    new = Booking.objects.get(session=later)
    assert response["Location"] == reverse("hospital:ticket", args=[new.code])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert new.rescheduled_from == booking and new.nik == booking.nik


def test_no_cancel_after_check_in(citizen_web: Client, today_session: Session) -> None:
    booking = actions.book(
        today_session.pk,
        actions.Patient(nik=NIK),
        channel=Booking.Channel.COUNTER,
        citizen=Citizen.objects.get(),
    )
    actions.check_in(booking.code)
    citizen_web.post(reverse("hospital:cancel", args=[booking.code]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_a_family_member_from_the_register_is_booked_by_choice(
    citizen: Citizen, session: Session, rt: Any, make_person: Any, make_family: Any
) -> None:
    family = make_family(rt("32.74.01.1001", 1, 1))
    mother = make_person(
        rt("32.74.01.1001", 1, 1),
        "Ibu Siti",
        family=family,
        relationship=Relationship.HEAD,
        birth_date=dt.date(1990, 1, 1),
    )
    child = make_person(
        rt("32.74.01.1001", 1, 1), "Anak Siti", family=family, relationship=Relationship.CHILD
    )
    citizen.person = mother
    citizen.save()
    client = Client()
    s = client.session
    s["citizen_id"] = citizen.pk
    s.save()
    response = post(client, session, who=str(child.pk), nik="")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.person == child and booking.nik == child.nik


def test_a_citizen_books_for_self_and_children_under_18_not_the_whole_family_card(
    citizen: Citizen, session: Session, rt: Any, make_person: Any, make_family: Any
) -> None:
    home = rt("32.74.01.1001", 1, 1)
    family = make_family(home)

    def member(name: str, relationship: str, born: dt.date, sex: str = "F") -> Any:
        return make_person(
            home, name, family=family, relationship=relationship, birth_date=born, sex=sex
        )

    mother = member("Ibu Siti", Relationship.WIFE, dt.date(1990, 1, 1))
    husband = member("Pak Budi", Relationship.HEAD, dt.date(1988, 1, 1), sex="M")
    child = member("Anak Dinda", Relationship.CHILD, dt.date(2018, 3, 5))
    grown_up = member("Anak Sulung", Relationship.CHILD, dt.date(2006, 1, 1))
    grandmother = member("Nenek", Relationship.PARENT, dt.date(1960, 1, 1))
    citizen.person = mother
    citizen.save()
    client = Client()
    s = client.session
    s["citizen_id"] = citizen.pk
    s.save()
    page = client.get(reverse("hospital:book", args=[session.pk]))
    offered = [value for value, _label in page.context["form"].fields["who"].choices]
    assert offered[:2] == [str(mother.pk), str(child.pk)]
    for other in (husband, grown_up, grandmother):
        assert str(other.pk) not in offered
        post(client, session, who=str(other.pk), nik="")
    assert not Booking.objects.exists()
    assert post(client, session, who=str(child.pk), nik="").status_code == 302
    assert Booking.objects.get().person == child


def test_my_bookings_lists_only_mine_and_says_for_whom(
    citizen: Citizen,
    citizen_web: Client,
    session: Session,
    client: Client,
    django_assert_max_num_queries: Any,
    settings: Any,
) -> None:
    settings.HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN = 10
    mine = actions.book(session.pk, actions.Patient(nik=NIK), channel="web", citizen=citizen)
    other = Citizen.objects.create(phone="+6281300000001")
    theirs = actions.book(session.pk, actions.Patient(nik=NIK2), channel="web", citizen=other)
    for n in range(3):  # more of mine: the page's queries stay the same
        later = session.date + dt.timedelta(days=n + 1)
        s = Session.objects.create(
            clinic=session.clinic,
            doctor=session.doctor,
            date=later,
            start=session.start,
            end=session.end,
            quota_jkn=1,
            quota_non_jkn=1,
        )
        actions.book(s.pk, actions.Patient(nik=NIK), channel="web", citizen=citizen)
    with django_assert_max_num_queries(6), translation.override("id"):
        page = citizen_web.get(reverse("hospital:my-bookings")).content.decode()
    assert mine.code in page and theirs.code not in page
    assert mine.masked_nik in page and NIK not in page
    assert client.get(reverse("hospital:my-bookings")).status_code == 302


def test_citizen_pages_and_ticket_status_are_never_cached(
    citizen: Citizen, citizen_web: Client, session: Session
) -> None:
    booking = actions.book(session.pk, actions.Patient(nik=NIK), channel="web", citizen=citizen)
    for url in (
        reverse("hospital:my-bookings"),
        reverse("hospital:ticket", args=[booking.code]),
        reverse("hospital:ticket-status", args=[booking.code]),
    ):
        cache = citizen_web.get(url)["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url


def test_sms_for_an_online_booking_go_only_to_the_citizens_own_number(
    citizen: Citizen,
    citizen_web: Client,
    session: Session,
    make_session: Callable[..., Session],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The form asks for no number, and a number slipped into the POST is ignored."""
    with translation.override("id"):
        page = citizen_web.get(reverse("hospital:book", args=[session.pk])).content.decode()
    assert 'name="phone"' not in page
    assert "lewat SMS ke nomor Anda +6281•••••7890" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = post(citizen_web, session, phone="081299990000")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.phone == citizen.phone
    later = make_session(date=session.date + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        actions.reschedule(booking, later.pk, citizen=citizen)
    # A booking stored before this change, with a typed number: reminders use the citizen's.
    Booking.objects.filter(citizen=citizen).update(
        phone="+6281299990000", created_at=timezone.now() - dt.timedelta(days=20)
    )
    Booking.objects.filter(citizen=citizen, status=Booking.Status.BOOKED).update(
        estimated_at=timezone.now() + dt.timedelta(minutes=30)
    )
    Session.objects.filter(pk=later.pk).update(date=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_reminders()["hour_before"] == 1
    phones = set(Message.objects.values_list("phone", flat=True))
    assert phones == {citizen.phone}
    assert Message.objects.filter(purpose="hospital-reminder").count() == 1


def test_the_counter_still_sends_to_the_number_the_clerk_enters(
    session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.book(
            session.pk,
            actions.Patient(nik=NIK, phone="+6281299990000"),
            channel=Booking.Channel.COUNTER,
        )
    assert set(Message.objects.values_list("phone", flat=True)) == {"+6281299990000"}
