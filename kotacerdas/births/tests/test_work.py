"""Births' lines on the "my work" page: Disdukcapil's queues, a midwife's drafts."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import override

from kotacerdas.births import work
from kotacerdas.births.models import Declaration
from kotacerdas.births.tests.conftest import form_data
from kotacerdas.conftest import signed_in


def english(label: object) -> str:
    with override("en"):
        return str(label)


def _midwife_draft(midwife) -> Declaration:
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    assert signed_in(midwife).post(reverse("births:new"), data).status_code == 302
    return Declaration.objects.get()


def test_disdukcapil_sees_each_queue_with_its_count_and_link(submitted, registrar):
    items = {english(item.label): item for item in work.registry_work(registrar)}
    page = signed_in(registrar, verified=True).get(reverse("web:my-work")).text

    assert items["To validate"].count == 1
    assert items["Ready to register"].count == 0
    assert items["To validate"].url == reverse("births:queues") + "?antrean=validasi"
    assert "antrean=validasi" in page and "antrean=cetak" in page


def test_a_midwife_sees_her_drafts_and_another_midwife_does_not(midwife, other_midwife, family):
    _midwife_draft(midwife)

    mine = {english(item.label): item.count for item in work.declarer_work(midwife)}
    theirs = {english(item.label): item.count for item in work.declarer_work(other_midwife)}

    assert mine == {"Drafts not sent yet": 1, "Sent back for changes": 0}
    assert theirs == {"Drafts not sent yet": 0, "Sent back for changes": 0}
    assert work.registry_work(midwife) == []


def test_a_parents_unsent_draft_is_nobodys_work(make_declaration, registrar, midwife):
    make_declaration()  # a parent's draft: theirs alone until they send it

    assert all(item.count == 0 for item in work.registry_work(registrar))
    assert all(item.count == 0 for item in work.declarer_work(midwife))
