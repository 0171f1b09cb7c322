"""The residents table's rows, built in Python: escaped, masked, linked as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from kotacerdas.people.models import Person
from kotacerdas.people.templatetags.people_rows import ROW_COLUMNS, PersonRow, person_rows

pytestmark = pytest.mark.django_db


def test_a_row_shows_the_masked_nik_the_address_and_escapes_the_name(
    make_person: Any, rt: Any
) -> None:
    person = make_person(rt("32.74.01.1001", 1, 2), "Siti <b>Rahma</b>")
    with translation.override("id"):
        html = str(person_rows([PersonRow.of(person)]))
    assert f'<a href="/penduduk/{person.pk}/">Siti &lt;b&gt;Rahma&lt;/b&gt;</a>' in html
    assert person.nik not in html and person.masked_nik in html
    assert "RW 01 / RT 002" in html and "05-03-2018" in html
    assert 'data-label="Lahir"' in html and html.count("<tr>") == 1


def test_a_row_from_the_page_query_is_the_row_of_the_loaded_person(
    make_person: Any, rt: Any
) -> None:
    """The list's page loads tuples of ``ROW_COLUMNS``, a search loads
    people: both give the same HTML, quotes and all escaped."""
    person = make_person(rt("32.74.01.1001", 2, 2), 'Nur "Ani" & O\'Neil')
    loaded = Person.objects.select_related("rt__rw__kelurahan").get(pk=person.pk)
    page_row = Person.objects.filter(pk=person.pk).values_list(*ROW_COLUMNS).get()
    with translation.override("id"):
        from_page = str(person_rows([PersonRow._make(page_row)]))
        from_search = str(person_rows([PersonRow.of(loaded)]))
    assert from_page == from_search
    assert "Nur &quot;Ani&quot; &amp; O&#x27;Neil" in from_page
    assert "RW 02 / RT 002" in from_page and ">Penduduk aktif</td>" in from_page


def test_a_person_without_a_nik_shows_a_dash(make_person: Any, rt: Any) -> None:
    person = make_person(rt("32.74.01.1001", 1, 1), "Tanpa NIK")
    Person.objects.filter(pk=person.pk).update(nik=None, status=Person.Status.MOVED)
    row = Person.objects.filter(pk=person.pk).values_list(*ROW_COLUMNS).get()
    with translation.override("id"):
        html = str(person_rows([PersonRow._make(row)]))
    assert 'class="nik">—</td>' in html and ">Sudah pindah</td>" in html
