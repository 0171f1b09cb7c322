"""The birth report in steps: each step saves the draft, shows its errors next to
its fields, and the list of steps says what is done and lets the parent go back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kotacerdas.births import actions, steps
from kotacerdas.births.models import Declaration
from kotacerdas.births.tests.conftest import (
    MOTHER_NIK,
    citizen_client,
    declare,
    form_data,
    upload,
)
from kotacerdas.conftest import signed_in
from kotacerdas.messaging.models import Message


def step_url(declaration: Declaration, step: str) -> str:
    return reverse("births:step", args=[declaration.pk, step])


def test_each_step_saves_the_draft_and_leads_to_the_next(family, citizen):
    client = citizen_client(citizen)
    data = form_data()
    first = client.post(reverse("births:new"), data)
    declaration = Declaration.objects.get()
    assert first["Location"] == step_url(declaration, "ibu")
    # Only the baby is saved so far.
    assert declaration.child_name == "Aisyah Putri" and declaration.mother_nik == ""
    assert declaration.status == Declaration.Status.DRAFT

    page = client.get(step_url(declaration, "ibu")).content.decode()
    steps = re.search(r'<nav class="steps".*?</nav>', page, re.S).group(0)  # type: ignore[union-attr]
    assert 'class="step-done"' in steps and 'aria-current="step"' in steps
    assert f'href="{step_url(declaration, "bayi")}"' in steps  # back to the baby's step

    following = {"ibu": "ayah", "ayah": "keluarga", "keluarga": "pelapor"}
    for step, after in following.items():
        response = client.post(step_url(declaration, step), data)
        assert response["Location"] == step_url(declaration, after)
    last = client.post(step_url(declaration, "pelapor"), data)
    assert last["Location"] == reverse("births:detail", args=[declaration.pk])
    declaration.refresh_from_db()
    assert (declaration.mother_nik, declaration.family, declaration.reporter_nik) == (
        MOTHER_NIK,
        family,
        MOTHER_NIK,
    )

    # Going back shows what was saved; a change there keeps the rest.
    back = client.get(step_url(declaration, "bayi"))
    assert back.context["form"]["child_name"].value() == "Aisyah Putri"
    client.post(step_url(declaration, "bayi"), data | {"child_name": "Aisyah Putri Rahma"})
    declaration.refresh_from_db()
    assert declaration.child_name == "Aisyah Putri Rahma"
    assert declaration.mother_nik == MOTHER_NIK and declaration.family == family


def test_an_error_stands_next_to_its_field_without_a_general_banner(family, citizen):
    client = citizen_client(citizen)
    client.post(reverse("births:new"), form_data())
    declaration = Declaration.objects.get()
    response = client.post(
        step_url(declaration, "ibu"), form_data(mother_nik="3274 0152 1395 0001")
    )
    assert response.status_code == 200
    page = response.content.decode()
    field = re.search(r'<div class="field">\s*<label for="id_mother_nik".*?</div>', page, re.S)
    assert field is not None and "errorlist" in field.group(0)
    assert 'aria-invalid="true"' in field.group(0)
    assert "Mohon perbaiki kesalahan di bawah ini" not in page
    assert 'class="errorlist nonfield"' not in page
    declaration.refresh_from_db()
    assert declaration.mother_nik == ""


def test_a_home_birth_reads_rumah_and_the_places_are_a_list_that_wraps(citizen):
    page = citizen_client(citizen).get(reverse("births:new")).content.decode()
    places = re.search(r"<fieldset class=\"field choices.*?</fieldset>", page, re.S)
    assert places is not None
    radios = re.findall(r'<input type="radio" name="birth_place_type"', places.group(0))
    assert len(radios) == 5
    assert "Rumah" in places.group(0) and "Beranda" not in places.group(0)
    assert "<legend>" in places.group(0)  # the question names the group of choices


def test_an_unfinished_report_cannot_be_sent_and_says_which_step_is_missing(family, citizen):
    client = citizen_client(citizen)
    client.post(reverse("births:new"), form_data())
    declaration = Declaration.objects.get()
    for kind in ("skl", "nikah", "kk"):
        client.post(reverse("births:upload", args=[declaration.pk]), upload(kind))
    page = client.get(reverse("births:detail", args=[declaration.pk])).content.decode()
    assert "Masih perlu diisi" in page
    assert f'href="{step_url(declaration, "ibu")}"' in page
    assert re.search(r"<button type=\"submit\" disabled>Kirim laporan", page)
    with pytest.raises(ValidationError):
        actions.submit(declaration, request=None, citizen=citizen)
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.DRAFT


def test_staff_sms_the_parent_once_the_number_is_given(family, midwife):
    client = signed_in(midwife)
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    client.post(reverse("births:new"), data)
    declaration = Declaration.objects.get()
    assert declaration.parent_phone == ""
    assert not Message.objects.filter(purpose="births:started").exists()
    declare(client, data)  # the same answers again: a second draft, through every step
    assert Message.objects.filter(purpose="births:started").count() == 1


def test_a_step_opens_only_for_who_may_change_the_report(family, citizen, midwife):
    client = citizen_client(citizen)
    client.post(reverse("births:new"), form_data())
    declaration = Declaration.objects.get()
    assert client.get(step_url(declaration, "nama")).status_code == 404
    assert signed_in(midwife).get(step_url(declaration, "ibu")).status_code == 404
    assert Client().get(step_url(declaration, "ibu")).status_code in (302, 404)
    stranger = citizen_client(citizen.__class__.objects.create(phone="+6281311112222"))
    assert stranger.get(step_url(declaration, "ibu")).status_code == 404


def test_a_late_birth_goes_through_the_steps_onto_the_late_path(family, citizen):
    client = citizen_client(citizen)
    born = timezone.localdate() - dt.timedelta(days=90)
    response = declare(client, form_data(birth_date=born.isoformat()))
    declaration = Declaration.objects.get()
    assert response["Location"] == reverse("births:detail", args=[declaration.pk])
    assert declaration.late and declaration.family == family
    page = client.get(step_url(declaration, "pelapor")).content.decode()
    assert "jalur pencatatan terlambat" in page  # the late note stays on every step
    detail = client.get(reverse("births:detail", args=[declaration.pk])).content.decode()
    assert "Masih perlu diisi" not in detail


def test_a_mothers_nik_changed_after_the_reporter_step_brings_that_step_back(family, citizen):
    client = citizen_client(citizen)
    declare(client, form_data())
    declaration = Declaration.objects.get()
    assert not steps.unfinished(declaration)
    other_nik = "3274014108920001"  # another woman's NIK
    client.post(step_url(declaration, "ibu"), form_data(mother_nik=other_nik))
    declaration.refresh_from_db()
    assert declaration.mother_nik == other_nik
    assert [step.slug for step in steps.unfinished(declaration)] == ["pelapor"]
    refused = client.post(step_url(declaration, "pelapor"), form_data())
    assert "reporter_nik" in refused.context["form"].errors
    client.post(step_url(declaration, "pelapor"), form_data(reporter_nik=other_nik))
    declaration.refresh_from_db()
    assert not steps.unfinished(declaration)
