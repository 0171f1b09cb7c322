from __future__ import annotations

from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.people.models import LifeEvent, Person


def test_recording_a_death_changes_the_status(kelurahan_officer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(kelurahan_officer).post(
        reverse("people:life-event-create", args=[person.pk]),
        {"kind": "death", "date": "2026-11-01", "note": ""},
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.status == Person.Status.DEAD
    event = LifeEvent.objects.get()
    assert event.recorded_by == kelurahan_officer
    assert AuditEvent.objects.filter(action="person.death").exists()


def test_a_date_in_the_future_is_refused(kelurahan_officer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(kelurahan_officer).post(
        reverse("people:life-event-create", args=[person.pk]),
        {"kind": "move_out", "date": "2999-01-01"},
    )

    assert response.status_code == 400
    assert not LifeEvent.objects.exists()


def test_outsider_404_and_viewer_403(other_rw_operator, viewer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:life-event-create", args=[person.pk])
    data = {"kind": "move_out", "date": "2026-01-01"}

    assert signed_in(other_rw_operator).post(url, data).status_code == 404
    assert signed_in(viewer).post(url, data).status_code == 403
    assert not LifeEvent.objects.exists()


def test_the_rw_operator_proposes_instead_of_recording(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:life-event-create", args=[person.pk])

    assert (
        signed_in(rw_operator).post(url, {"kind": "death", "date": "2026-01-01"}).status_code == 403
    )
    assert not LifeEvent.objects.exists()
