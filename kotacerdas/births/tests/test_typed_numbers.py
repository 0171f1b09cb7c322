"""NIKs and the No. KK typed in groups, as they are printed on a KTP or family card."""

from __future__ import annotations

import re

from django.urls import reverse

from kotacerdas.births.forms import ClaimForm
from kotacerdas.births.models import Declaration
from kotacerdas.births.tests.conftest import (
    FATHER_NIK,
    KK,
    MOTHER_NIK,
    PARENT_PHONE,
    citizen_client,
    declare,
    form_data,
)
from kotacerdas.conftest import signed_in


def grouped(number: str, separator: str = " ") -> str:
    return separator.join(number[i : i + 4] for i in range(0, len(number), 4))


def test_a_declaration_with_numbers_typed_in_groups_is_saved_as_digits(family, citizen):
    client = citizen_client(citizen)
    response = declare(
        client,
        form_data(
            mother_nik=grouped(MOTHER_NIK),
            father_nik=grouped(FATHER_NIK, "."),
            reporter_nik=grouped(MOTHER_NIK, "-"),
            kk_number=grouped(KK, "."),
            parent_phone="+62 812.3456.7890",
        ),
    )

    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.mother_nik, declaration.father_nik) == (MOTHER_NIK, FATHER_NIK)
    assert declaration.reporter_nik == MOTHER_NIK
    assert declaration.family == family
    # Every number field of every step leaves room for the separators.
    for step, names in STEP_NUMBERS.items():
        page = client.get(reverse("births:step", args=[declaration.pk, step])).content.decode()
        for name in names:
            [field] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
            assert 'maxlength="32"' in field  # "3274 0141 0892 0001" is not cut at 16


STEP_NUMBERS = {
    "ibu": ["mother_nik"],
    "ayah": ["father_nik"],
    "keluarga": ["kk_number"],
    "pelapor": ["reporter_nik", "witness1_nik", "witness2_nik"],
}


def test_staff_type_the_parents_phone_and_every_number_in_groups(family, midwife):
    """The midwife's path: the parent's phone too, and the witnesses' NIKs."""
    client = signed_in(midwife)
    response = declare(
        client,
        form_data(
            mother_nik=grouped(MOTHER_NIK),
            father_nik=grouped(FATHER_NIK),
            kk_number=grouped(KK),
            reporter_relation="midwife",
            reporter_nik=grouped(WITNESS_NIK),
            reporter_name="Bidan Nur",
            witness1_nik=grouped(WITNESS_NIK),
            witness1_name="Nur",
            witness2_nik=grouped(WITNESS_NIK, "-"),
            witness2_name="Nur",
            parent_phone="0812 3456 7890",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    declaration = Declaration.objects.get()
    assert (declaration.mother_nik, declaration.kk_number) == (MOTHER_NIK, KK)
    assert declaration.witness1_nik == declaration.witness2_nik == WITNESS_NIK
    assert declaration.parent_phone == PARENT_PHONE
    page = client.get(reverse("births:step", args=[declaration.pk, "pelapor"])).content.decode()
    [phone] = re.findall(r'<input[^>]*name="parent_phone"[^>]*>', page)
    assert 'maxlength="32"' in phone


WITNESS_NIK = "3274015506880003"


def test_the_claim_takes_a_nik_typed_with_dots_and_refuses_superscripts():
    assert ClaimForm({"nik": grouped(MOTHER_NIK, ".")}).is_valid()
    assert not ClaimForm({"nik": "327401520395000²"}).is_valid()
