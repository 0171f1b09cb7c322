"""Issue 16: the booking form a mother fills in, and the walk-in's ticket at the counter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.conftest import signed_in
from kotacerdas.hospital.models import Booking, Clinic, Doctor, Session
from kotacerdas.hospital.tests.conftest import CARD, NIK, NIK2
from kotacerdas.people.models import Citizen, Person, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_client(citizen: Citizen, rt: Any, make_person: Any, make_family: Any) -> Client:
    home = rt("32.74.01.1001", 1, 1)
    family = make_family(home)
    mother = make_person(
        home,
        "Ibu Siti",
        family=family,
        relationship=Relationship.HEAD,
        birth_date=dt.date(1990, 1, 1),
    )
    make_person(
        home,
        "Anak Dinda",
        family=family,
        relationship=Relationship.CHILD,
        birth_date=dt.date(2018, 3, 5),
    )
    # A newborn registered before being named, and without a NIK yet.
    make_person(
        home,
        "",
        family=family,
        relationship=Relationship.CHILD,
        birth_date=timezone.localdate() - dt.timedelta(days=3),
        nik=None,
    )
    citizen.person = mother
    citizen.save()
    client = Client()
    s = client.session
    s["citizen_id"] = citizen.pk
    s.save()
    return client


def book_page(client: Client, session: Session) -> str:
    with translation.override("id"):
        return client.get(reverse("hospital:book", args=[session.pk])).content.decode()


def test_relatives_by_name_and_relationship_never_a_nik_mask(
    family_client: Client, session: Session
) -> None:
    page = book_page(family_client, session)
    born = timezone.localdate() - dt.timedelta(days=3)
    assert "Ibu Siti (Anda sendiri)" in page and "Anak Dinda (anak Anda)" in page
    with translation.override("id"):
        from django.utils.formats import date_format

        assert f"Anak (lahir {date_format(born, 'j M Y')})" in page
    assert "3274••" not in page and "()" not in page  # no NIK mask, no empty name


def test_the_nik_field_belongs_to_someone_else_only(
    family_client: Client, session: Session
) -> None:
    page = book_page(family_client, session)
    other = page.index('value="other"')
    nik = page.index('name="nik"')
    fieldset_end = page.index("</fieldset>")
    assert other < nik < fieldset_end  # inside the "someone else" choice, in the fieldset
    assert "NIK orang tersebut (16 digit)" in page and "NIK (16 digit)" not in page


def test_a_nik_typed_before_choosing_a_child_is_ignored(
    family_client: Client, session: Session
) -> None:
    child = Person.objects.get(name="Anak Dinda")
    data = {
        "who": str(child.pk),
        "nik": "12345",  # half-typed, then the mother chose her child
        "bpjs_card": "",
        "medical_record": "",
        "visit_type": "1",
        "referral_number": "",
        "idempotency_key": "k1",
    }
    with translation.override("id"):
        response = family_client.post(reverse("hospital:book", args=[session.pk]), data)
    assert response.status_code == 302
    assert Booking.objects.get().nik == child.nik


def test_a_child_without_a_nik_is_told_to_use_the_family_card(
    family_client: Client, session: Session
) -> None:
    baby = Person.objects.get(name="")
    data = {"who": str(baby.pk), "nik": "", "visit_type": "1", "idempotency_key": "k2"}
    with translation.override("id"):
        response = family_client.post(reverse("hospital:book", args=[session.pk]), data)
    assert response.status_code == 200 and not Booking.objects.exists()
    assert "belum punya NIK" in response.content.decode()


def test_the_visit_type_says_first_visit_in_plain_words(
    family_client: Client, session: Session
) -> None:
    page = book_page(family_client, session)
    start = page.index('name="visit_type" value="1"')
    assert "checked" in page[start : page.index(">", start)]
    assert "Kunjungan pertama, dengan rujukan dari puskesmas atau klinik (FKTP)" in page
    assert ">Rujukan FKTP<" not in page


def test_the_ticket_says_reload_without_script_and_places_in_words(
    citizen_web: Client, session: Session
) -> None:
    data = {
        "who": "other",
        "nik": NIK,
        "bpjs_card": CARD,
        "visit_type": "1",
        "referral_number": "0123R0011125B000001",
        "idempotency_key": "k3",
    }
    with translation.override("id"):
        response = citizen_web.post(reverse("hospital:book", args=[session.pk]), data)
        page = citizen_web.get(response["Location"]).content.decode()
    assert "Muat ulang halaman untuk melihat antrean terbaru." in page
    assert 'data-live-note="Halaman ini diperbarui sendiri."' in page
    assert "Masih ada 29 tempat" in page and "Sisa kuota" not in page


def walk_in(today_session: Session, **extra: Any) -> dict[str, Any]:
    return {"session": today_session.pk, "nik": NIK2, "visit_type": "1", **extra}


def test_a_walk_in_gets_a_printable_ticket_with_the_name(
    clerk: Any, hospital_viewer: Any, other_staff: Any, outsider: Any, today_session: Session
) -> None:
    client = signed_in(clerk)
    with translation.override("id"):
        response = client.post(reverse("hospital:counter"), walk_in(today_session, name="Ibu Wati"))
    booking = Booking.objects.get()
    url = reverse("hospital:counter-ticket", args=[booking.pk])
    assert response.status_code == 302 and response["Location"] == url
    assert "Wati" not in url and NIK2 not in url
    with translation.override("id"):
        page = client.get(url).content.decode()
    assert "Ibu Wati" in page and booking.queue_label in page and booking.code in page
    assert today_session.clinic.name in page and "Cetak tiket" in page
    assert (
        booking.estimated_at.astimezone(timezone.get_current_timezone()).strftime("%H:%M") in page
    )
    assert signed_in(other_staff).get(url).status_code == 404
    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(hospital_viewer).get(url).status_code == 403


def test_the_counter_form_speaks_to_the_clerk(clerk: Any, today_session: Session) -> None:
    with translation.override("id"):
        page = signed_in(clerk).get(reverse("hospital:counter")).content.decode()
    assert "NIK pasien (16 digit)" in page and "Nama pasien" in page
    assert "Kosongkan jika Anda membayar sendiri" not in page
    assert "Jika Anda pernah berobat" not in page


def test_the_booking_page_of_another_hospitals_session_or_none_is_a_404(
    client: Client, session: Session, other_hospital: Any
) -> None:
    page = client.get(reverse("hospital:book", args=[session.pk]))
    assert page.status_code == 200
    assert "Poli Penyakit Dalam" in page.text and "dr. Andi" in page.text
    elsewhere = Session.objects.create(
        clinic=Clinic.objects.create(unit=other_hospital, code="INT", name="Poli"),
        doctor=Doctor.objects.create(unit=other_hospital, name="dr. Lain"),
        date=session.date,
        start=session.start,
        end=session.end,
        quota_jkn=1,
        quota_non_jkn=1,
        minutes_per_patient=10,
    )
    assert client.get(reverse("hospital:book", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("hospital:book", args=[elsewhere.pk + 1])).status_code == 404
