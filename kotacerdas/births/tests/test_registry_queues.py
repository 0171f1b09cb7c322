"""Disdukcapil's work queues come from births.access, scoped to the user."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.births import access, actions


def _queue(user, slug: str) -> list[int]:
    found = {s: declarations for s, _title, declarations in access.registry_queues_for_user(user)}
    return sorted(found[slug].values_list("pk", flat=True))


def test_the_registry_reads_the_whole_citys_queues_but_no_parents_draft(
    make_declaration, registrar, registry_viewer
):
    waiting = actions.submit(make_declaration(), request=None)
    draft = make_declaration(child_name="Belum Dikirim")

    for user in (registrar, registry_viewer):
        assert _queue(user, "validasi") == [waiting.pk]
        every = {
            pk
            for _s, _t, qs in access.registry_queues_for_user(user)
            for pk in qs.values_list("pk", flat=True)
        }
        assert draft.pk not in every


@pytest.mark.parametrize("who", ["midwife", "rw_operator", "viewer", "outsider"])
def test_anyone_outside_the_registry_gets_403(who, request, submitted):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        access.registry_queues_for_user(user)


def test_every_queue_is_built_from_the_users_declarations(registrar, submitted):
    slugs = [slug for slug, _title, _qs in access.registry_queues_for_user(registrar)]
    assert slugs == [
        "validasi",
        "duplikat",
        "perbaikan",
        "terlambat",
        "registrasi",
        "cetak",
        "pembetulan",
    ]
    assert _queue(registrar, "registrasi") == []
    actions.validate(submitted, actor=registrar, request=None)
    assert _queue(registrar, "registrasi") == [submitted.pk]
