from __future__ import annotations

from django.forms.models import model_to_dict
from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in


def _data(person, **changes):
    data = {k: v for k, v in model_to_dict(person).items() if v is not None}
    data.update(changes)
    return data


def test_the_kelurahan_officer_changes_an_occupation(kelurahan_officer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:person-edit", args=[person.pk])

    response = signed_in(kelurahan_officer).post(url, _data(person, occupation="Guru"))

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.occupation == "Guru"
    event = AuditEvent.objects.get(action="person.update")
    assert event.details["fields"] == ["occupation"]


def test_the_rw_operator_is_sent_to_propose_a_correction(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:person-edit", args=[person.pk])

    response = signed_in(rw_operator).post(url, _data(person, occupation="Guru"))

    person.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person-propose-correction", args=[person.pk])
    assert person.occupation != "Guru"


def test_an_outsider_gets_404(other_rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(other_rw_operator).get(reverse("people:person-edit", args=[person.pk]))

    assert response.status_code == 404


def test_a_read_only_viewer_gets_403_and_nothing_changes(viewer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:person-edit", args=[person.pk])

    response = signed_in(viewer).post(url, _data(person, occupation="Guru"))

    person.refresh_from_db()
    assert response.status_code == 403
    assert person.occupation == ""
