"""The chain through the staff pages: works for the right role, 404 outside the area, 403 for the wrong role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.kelurahan.actions import requests as actions
from kotacerdas.kelurahan.models import LetterRequest, LetterType, RequestStep
from kotacerdas.people.models import Person

pytestmark = pytest.mark.django_db


def _start_page(user: User, nik: str | None) -> Any:
    return signed_in(user).post(
        reverse("kelurahan:new") + "?jenis=domisili", {"nik": nik, "keperluan": "Melamar kerja"}
    )


def test_an_rw_operator_starts_a_request_for_a_resident_of_the_rw(
    rw_operator: User, resident: Person, domisili: LetterType
) -> None:
    response = _start_page(rw_operator, "3274 0152 0395 0001")
    created = LetterRequest.objects.get()
    assert response.status_code == 302
    assert (created.status, created.awaiting, created.channel) == ("checking", "operator", "rw")
    assert created.due_on is not None and created.submitted_on is not None
    assert created.due_on > created.submitted_on
    assert list(created.steps.values_list("action", flat=True)) == ["started"]


def test_a_resident_outside_the_operators_rw_is_not_found(
    other_rw_operator: User, resident: Person, domisili: LetterType
) -> None:
    assert _start_page(other_rw_operator, resident.nik).status_code == 404
    assert not LetterRequest.objects.exists()


def test_a_read_only_member_cannot_start_a_request(viewer: User, domisili: LetterType) -> None:
    assert signed_in(viewer).get(reverse("kelurahan:new")).status_code == 403


def test_a_resident_who_died_gets_no_letter(
    rw_operator: User, resident: Person, domisili: LetterType
) -> None:
    Person.objects.filter(pk=resident.pk).update(status=Person.Status.DEAD)
    response = _start_page(rw_operator, resident.nik)
    assert response.status_code == 200
    assert "tercatat" in response.content.decode()
    assert not LetterRequest.objects.exists()


def test_a_resident_who_moved_out_gets_no_letter(resident: Person, domisili: LetterType) -> None:
    Person.objects.filter(pk=resident.pk).update(status=Person.Status.MOVED)
    resident.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.start(
            letter_type=domisili,
            person=resident,
            data={"keperluan": "x"},
            persons={},
            channel="counter",
        )
    assert refused.value.code == "not_living"


def test_the_operator_cannot_pass_a_request_with_missing_requirements(
    started: LetterRequest, kelurahan_officer: User
) -> None:
    client = signed_in(kelurahan_officer)
    response = client.post(
        reverse("kelurahan:act", args=[started.pk, "check"]), {"seen": ["kk"]}, follow=True
    )
    started.refresh_from_db()
    assert started.awaiting == "operator"
    assert "Persyaratan belum lengkap" in response.content.decode()
    assert started.seen_on_paper == []


def test_the_chain_goes_operator_sekretaris_lurah(
    started: LetterRequest, kelurahan_officer: User, sekretaris_lurah: User, lurah: User
) -> None:
    act = lambda user, step, **data: signed_in(user).post(  # noqa: E731
        reverse("kelurahan:act", args=[started.pk, step]), data
    )
    # The wrong role at each step: 403, nothing moves.
    assert act(lurah, "check", seen=["pengantar", "kk", "ktp"]).status_code == 403
    assert act(kelurahan_officer, "check", seen=["pengantar", "kk", "ktp"]).status_code == 302
    assert act(kelurahan_officer, "endorse").status_code == 403
    assert act(sekretaris_lurah, "endorse").status_code == 302
    assert act(sekretaris_lurah, "approve").status_code == 403
    assert act(lurah, "approve").status_code == 302
    started.refresh_from_db()
    assert started.status == "ready"
    letter = started.letters.get()
    assert letter.number.startswith("400.8.1.6/001/3274011001/")
    assert letter.pdf is not None and bytes(letter.pdf).startswith(b"%PDF-")
    steps = list(started.steps.values_list("action", "actor__username"))
    assert steps == [
        ("started", "rw01"),
        ("checked", "kel"),
        ("endorsed", "sekkel"),
        ("approved", "lurah"),
    ]


def test_any_step_returns_the_request_with_a_reason(
    at_lurah: LetterRequest, lurah: User, rw_operator: User
) -> None:
    url = reverse("kelurahan:act", args=[at_lurah.pk, "return"])
    response = signed_in(lurah).post(url, {"reason": ""}, follow=True)
    assert "Sebutkan alasan" in response.content.decode()
    signed_in(lurah).post(url, {"reason": "Pengantar RT sudah kedaluwarsa"})
    at_lurah.refresh_from_db()
    assert (at_lurah.status, at_lurah.reason) == ("incomplete", "Pengantar RT sudah kedaluwarsa")
    step = at_lurah.steps.get(action=RequestStep.Action.RETURNED)
    assert (step.actor, step.reason) == (lurah, "Pengantar RT sudah kedaluwarsa")
    signed_in(rw_operator).post(reverse("kelurahan:act", args=[at_lurah.pk, "resubmit"]))
    at_lurah.refresh_from_db()
    assert (at_lurah.status, at_lurah.awaiting) == ("checking", "operator")


def test_request_page_triad(
    started: LetterRequest, kelurahan_officer: User, other_rw_operator: User, viewer: User
) -> None:
    url = reverse("kelurahan:request", args=[started.pk])
    assert signed_in(kelurahan_officer).get(url).status_code == 200
    assert signed_in(other_rw_operator).get(url).status_code == 404
    assert signed_in(viewer).get(url).status_code == 200  # reads
    upload = reverse("kelurahan:upload", args=[started.pk])
    assert signed_in(viewer).post(upload).status_code == 403
    assert signed_in(other_rw_operator).post(upload).status_code == 404


def test_the_queue_lists_the_area_and_guards_its_queries(
    started: LetterRequest,
    kelurahan_officer: User,
    other_rw_operator: User,
    outsider: User,
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in(kelurahan_officer)
    client.get(reverse("kelurahan:queue"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("kelurahan:queue"))
    assert started.code in page.content.decode()
    assert (
        started.code
        not in signed_in(other_rw_operator).get(reverse("kelurahan:queue")).content.decode()
    )
    assert signed_in(outsider).get(reverse("kelurahan:queue")).status_code == 403


def test_late_requests_are_listed(started: LetterRequest, kelurahan_officer: User) -> None:
    LetterRequest.objects.filter(pk=started.pk).update(due_on=dt.date(2020, 1, 2))
    page = signed_in(kelurahan_officer).get(reverse("kelurahan:late"))
    assert started.code in page.content.decode()


def test_an_upload_that_is_not_what_it_claims_is_refused(
    started: LetterRequest, rw_operator: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("kk.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = signed_in(rw_operator).post(
        reverse("kelurahan:upload", args=[started.pk]),
        {"requirement": "kk", "file": fake},
        follow=True,
    )
    assert "bukan berkas PDF" in response.content.decode()
    assert not started.attachments.exists()


def test_a_birth_letter_pulls_the_mother_from_the_register(
    kelurahan_officer: User, resident: Person, make_person: Any, rt: Any, domisili: LetterType
) -> None:
    baby = make_person(rt(KEJAKSAN, 1, 1), "Bayi Lestari", nik="3274014101250001")
    response = signed_in(kelurahan_officer).post(
        reverse("kelurahan:new") + "?jenis=kelahiran",
        {
            "nik": baby.nik,
            "mother_nik": resident.nik,
            "hari_lahir": "Senin",
            "tempat_dilahirkan": "RSD Gunung Jati",
        },
    )
    assert response.status_code == 302
    assert LetterRequest.objects.get().persons == {"mother": resident.pk}


def test_the_kelurahan_office_of_another_kelurahan_sees_nothing(
    started: LetterRequest, make_member: Any
) -> None:
    from kotacerdas.accounts.models import Role, Unit

    unit = Unit.objects.create(
        kind="kelurahan", code="kel-harjamukti", name="x", region_id=HARJAMUKTI
    )
    other = make_member("lurah2", Role.LURAH, unit)
    assert (
        signed_in(other).post(reverse("kelurahan:act", args=[started.pk, "approve"])).status_code
        == 404
    )
