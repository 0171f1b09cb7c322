"""The residents table's rows, built in Python: escaped, masked, linked as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kotacerdas.people.templatetags.people_rows import person_rows

pytestmark = pytest.mark.django_db


def test_a_row_shows_the_masked_nik_the_address_and_escapes_the_name(
    make_person: Any, rt: Any
) -> None:
    person = make_person(rt("32.74.01.1001", 1, 2), "Siti <b>Rahma</b>")
    with translation.override("id"):
        html = str(person_rows([person]))
    assert f'<a href="/penduduk/{person.pk}/">Siti &lt;b&gt;Rahma&lt;/b&gt;</a>' in html
    assert person.nik not in html and person.masked_nik in html
    assert "RW 01 / RT 002" in html and "05-03-2018" in html
    assert 'data-label="Lahir"' in html and html.count("<tr>") == 1
