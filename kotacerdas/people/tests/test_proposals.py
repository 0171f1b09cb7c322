"""Register changes proposed at the RW wait for the kelurahan; nothing is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.people.models import Family, LifeEvent, Person, Proposal

pytestmark = pytest.mark.django_db


def _propose_death(client, person, date="2026-11-01", reason="Meninggal di rumah"):
    return client.post(
        reverse("people:person-propose-leave", args=[person.pk]),
        {"kind": "death", "date": date, "reason": reason},
    )


def _decide(client, proposal, decision, note=""):
    return client.post(
        reverse("people:proposal-detail", args=[proposal.pk]), {"decision": decision, "note": note}
    )


def test_a_death_proposed_at_the_rw_changes_nothing_until_the_kelurahan_approves(
    rw_operator, kelurahan_officer, make_person, rt
):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = _propose_death(signed_in(rw_operator), person)

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.data == {"date": "2026-11-01"}
    person.refresh_from_db()
    assert person.status == Person.Status.ALIVE
    assert not LifeEvent.objects.exists()
    page = signed_in(rw_operator).get(reverse("people:person-detail", args=[person.pk]))
    assert "Perubahan yang menunggu kelurahan" in page.text or "waiting" in page.text

    response = _decide(signed_in(kelurahan_officer), proposal, "approve")

    assert response.status_code == 302
    person.refresh_from_db()
    proposal.refresh_from_db()
    assert person.status == Person.Status.DEAD
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.decided_by == kelurahan_officer
    event = LifeEvent.objects.get(person=person)
    assert (event.kind, event.source, event.date) == ("death", "proposal", dt.date(2026, 11, 1))
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "people.proposal.create",
        "people.proposal.approve",
        "person.death",
    }


def test_a_returned_proposal_keeps_the_reason_and_the_register_unchanged(
    rw_operator, kelurahan_officer, make_person, rt
):
    person = make_person(rt(KEJAKSAN, 1, 1))
    _propose_death(signed_in(rw_operator), person)
    proposal = Proposal.objects.get()

    refused = _decide(signed_in(kelurahan_officer), proposal, "return", note="")
    assert refused.status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_pending  # a return needs its reason

    _decide(signed_in(kelurahan_officer), proposal, "return", note="Lampirkan surat kematian RS")

    proposal.refresh_from_db()
    person.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    assert proposal.decision_note == "Lampirkan surat kematian RS"
    assert person.status == Person.Status.ALIVE
    # Decided once: a second decision is refused and changes nothing.
    _decide(signed_in(kelurahan_officer), proposal, "approve")
    person.refresh_from_db()
    assert person.status == Person.Status.ALIVE


def test_the_same_change_cannot_wait_twice(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    client = signed_in(rw_operator)
    _propose_death(client, person)

    response = _propose_death(client, person)

    assert response.status_code == 400
    assert Proposal.objects.count() == 1


def test_a_birth_proposed_on_the_family_card_adds_the_child_once_approved(
    rw_operator, kelurahan_officer, make_family, rt
):
    family = make_family(rt(KEJAKSAN, 1, 1))
    url = reverse("people:family-propose", args=[family.pk, "kelahiran"])
    form = {
        "name": "Ahmad  Fauzi",
        "sex": "M",
        "birth_date": "2026-10-20",
        "birth_place": "Cirebon",
        "nik": "",
        "reason": "Lahir di RSD Gunung Jati",
    }

    assert signed_in(rw_operator).post(url, form).status_code == 302
    assert not Person.objects.exists()
    proposal = Proposal.objects.get()
    _decide(signed_in(kelurahan_officer), proposal, "approve")

    child = Person.objects.get()
    proposal.refresh_from_db()
    assert (child.name, child.family, child.rt) == ("Ahmad Fauzi", family, family.rt)
    assert proposal.result_person == child
    assert LifeEvent.objects.get(person=child).kind == "birth"


def test_someone_moving_in_joins_the_family_once_approved(
    rw_operator, kelurahan_officer, make_family, rt
):
    family = make_family(rt(KEJAKSAN, 1, 1))
    form = {
        "nik": "3209014507900003",
        "name": "Nur Aini",
        "sex": "F",
        "birth_date": "1990-07-05",
        "birth_place": "Kuningan",
        "relationship": "2",
        "date": "2026-11-15",
    }
    url = reverse("people:family-propose", args=[family.pk, "pindah-datang"])
    assert signed_in(rw_operator).post(url, form).status_code == 302

    _decide(signed_in(kelurahan_officer), Proposal.objects.get(), "approve")

    person = Person.objects.get(nik="3209014507900003")
    assert (person.family, person.relationship, person.address) == (family, "2", family.address)
    assert LifeEvent.objects.get(person=person).kind == "move_in"


def test_a_family_split_moves_the_chosen_members_to_a_new_card(
    rw_operator, kelurahan_officer, make_family, make_person, rt
):
    here = rt(KEJAKSAN, 1, 1)
    family = make_family(here)
    father = make_person(here, "Budi", family=family, relationship="1", sex="M")
    son = make_person(here, "Joko", family=family, relationship="3", sex="M")
    daughter_in_law = make_person(here, "Rina", family=family, relationship="5")
    url = reverse("people:family-propose", args=[family.pk, "pecah-kk"])
    form = {
        "kk_number": "3274011203150999",
        "members": [son.pk, daughter_in_law.pk],
        "head": son.pk,
        "reason": "Menikah, rumah sendiri",
    }

    assert signed_in(rw_operator).post(url, form).status_code == 302
    _decide(signed_in(kelurahan_officer), Proposal.objects.get(), "approve")

    new = Family.objects.get(kk_number="3274011203150999")
    son.refresh_from_db()
    daughter_in_law.refresh_from_db()
    father.refresh_from_db()
    assert (son.family, son.relationship) == (new, "1")
    assert (daughter_in_law.family, daughter_in_law.relationship) == (new, "5")
    assert father.family == family
    assert LifeEvent.objects.filter(kind="family").count() == 2


def test_a_split_must_leave_someone_and_name_a_moving_head(
    rw_operator, make_family, make_person, rt
):
    here = rt(KEJAKSAN, 1, 1)
    family = make_family(here)
    father = make_person(here, "Budi", family=family, relationship="1")
    son = make_person(here, "Joko", family=family, relationship="3")
    url = reverse("people:family-propose", args=[family.pk, "pecah-kk"])

    everyone = signed_in(rw_operator).post(
        url, {"kk_number": "3274011203150999", "members": [father.pk, son.pk], "head": son.pk}
    )
    head_stays = signed_in(rw_operator).post(
        url, {"kk_number": "3274011203150999", "members": [son.pk], "head": father.pk}
    )

    assert everyone.status_code == head_stays.status_code == 400
    assert "Sisakan" in everyone.text or "Leave at least" in everyone.text
    assert not Proposal.objects.exists()


def test_a_correction_is_proposed_then_applied_with_its_reason(
    rw_operator, kelurahan_officer, make_person, rt
):
    person = make_person(rt(KEJAKSAN, 1, 1), occupation="Pedagang")
    url = reverse("people:person-propose-correction", args=[person.pk])
    page = signed_in(rw_operator).get(url)
    assert page.status_code == 200
    form = {
        field.name: field.value() or ""
        for field in page.context["form"]
        if field.name not in ("reason",)
    }
    form.update(occupation="Guru", reason="Salah ketik saat pendataan")

    assert signed_in(rw_operator).post(url, form).status_code == 302
    person.refresh_from_db()
    assert person.occupation == "Pedagang"
    proposal = Proposal.objects.get()
    assert proposal.data == {"changes": {"occupation": "Guru"}}

    _decide(signed_in(kelurahan_officer), proposal, "approve")
    person.refresh_from_db()
    assert person.occupation == "Guru"
    assert LifeEvent.objects.get(person=person).kind == "correct"


def test_a_correction_that_changes_nothing_is_refused(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))
    url = reverse("people:person-propose-correction", args=[person.pk])
    page = signed_in(rw_operator).get(url)
    form = {f.name: f.value() or "" for f in page.context["form"]} | {"reason": "cek"}

    response = signed_in(rw_operator).post(url, form)

    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_the_kelurahan_officer_applies_at_once(kelurahan_officer, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    _propose_death(signed_in(kelurahan_officer), person)

    person.refresh_from_db()
    assert person.status == Person.Status.DEAD
    assert Proposal.objects.get().status == Proposal.Status.APPROVED


def test_an_approval_the_register_refuses_stays_pending_with_the_reason(
    rw_operator, kelurahan_officer, make_person, rt
):
    person = make_person(rt(KEJAKSAN, 1, 1))
    _propose_death(signed_in(rw_operator), person)
    proposal = Proposal.objects.get()
    Person.objects.filter(pk=person.pk).update(status=Person.Status.MOVED)

    response = signed_in(kelurahan_officer).post(
        reverse("people:proposal-detail", args=[proposal.pk]), {"decision": "approve"}, follow=True
    )

    proposal.refresh_from_db()
    assert proposal.is_pending
    assert not LifeEvent.objects.exists()
    assert any(
        "tidak tercatat" in str(m) or "not recorded" in str(m) for m in response.context["messages"]
    )


def test_scope_works_404_403(
    rw_operator, other_rw_operator, kelurahan_officer, viewer, outsider, make_person, rt
):
    person = make_person(rt(KEJAKSAN, 1, 1))
    _propose_death(signed_in(rw_operator), person)
    proposal = Proposal.objects.get()
    detail = reverse("people:proposal-detail", args=[proposal.pk])

    # works: the RW sees its own; the kelurahan sees and lists it
    assert signed_in(rw_operator).get(detail).status_code == 200
    listed = signed_in(kelurahan_officer).get(reverse("people:proposal-list"))
    assert listed.status_code == 200
    assert person.name in listed.text
    # 404: another RW's operator, outsiders; proposing for someone outside the RW
    assert signed_in(other_rw_operator).get(detail).status_code == 404
    assert signed_in(outsider).get(detail).status_code == 404
    assert _propose_death(signed_in(other_rw_operator), person).status_code == 404
    # 403: the RW may not decide its own proposal; a read-only viewer may not propose
    assert _decide(signed_in(rw_operator), proposal, "approve").status_code == 403
    assert _propose_death(signed_in(viewer), person).status_code == 403
    assert signed_in(viewer).get(reverse("people:proposal-list")).status_code == 403
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_the_kelurahan_sees_waiting_proposals_on_my_work(
    rw_operator, kelurahan_officer, make_person, rt
):
    _propose_death(signed_in(rw_operator), make_person(rt(KEJAKSAN, 1, 1)))

    page = signed_in(kelurahan_officer).get(reverse("web:my-work"))

    assert reverse("people:proposal-list") in page.text


def test_a_death_closes_the_posyandu_alerts_and_pregnancy(kelurahan_officer, make_person, rt):
    from kotacerdas.people.actions import record_death
    from kotacerdas.people.signals import person_left

    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["person"].pk, kwargs["kind"]))

    person_left.connect(receiver)
    try:
        person = make_person(rt(KEJAKSAN, 1, 1))
        record_death(person, date=dt.date(2026, 11, 1), actor=kelurahan_officer)
    finally:
        person_left.disconnect(receiver)

    assert seen == [(person.pk, "death")]
