"""The city, programme and kelurahan pages: who sees what, in detail or suppressed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.dashboard.tables import suppressed
from kotacerdas.dashboard.tests.conftest import HARJAMUKTI, KEJAKSAN, WEIGHED, YEAR

pytestmark = pytest.mark.django_db


def table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def row(html: str, label: str) -> str:
    return html.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]


def test_one_small_count_hides_the_next_smallest_too_so_no_total_gives_it_away() -> None:
    assert suppressed([40, 3, 25, 0], 5) == ["40", "<5", "×", "0"]
    assert suppressed([40, 3, 2, 0], 5) == ["40", "<5", "<5", "0"]
    assert suppressed([40, 12], 5) == ["40", "12"]


@pytest.mark.usefixtures("weighings")
def test_the_public_sees_the_city_by_month_with_small_counts_hidden(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        html = client.get(reverse("dashboard:city"), {"tahun": YEAR}).content.decode()

    months = table(html, "posyandu-children_weighed-bulan")
    assert "<td>47</td>" in months  # January, both kelurahan
    assert "<td>&lt;11</td>" in months  # February: 3
    assert "<td>×</td>" in months  # March: 25, hidden with it
    assert "Definition" in html or "Definisi" in html
    assert "<svg" in html


@pytest.mark.usefixtures("weighings")
def test_the_public_programme_page_ranks_kelurahan_without_the_month_grid(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        response = client.get(reverse("dashboard:programme", args=["posyandu"]))
    html = response.content.decode()

    ranked = table(html, "posyandu-children_weighed-kelurahan")
    assert "<td>43</td>" in row(ranked, "Kejaksan")
    assert "<td>32</td>" in row(ranked, "Harjamukti")
    assert 'id="posyandu-children_weighed-rinci"' not in html


def test_an_unknown_programme_is_not_found(client: Client) -> None:
    assert client.get(reverse("dashboard:programme", args=["nothing"])).status_code == 404


@pytest.mark.usefixtures("weighings")
def test_the_wali_kotas_office_sees_every_kelurahan_and_month_in_detail(leader: User) -> None:
    html = signed_in(leader).get(reverse("dashboard:programme", args=["posyandu"])).content.decode()

    grid = table(html, "posyandu-children_weighed-rinci")
    assert "<td>40</td><td>3</td>" in row(grid, "Kejaksan")
    months = table(html, "posyandu-children_weighed-bulan")
    assert "<td>3</td>" in months and "&lt;11" not in months


@pytest.mark.usefixtures("weighings")
def test_an_agency_sees_its_own_programme_in_detail_and_the_others_public(
    dinkes: User, put_value: Any
) -> None:
    put_value("reports.reports_received", KEJAKSAN, 1, 2)
    client = signed_in(dinkes)

    own = client.get(reverse("dashboard:programme", args=["posyandu"])).content.decode()
    other = client.get(reverse("dashboard:programme", args=["reports"])).content.decode()

    assert 'id="posyandu-children_weighed-rinci"' in own
    assert 'id="reports-reports_received-rinci"' not in other
    assert "&lt;11" in table(other, "reports-reports_received-kelurahan")


@pytest.mark.usefixtures("weighings")
def test_the_lurah_opens_her_kelurahan_with_every_programme_in_detail(
    lurah: User, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(lurah)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboard:kelurahan", args=[KEJAKSAN]), {"figur": WEIGHED})
    html = response.content.decode()

    assert response.status_code == 200
    months = table(html, "posyandu-children_weighed-bulan")
    assert "<td>40</td>" in months and "<td>3</td>" in months  # her own small count, unhidden
    assert "<td>7</td>" not in months  # nothing of Harjamukti's months
    assert "<td>32</td>" in row(table(html, "ranking"), "Harjamukti")  # public: its year
    for programme in ("reports", "posyandu", "births", "hospital"):
        assert f'id="program-{programme}"' in html


@pytest.mark.usefixtures("weighings")
def test_the_ranking_hides_another_kelurahans_small_count_from_the_lurah(
    lurah: User, put_value: Any
) -> None:
    put_value(WEIGHED, "32.74.01.1002", 5, 4)  # Sukapura: 4
    html = (
        signed_in(lurah)
        .get(reverse("dashboard:kelurahan", args=[KEJAKSAN]), {"figur": WEIGHED})
        .content.decode()
    )

    ranking = table(html, "ranking")
    assert "<td>&lt;11</td>" in row(ranking, "Sukapura")
    assert "<td>43</td>" in row(ranking, "Kejaksan")


def test_another_kelurahans_page_is_not_found_for_the_lurah(lurah: User) -> None:
    response = signed_in(lurah).get(reverse("dashboard:kelurahan", args=[HARJAMUKTI]))
    assert response.status_code == 404


def test_the_camat_reaches_every_kelurahan_of_the_kecamatan_only(camat: User) -> None:
    client = signed_in(camat)
    assert client.get(reverse("dashboard:kelurahan", args=["32.74.01.1002"])).status_code == 200
    assert client.get(reverse("dashboard:kelurahan", args=[HARJAMUKTI])).status_code == 404


def test_a_member_without_a_dashboard_role_is_refused(rw_operator: User) -> None:
    client = signed_in(rw_operator)
    assert client.get(reverse("dashboard:kelurahan", args=[KEJAKSAN])).status_code == 403
    assert client.get(reverse("dashboard:my-area")).status_code == 403


def test_the_kelurahan_page_asks_the_public_to_sign_in(client: Client, city: Any) -> None:
    response = client.get(reverse("dashboard:kelurahan", args=[KEJAKSAN]))
    assert response.status_code == 302


def test_my_area_lists_the_lurahs_kelurahan_and_the_camats_kecamatan(
    lurah: User, camat: User
) -> None:
    mine = signed_in(lurah).get(reverse("dashboard:my-area")).content.decode()
    theirs = signed_in(camat).get(reverse("dashboard:my-area")).content.decode()

    assert reverse("dashboard:kelurahan", args=[KEJAKSAN]) in mine
    assert reverse("dashboard:kelurahan", args=["32.74.01.1002"]) not in mine
    assert reverse("dashboard:kelurahan", args=["32.74.01.1002"]) in theirs


def test_a_year_outside_the_offered_ones_says_so_and_shows_this_year(client: Client) -> None:
    html = client.get(reverse("dashboard:city"), {"tahun": "1999"}, HTTP_ACCEPT_LANGUAGE="id")
    text = html.content.decode()
    assert html.status_code == 200
    assert f"{YEAR}</h1>" in text
    assert "1999" in text.split('class="errorlist"', 1)[1][:300]
