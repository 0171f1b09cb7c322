"""Every staff view: works in scope, 404 outside it, 403 for a reader trying to change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kotacerdas.conftest import signed_in
from kotacerdas.posyandu import actions
from kotacerdas.posyandu.models import Alert, Measurement, Pregnancy, ScheduleDose
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cadre, posyandu, make_child, make_person, rt):
    child = make_child(birth_date=months_ago(14, 1))
    actions.record_measurement(
        child,
        posyandu,
        {
            "date": months_ago(0, 1),
            "weight": Decimal("6.3"),
            "lenhei": Decimal("68"),
            "measure": "l",
        },
        user=cadre,
    )
    woman = make_person(rt("32.74.01.1001", 1, 2), "Ibu Hamil", birth_date=dt.date(1996, 1, 1))
    pregnancy = Pregnancy.objects.create(
        woman=woman,
        posyandu=posyandu,
        lmp=timezone.localdate() - dt.timedelta(weeks=10),
        edd=timezone.localdate() + dt.timedelta(weeks=30),
        recorded_by=cadre,
    )
    alert = Alert.objects.filter(measurement__child=child).first()
    return {"child": child, "pregnancy": pregnancy, "alert": alert, "posyandu": posyandu}


def read_urls(w):
    c, p, pr = w["child"].pk, w["posyandu"].pk, w["pregnancy"].pk
    return [
        f"/posyandu/{p}/",
        f"/posyandu/{p}/imunisasi/",
        f"/posyandu/{p}/ibu-hamil/",
        f"/posyandu/anak/{c}/",
        f"/posyandu/anak/{c}/grafik/",
        f"/posyandu/ibu-hamil/{pr}/",
    ]


def write_posts(w):
    c, p, pr, a = w["child"].pk, w["posyandu"].pk, w["pregnancy"].pk, w["alert"].pk
    today = timezone.localdate().isoformat()
    dose = ScheduleDose.objects.get(antigen="BCG").pk
    return [
        (f"/posyandu/peringatan/{a}/tangani/", {"note": "Dirujuk ke puskesmas"}),
        (f"/posyandu/anak/{c}/timbang/", {"date": today, "weight": "9.1"}),
        (f"/posyandu/anak/{c}/orang-tua/", {"has_kia_book": "on"}),
        (f"/posyandu/anak/{c}/imunisasi/", {"dose": dose, "date": today}),
        (f"/posyandu/{p}/ibu-hamil/", {"woman": "", "lmp": today}),
        (f"/posyandu/ibu-hamil/{pr}/kunjungan/", {"date": today, "lila": "24"}),
        (f"/posyandu/ibu-hamil/{pr}/selesai/", {"ended_on": today}),
    ]


LISTS = [
    "/posyandu/",
    "/posyandu/peringatan/",
    "/posyandu/skdn/",
    "/posyandu/skdn.xlsx",
    "/posyandu/stunting/",
]


@pytest.mark.parametrize(
    "who", ["cadre", "nutrition_officer", "dinkes_officer", "puskesmas_viewer"]
)
def test_every_page_works_for_the_posyandu_staff(request, world, who):
    client = signed_in(request.getfixturevalue(who))
    for url in read_urls(world) + LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url  # shared RW/posyandu computers


def test_the_puskesmas_officer_can_change(world, nutrition_officer):
    client = signed_in(nutrition_officer)
    for url, data in write_posts(world):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), url
    assert Alert.objects.get(pk=world["alert"].pk).handled_by == nutrition_officer
    assert Measurement.objects.get().weight == Decimal("9.1")
    world["pregnancy"].refresh_from_db()
    assert world["pregnancy"].visits.count() == 1 and world["pregnancy"].ended_on is not None


def test_another_posyandu_cadre_gets_404_for_everything(world, other_cadre):
    client = signed_in(other_cadre)
    for url in read_urls(world):
        assert client.get(url).status_code == 404, url
    for url, data in write_posts(world):
        assert client.post(url, data).status_code == 404, url
    # And their lists do not show the child.
    assert world["child"].name not in client.get("/posyandu/peringatan/").content.decode()
    assert Measurement.objects.count() == 1


def test_a_read_only_member_gets_403_on_every_change(world, puskesmas_viewer):
    client = signed_in(puskesmas_viewer)
    for url, data in write_posts(world):
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"/posyandu/anak/{world['child'].pk}/timbang/").status_code == 403
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "rw_operator", "registrar"])
def test_members_without_a_posyandu_role_get_403_and_404(request, world, who):
    client = signed_in(request.getfixturevalue(who), verified=True)
    for url in LISTS:
        assert client.get(url).status_code == 403, url
    for url in read_urls(world):
        assert client.get(url).status_code == 404, url


def test_the_puskesmas_sees_its_kecamatan_only(world, nutrition_officer, other_posyandu):
    client = signed_in(nutrition_officer)
    assert client.get(f"/posyandu/{other_posyandu.pk}/").status_code == 404
    assert client.get(f"/posyandu/{world['posyandu'].pk}/").status_code == 200


def test_alert_list_query_count_is_bounded(world, nutrition_officer, django_assert_max_num_queries):
    client = signed_in(nutrition_officer)
    with django_assert_max_num_queries(12):
        assert client.get("/posyandu/peringatan/").status_code == 200


def test_posyandu_day_query_count_is_bounded(
    world, cadre, make_child, django_assert_max_num_queries
):
    for i in range(10):
        make_child(f"Anak {i}", birth_date=months_ago(3 + i, 1))
    client = signed_in(cadre)
    with django_assert_max_num_queries(14):
        assert client.get(f"/posyandu/{world['posyandu'].pk}/").status_code == 200


def test_dinkes_reaches_every_posyandu_of_the_city_from_the_list(dinkes_officer, posyandu):
    from kotacerdas.accounts.models import Unit
    from kotacerdas.posyandu.models import Posyandu

    for i in range(230):
        unit = Unit.objects.create(kind="posyandu", code=f"posyandu-x-{i}", rw=posyandu.rw)
        Posyandu.objects.create(unit=unit, name=f"Posyandu X{i:03d}", rw=posyandu.rw)
    client = signed_in(dinkes_officer)
    seen = set()
    page = 1
    while True:
        response = client.get("/posyandu/", {"page": page})
        seen |= {p.pk for p in response.context["posyandu_list"]}
        if not response.context["page"].has_next():
            break
        page += 1
    assert len(seen) == 231


def test_a_child_weighed_this_month_at_another_posyandu_is_not_to_weigh_again(
    cadre, posyandu, other_cadre, other_posyandu, make_child
):
    child = make_child("Pindah Timbang", birth_date=months_ago(14, 1))
    actions.record_measurement(
        child,
        other_posyandu,
        {"date": timezone.localdate(), "weight": Decimal("9.0")},
        user=other_cadre,
    )
    response = signed_in(cadre).get(f"/posyandu/{posyandu.pk}/")
    assert child not in response.context["waiting"]
    assert [c for c, _m in response.context["done"]] == [child]
