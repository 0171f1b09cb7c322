from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in


def test_an_rw_operator_sees_the_residents_of_that_rw_only(rw_operator, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name="Ani Mine")
    make_person(rt(KEJAKSAN, 2, 1), name="Budi Other RW")
    make_person(rt(HARJAMUKTI, 1, 1), name="Cici Other Kelurahan")

    response = signed_in(rw_operator).get(reverse("people:person-list"))

    assert response.status_code == 200
    assert "Ani Mine" in response.text
    assert "Budi Other RW" not in response.text
    assert "Cici Other Kelurahan" not in response.text


def test_the_list_masks_the_nik(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(rw_operator).get(reverse("people:person-list"))

    assert person.nik not in response.text
    assert "3274••••••••0001" in response.text


def test_a_kelurahan_officer_sees_every_rw_of_the_kelurahan(kelurahan_officer, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name="Ani Satu")
    make_person(rt(KEJAKSAN, 2, 2), name="Budi Dua")
    make_person(rt(HARJAMUKTI, 1, 1), name="Cici Harjamukti")

    response = signed_in(kelurahan_officer).get(reverse("people:person-list"))

    assert "Ani Satu" in response.text and "Budi Dua" in response.text
    assert "Cici Harjamukti" not in response.text


def test_a_member_of_no_unit_is_refused(outsider):
    response = signed_in(outsider).get(reverse("people:person-list"))

    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, city):
    response = client.get(reverse("people:person-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_search_by_name_is_posted_and_finds_within_scope(rw_operator, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name="Siti Nurhaliza")
    make_person(rt(KEJAKSAN, 1, 2), name="Dewi Lestari")
    make_person(rt(HARJAMUKTI, 1, 1), name="Siti Elsewhere")

    response = signed_in(rw_operator).post(reverse("people:person-list"), {"q": "siti"})

    assert "Siti Nurhaliza" in response.text
    assert "Dewi Lestari" not in response.text
    assert "Siti Elsewhere" not in response.text
    assert "1 orang ditemukan" in response.text or "1 person found" in response.text


def test_search_by_nik_prefix(rw_operator, make_person, rt):
    person = make_person(rt(KEJAKSAN, 1, 1), name="Ani By NIK")
    make_person(rt(KEJAKSAN, 1, 1), name="Budi Not Matching")

    response = signed_in(rw_operator).post(reverse("people:person-list"), {"q": person.nik})

    assert "Ani By NIK" in response.text
    assert "Budi Not Matching" not in response.text


def test_the_list_query_count_does_not_grow_with_residents(
    rw_operator, make_person, rt, django_assert_max_num_queries
):
    for i in range(30):
        make_person(rt(KEJAKSAN, 1, 1 + i % 2), name=f"Warga {i}")
    client = signed_in(rw_operator)

    # session, user, memberships, count, the page's rows, session save (3)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:person-list"))

    assert response.text.count("Warga ") == 30


def test_a_city_wide_list_counts_once_and_reuses_the_count(registrar, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name="Ani")
    client = signed_in(registrar, verified=True)
    first = client.get(reverse("people:person-list"))
    make_person(rt(HARJAMUKTI, 1, 1), name="Budi")

    second = client.get(reverse("people:person-list"))

    assert first.context["page"].paginator.count == 1
    # The total of a city-wide list is cached for a while; the rows are not.
    assert second.context["page"].paginator.count == 1
    assert "Budi" in second.text


@pytest.mark.parametrize("shallow", [0, 500], ids=["ids-first", "rows-at-once"])
def test_every_page_shows_its_own_rows_from_either_end(
    kelurahan_officer, make_person, rt, monkeypatch, shallow
):
    # The first pages are read in one query, deeper ones by ids first, and
    # pages past the middle from the end: they must all line up.
    monkeypatch.setattr("kotacerdas.people.views.PAGE_SIZE", 2)
    monkeypatch.setattr("kotacerdas.core.pagination.SHALLOW", shallow)
    for i in range(7):
        make_person(rt(KEJAKSAN, 1 + i % 2, 1), name=f"Warga {i:02d}")
    client = signed_in(kelurahan_officer)

    pages = [
        [p.name for p in client.get(f"{reverse('people:person-list')}?page={n}").context["page"]]
        for n in (1, 2, 3, 4)
    ]

    assert pages == [
        ["Warga 00", "Warga 01"],
        ["Warga 02", "Warga 03"],
        ["Warga 04", "Warga 05"],
        ["Warga 06"],
    ]


def test_search_orders_matches_by_name_for_long_and_short_words(rw_operator, make_person, rt):
    for name in ["Siti Zahra", "Siti Aminah", "Budi Siti", "Dewi"]:
        make_person(rt(KEJAKSAN, 1, 1), name=name)
    client = signed_in(rw_operator)

    def names(query):
        response = client.post(reverse("people:person-list"), {"q": query})
        return [p.name for p in response.context["results"]]

    assert names("siti") == ["Budi Siti", "Siti Aminah", "Siti Zahra"]
    assert names("ti") == ["Budi Siti", "Siti Aminah", "Siti Zahra"]
