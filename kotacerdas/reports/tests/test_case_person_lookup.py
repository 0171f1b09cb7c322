"""A protection officer resolving a NIK to a person: limited, audited, and
shown only what confirms the right person (name and birth year)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.people.lookups import too_many_message
from kotacerdas.reports import actions
from kotacerdas.reports.models import Report


@pytest.fixture
def case(officer, dp3a):
    report = actions.file_report(
        {"story": "Seorang anak dipukul.", "victim_name": "Ani", "reporter_phone": ""},
        channel=Report.Channel.WEB,
    )
    return actions.open_case(report, category="physical", reason="ok", actor=officer, request=None)


def _add(client, case, nik: str):
    return client.post(
        reverse("reports:case-person", args=[case.pk]),
        {"part": "victim", "nik": nik, "age_group": "5-12"},
    )


def test_each_look_up_is_audited_by_person_id_never_by_nik(officer, case, make_person, rt):
    child = make_person(rt(KEJAKSAN, 1, 1), name="Anak Terdaftar", address="Jl. Rahasia 9")
    client = signed_in(officer, verified=True)

    _add(client, case, child.nik)
    _add(client, case, "3274014503189999")

    found, missing = AuditEvent.objects.filter(action="people.lookup").order_by("id")
    assert (found.object_id, found.details) == (
        str(child.pk),
        {"purpose": "wadul.case", "found": True, "refused": False},
    )
    assert (missing.object_id, missing.details["found"]) == ("", False)
    assert child.nik not in str(found.details) and "3274014503189999" not in str(missing.details)


def test_the_case_shows_name_and_birth_year_but_not_the_address(officer, case, make_person, rt):
    child = make_person(rt(KEJAKSAN, 1, 1), name="Anak Terdaftar", address="Jl. Rahasia 9")
    client = signed_in(officer, verified=True)

    _add(client, case, child.nik)
    page = client.get(reverse("reports:case", args=[case.pk])).text

    assert "Anak Terdaftar" in page and "2018" in page
    assert "Jl. Rahasia 9" not in page and child.nik not in page


def test_look_ups_over_the_limit_are_refused_and_add_nobody(
    officer, case, make_person, rt, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register_lookup": (2, 3600)}
    people = [make_person(rt(KEJAKSAN, 1, 1)) for _ in range(3)]
    client = signed_in(officer, verified=True)

    statuses = [_add(client, case, p.nik).status_code for p in people]
    refused = _add(client, case, people[0].nik)

    assert statuses == [302, 302, 400]
    with translation.override("id"):
        assert refused.context["person_form"].errors["nik"] == [too_many_message()]
    assert case.people.count() == 2
    assert AuditEvent.objects.filter(action="people.lookup", details__refused=True).count() == 2
