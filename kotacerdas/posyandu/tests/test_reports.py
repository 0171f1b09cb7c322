"""SKDN counts, the Excel export and the stunting page."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kotacerdas.conftest import HARJAMUKTI, signed_in
from kotacerdas.posyandu import actions, skdn
from kotacerdas.posyandu.models import ChildRecord, Posyandu
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def weigh(child, cadre, posyandu, months_back, weight, **fields):
    values = {"date": months_ago(months_back, 2), "weight": Decimal(weight), **fields}
    return actions.record_measurement(child, posyandu, values, user=cadre).measurement


@pytest.fixture
def month_of_weighings(cadre, posyandu, other_posyandu, other_cadre, make_child):
    """Kejaksan: 5 children. This month: N, T (2T), O, B weighed; one not weighed (no KIA book)."""
    up = make_child("Naik", birth_date=months_ago(20, 1))
    weigh(up, cadre, posyandu, 1, "10.0")
    weigh(up, cadre, posyandu, 0, "10.4")
    twice = make_child("Dua T", birth_date=months_ago(20, 1))
    weigh(twice, cadre, posyandu, 2, "10.0")
    weigh(twice, cadre, posyandu, 1, "10.0")
    weigh(twice, cadre, posyandu, 0, "9.9")
    skipped = make_child("Bolos", birth_date=months_ago(20, 1))
    weigh(skipped, cadre, posyandu, 2, "10.0")
    weigh(skipped, cadre, posyandu, 0, "10.5")
    new = make_child("Baru", birth_date=months_ago(14, 1))
    weigh(new, cadre, posyandu, 0, "6.3", lenhei=Decimal("68"), measure="l")  # BGM, stunted
    absent = make_child("Absen", birth_date=months_ago(30, 1))
    ChildRecord.objects.create(child=absent, has_kia_book=False)
    make_child("Lewat lima", birth_date=months_ago(61, 1))  # not counted in S
    elsewhere = make_child("Harjamukti", kelurahan=HARJAMUKTI, birth_date=months_ago(10, 1))
    weigh(elsewhere, other_cadre, other_posyandu, 0, "8.0")
    return {"up": up, "twice": twice}


def test_skdn_counts_a_month(month_of_weighings, posyandu):
    month = months_ago(0, 1)
    months = [months_ago(1, 1), month]
    counts = skdn.per_posyandu([posyandu], months)[posyandu.pk]
    now = counts[month]
    assert (now.S, now.K, now.D) == (5, 4, 4)
    assert (now.N, now.T, now.two_t, now.O, now.B, now.BGM) == (1, 1, 1, 1, 1, 1)
    assert now.stunted == 1
    assert now.k_s == 80.0 and now.d_s == 80.0 and now.n_d == 25.0
    assert now.n_d_prime == 50.0  # D′ = 4 − 1 − 1
    last = counts[months[0]]
    assert (last.D, last.N, last.T, last.B) == (2, 0, 1, 1)


def test_city_skdn_adds_the_posyandu_up(month_of_weighings, dinkes_officer):
    client = signed_in(dinkes_officer)
    response = client.get("/posyandu/skdn/")
    assert response.status_code == 200
    total = response.context["total"].months[months_ago(0, 1)]
    assert (total.S, total.D) == (6, 5)
    labels = [area.label for area in response.context["breakdown"]]
    assert len(labels) == 2  # two kecamatan
    one = client.get(f"/posyandu/skdn/?wilayah=pos-{Posyandu.objects.order_by('pk').first().pk}")
    assert one.context["total"].months[months_ago(0, 1)].D == 4


def test_the_cadre_sees_only_their_posyandu_in_skdn(month_of_weighings, cadre):
    response = signed_in(cadre).get("/posyandu/skdn/")
    assert response.context["total"].months[months_ago(0, 1)].D == 4


def test_skdn_excel_has_the_months_and_the_areas(month_of_weighings, dinkes_officer):
    response = signed_in(dinkes_officer).get("/posyandu/skdn.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["SKDN"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    assert header[-1] == months_ago(0, 1).strftime("%Y-%m")
    d_row = next(r for r in rows if r[0] and str(r[0]).startswith("D "))
    assert d_row[-1] == 5
    assert len(workbook.sheetnames) == 3  # months, areas, age and sex


def test_skdn_for_the_city_takes_three_queries_whatever_the_size(
    month_of_weighings, posyandu, other_posyandu, django_assert_num_queries
):
    # The months the register tallies cover, then S and K, then the weighing tallies.
    with django_assert_num_queries(3):
        skdn.per_posyandu([posyandu, other_posyandu], skdn.months_up_to(months_ago(0, 1), 6))


def test_stunting_page_counts_each_child_once_from_the_latest(month_of_weighings, cadre, posyandu):
    child = month_of_weighings["up"]
    response = signed_in(cadre).get("/posyandu/stunting/")
    rows = response.context["rows"]
    assert len(rows) == 1
    assert rows[0]["measured"] == 4  # four children measured, however many months
    assert rows[0]["stunted"] == 1 and rows[0]["underweight"] == 1
    assert child.name not in response.content.decode()  # counts, no names


def test_only_the_newest_measurement_is_latest_even_after_a_correction(cadre, posyandu, make_child):
    child = make_child(birth_date=months_ago(20, 1))
    older = weigh(child, cadre, posyandu, 1, "10.0")
    newer = weigh(child, cadre, posyandu, 0, "10.3")
    weigh(child, cadre, posyandu, 1, "9.9")  # last month corrected afterwards
    older.refresh_from_db()
    newer.refresh_from_db()
    assert newer.latest and not older.latest


def test_report_pages_take_a_bounded_number_of_queries(
    month_of_weighings, dinkes_officer, django_assert_max_num_queries
):
    client = signed_in(dinkes_officer)
    for url in ("/posyandu/skdn/", "/posyandu/skdn.xlsx", "/posyandu/stunting/"):
        # 15: the SKDN page's first look also reads its cache key (the posyandu seen).
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_skdn_by_age_and_sex(month_of_weighings, posyandu):
    rows = skdn.by_age_and_sex([posyandu], months_ago(0, 1))
    by_label = {row.label: row.counts for row in rows}
    # All test children are girls: 14 months (12–23), 20 months ×3 (12–23), 30 months (24–35).
    assert by_label["12–23"]["S"] == {"M": 0, "F": 4}
    assert by_label["24–35"]["S"] == {"M": 0, "F": 1}
    assert by_label["12–23"]["D"]["F"] == 4 and by_label["12–23"]["N"]["F"] == 1
    assert by_label["12–23"]["BGM"]["F"] == 1 and by_label["12–23"]["stunted"]["F"] == 1
    assert sum(r.counts["S"]["F"] for r in rows) == 5


def test_the_stunting_page_says_children_measured_not_how_they_were_measured(
    month_of_weighings, cadre
):
    with translation.override("id"):
        body = signed_in(cadre).get("/posyandu/stunting/", HTTP_ACCEPT_LANGUAGE="id")
    text = body.content.decode()
    assert "Cara ukur" not in text  # the form's "Measured" (lying/standing)
    assert "Balita diukur" in text


def test_two_posyandu_of_one_rw_count_its_children_once(
    month_of_weighings, posyandu, dinkes_officer
):
    from kotacerdas.accounts.models import Unit

    unit = Unit.objects.create(kind="posyandu", code="posyandu-kejaksan-01b", rw=posyandu.rw)
    Posyandu.objects.create(unit=unit, name="Posyandu Mawar", rw=posyandu.rw, opening_day=20)
    response = signed_in(dinkes_officer).get("/posyandu/skdn/")
    now = response.context["total"].months[months_ago(0, 1)]
    assert (now.S, now.K) == (6, 5)  # Kejaksan 5 (4 with a KIA book) + Harjamukti 1
    assert now.D == 5


@pytest.mark.parametrize("month", ["0001-01", "0003-06", "9999-12"])
def test_a_month_outside_any_report_is_refused_not_a_server_error(dinkes_officer, month):
    client = signed_in(dinkes_officer)
    for url in ("/posyandu/skdn/", "/posyandu/skdn.xlsx"):
        with translation.override("id"):
            response = client.get(url, {"bulan": month}, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code in (200, 400), url
    assert (
        "Pilih bulan antara"
        in client.get(
            "/posyandu/skdn/", {"bulan": month}, HTTP_ACCEPT_LANGUAGE="id"
        ).content.decode()
    )


def test_the_skdn_page_shows_the_current_month_first_and_the_workbook_keeps_time_order(
    month_of_weighings, cadre
):
    client = signed_in(cadre)
    page = client.get("/posyandu/skdn/").content.decode()
    workbook = load_workbook(BytesIO(client.get("/posyandu/skdn.xlsx").content))

    table = page[page.index('id="skdn-months"') :]
    headers = re.findall(r'<th scope="col">(\d\d-\d{4})</th>', table.split("</thead>", 1)[0])
    current, previous = months_ago(0, 1), months_ago(1, 1)
    assert headers[:2] == [current.strftime("%m-%Y"), previous.strftime("%m-%Y")]
    d_row = re.search(r"D — ditimbang.*?</tr>", table).group(0)  # type: ignore[union-attr]
    assert re.findall(r"<td>(\d+)</td>", d_row)[0] == "4"  # this month's D comes first
    header = list(workbook["SKDN"].iter_rows(values_only=True))[1]
    assert header[1:] == tuple(sorted(header[1:]))  # oldest → newest in the workbook
