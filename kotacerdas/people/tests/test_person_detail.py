from __future__ import annotations

from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in


def test_the_operator_sees_the_full_record_and_the_read_is_logged(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(rw_operator).get(reverse("people:person-detail", args=[person.pk]))

    assert response.status_code == 200
    assert person.nik in response.text
    assert AuditEvent.objects.filter(action="person.view", object_id=str(person.pk)).count() == 1


def test_someone_outside_the_area_gets_404(other_rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(other_rw_operator).get(reverse("people:person-detail", args=[person.pk]))

    assert response.status_code == 404
    assert person.name not in response.text


def test_a_viewer_reads_but_is_offered_no_edit(viewer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 2, 1))

    response = signed_in(viewer).get(reverse("people:person-detail", args=[person.pk]))

    assert response.status_code == 200
    assert reverse("people:person-edit", args=[person.pk]) not in response.text
