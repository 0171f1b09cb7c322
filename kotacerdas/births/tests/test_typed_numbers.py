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
    citizen_client,
    form_data,
)


def grouped(number: str, separator: str = " ") -> str:
    return separator.join(number[i : i + 4] for i in range(0, len(number), 4))


def test_a_declaration_with_numbers_typed_in_groups_is_saved_as_digits(family, citizen):
    client = citizen_client(citizen)
    page = client.get(reverse("births:new")).content.decode()
    [field] = re.findall(r'<input[^>]*name="mother_nik"[^>]*>', page)
    assert 'maxlength="32"' in field  # "3274 0141 0892 0001" is not cut at 16

    response = client.post(
        reverse("births:new"),
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


def test_the_claim_takes_a_nik_typed_with_dots_and_refuses_superscripts():
    assert ClaimForm({"nik": grouped(MOTHER_NIK, ".")}).is_valid()
    assert not ClaimForm({"nik": "327401520395000²"}).is_valid()
