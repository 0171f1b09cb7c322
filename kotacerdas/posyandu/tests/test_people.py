"""Parents from the family card or set by the cadre; pregnant women; the mother's view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from kotacerdas.conftest import signed_in
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen, Relationship
from kotacerdas.posyandu import actions, children
from kotacerdas.posyandu.models import AntenatalVisit, Pregnancy
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(make_family, make_person, rt):
    home = rt("32.74.01.1001", 1, 1)
    kk = make_family(home)
    father = make_person(
        home,
        "Pak Joko",
        sex="M",
        birth_date=dt.date(1988, 5, 1),
        family=kk,
        relationship=Relationship.HEAD,
    )
    mother = make_person(
        home,
        "Bu Sari",
        sex="F",
        birth_date=dt.date(1992, 5, 1),
        family=kk,
        relationship=Relationship.WIFE,
        phone="+6281298765432",
    )
    child = make_person(
        home,
        "Dinda",
        sex="F",
        birth_date=months_ago(18, 1),
        family=kk,
        relationship=Relationship.CHILD,
    )
    return {"father": father, "mother": mother, "child": child, "home": home}


def test_parents_come_from_the_family_card(family):
    parents = children.parents_of(family["child"])
    assert parents.mother == family["mother"] and parents.father == family["father"]
    assert children.mothers_children(family["mother"]) == [family["child"]]


def test_the_cadre_corrects_the_mother(family, make_person, cadre, posyandu):
    aunt = make_person(family["home"], "Bu Tini", sex="F", birth_date=dt.date(1985, 1, 1))
    client = signed_in(cadre)
    response = client.post(
        f"/posyandu/anak/{family['child'].pk}/orang-tua/",
        {"mother": aunt.pk, "father": family["father"].pk, "has_kia_book": "on"},
    )
    assert response.status_code == 302
    assert children.parents_of(family["child"]).mother == aunt
    assert children.mothers_children(family["mother"]) == []
    assert children.mothers_children(aunt) == [family["child"]]


def test_a_man_cannot_be_the_mother(family, cadre, posyandu):
    client = signed_in(cadre)
    response = client.post(
        f"/posyandu/anak/{family['child'].pk}/orang-tua/", {"mother": family["father"].pk}
    )
    assert response.status_code == 200  # not among the choices
    assert (
        not hasattr(family["child"], "posyandu_record") or family["child"].posyandu_record is None
    )


def test_the_mother_sees_her_childs_chart_after_signing_in_by_phone(
    family, client, cadre, posyandu
):
    actions.record_measurement(
        family["child"],
        posyandu,
        {
            "date": months_ago(0, 1),
            "weight": Decimal("10.2"),
            "lenhei": Decimal("80"),
            "measure": "l",
        },
        user=cadre,
    )
    response = client.get("/posyandu/anak-saya/")  # sign in first, then back here
    assert response.url == "/warga/masuk/?next=%2Fposyandu%2Fanak-saya%2F"
    session = client.session
    session[CITIZEN_SESSION_KEY] = Citizen.objects.create(phone=family["mother"].phone).pk
    session.save()
    client.post("/posyandu/anak-saya/", {"nik": family["mother"].nik})
    mine = client.get("/posyandu/anak-saya/")
    assert "Dinda" in mine.content.decode()
    chart = client.get(f"/posyandu/anak-saya/{family['child'].pk}/")
    body = chart.content.decode()
    assert chart.status_code == 200
    assert "<svg" in body and "child-point" in body and "polyline" in body
    assert "style=" not in body


def test_another_citizen_cannot_see_the_chart(family, client):
    session = client.session
    session[CITIZEN_SESSION_KEY] = Citizen.objects.create(phone="+6281300000000").pk
    session.save()
    assert client.get(f"/posyandu/anak-saya/{family['child'].pk}/").status_code == 404


def test_the_staff_chart_has_the_who_curves(family, cadre, posyandu):
    response = signed_in(cadre).get(f"/posyandu/anak/{family['child'].pk}/grafik/")
    body = response.content.decode()
    assert body.count('class="sd') >= 14  # 7 curves on each of two charts
    assert "@media print" not in body  # print CSS lives in the static file


@pytest.fixture
def woman(make_person, rt):
    return make_person(
        rt("32.74.01.1001", 1, 2), "Bu Rina", sex="F", birth_date=dt.date(1995, 3, 3)
    )


def test_a_pregnancy_and_its_risk_flags(woman, cadre, posyandu):
    client = signed_in(cadre)
    lmp = timezone.localdate() - dt.timedelta(weeks=16)
    response = client.post(
        f"/posyandu/{posyandu.pk}/ibu-hamil/", {"woman": woman.pk, "lmp": lmp.isoformat()}
    )
    assert response.status_code == 302
    pregnancy = Pregnancy.objects.get()
    assert pregnancy.edd == lmp + dt.timedelta(days=280)
    visit = {
        "date": timezone.localdate().isoformat(),
        "lila": "22.9",
        "systolic": "145",
        "diastolic": "95",
        "hb": "10.2",
    }
    assert client.post(f"/posyandu/ibu-hamil/{pregnancy.pk}/kunjungan/", visit).status_code == 302
    with translation.override("id"):
        page = client.get(
            f"/posyandu/ibu-hamil/{pregnancy.pk}/", HTTP_ACCEPT_LANGUAGE="id"
        ).content.decode()
    assert "Risiko KEK" in page and "Anemia" in page and "Tekanan darah tinggi" in page
    assert "K1" in page


def test_a_visit_before_the_pregnancy_is_refused(woman, cadre, posyandu):
    lmp = timezone.localdate() - dt.timedelta(weeks=10)
    pregnancy = Pregnancy.objects.create(
        woman=woman, posyandu=posyandu, lmp=lmp, edd=lmp + dt.timedelta(days=280), recorded_by=cadre
    )
    response = signed_in(cadre).post(
        f"/posyandu/ibu-hamil/{pregnancy.pk}/kunjungan/",
        {"date": (lmp - dt.timedelta(days=3)).isoformat(), "lila": "25"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert "sebelum awal kehamilan" in response.content.decode()
    assert not AntenatalVisit.objects.exists()


def test_a_man_cannot_be_recorded_pregnant(make_person, rt, cadre, posyandu):
    man = make_person(
        rt("32.74.01.1001", 1, 2), "Pak Budi", sex="M", birth_date=dt.date(1990, 1, 1)
    )
    response = signed_in(cadre).post(
        f"/posyandu/{posyandu.pk}/ibu-hamil/",
        {"woman": man.pk, "lmp": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert not Pregnancy.objects.exists()


def test_a_phone_shared_by_women_of_two_families_shows_no_child(
    family, client, make_family, make_person
):
    """The number proves who owns the phone, not which family: show nobody's child."""
    home = family["home"]
    other_kk = make_family(home)
    neighbour = make_person(
        home,
        "Bu Wati",
        sex="F",
        birth_date=dt.date(1990, 1, 1),
        family=other_kk,
        relationship=Relationship.HEAD,
        phone=family["mother"].phone,
    )
    make_person(
        home,
        "Raka",
        sex="M",
        birth_date=months_ago(10, 1),
        family=other_kk,
        relationship=Relationship.CHILD,
    )
    assert neighbour.phone == family["mother"].phone
    session = client.session
    session[CITIZEN_SESSION_KEY] = Citizen.objects.create(phone=family["mother"].phone).pk
    session.save()
    body = client.get("/posyandu/anak-saya/").content.decode()
    assert "Dinda" not in body and "Raka" not in body
    assert client.get(f"/posyandu/anak-saya/{family['child'].pk}/").status_code == 404


def test_a_visit_sent_twice_counts_once(woman, cadre, posyandu):
    lmp = timezone.localdate() - dt.timedelta(weeks=12)
    pregnancy = Pregnancy.objects.create(
        woman=woman, posyandu=posyandu, lmp=lmp, edd=lmp + dt.timedelta(days=280), recorded_by=cadre
    )
    client = signed_in(cadre)
    visit = {"date": timezone.localdate().isoformat(), "lila": "25", "hb": "12"}
    url = f"/posyandu/ibu-hamil/{pregnancy.pk}/kunjungan/"
    assert client.post(url, visit).status_code == 302
    again = client.post(url, visit, HTTP_ACCEPT_LANGUAGE="id")
    assert again.status_code == 400
    assert "sudah tercatat" in again.content.decode()
    assert AntenatalVisit.objects.count() == 1


def test_an_end_before_the_pregnancy_or_its_last_visit_is_refused(woman, cadre, posyandu):
    today = timezone.localdate()
    lmp = today - dt.timedelta(weeks=30)
    pregnancy = Pregnancy.objects.create(
        woman=woman, posyandu=posyandu, lmp=lmp, edd=lmp + dt.timedelta(days=280), recorded_by=cadre
    )
    AntenatalVisit.objects.create(
        pregnancy=pregnancy, date=today - dt.timedelta(days=7), recorded_by=cadre
    )
    client = signed_in(cadre)
    url = f"/posyandu/ibu-hamil/{pregnancy.pk}/selesai/"
    for day in (lmp - dt.timedelta(days=1), today - dt.timedelta(days=8)):
        response = client.post(url, {"ended_on": day.isoformat()}, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code == 400
        assert "sebelum" in response.content.decode()
    pregnancy.refresh_from_db()
    assert pregnancy.ended_on is None
    assert client.post(url, {"ended_on": today.isoformat()}).status_code == 302
    visit = {"date": today.isoformat(), "lila": "25"}
    response = client.post(f"/posyandu/ibu-hamil/{pregnancy.pk}/kunjungan/", visit)
    assert response.status_code == 302  # the day it ended is still allowed
    pregnancy.ended_on = today - dt.timedelta(days=2)
    pregnancy.save()
    later = {"date": (today - dt.timedelta(days=1)).isoformat(), "lila": "25"}
    response = client.post(f"/posyandu/ibu-hamil/{pregnancy.pk}/kunjungan/", later)
    assert response.status_code == 400
    assert AntenatalVisit.objects.count() == 2


def test_chart_labels_stay_readable_on_a_phone():
    """At 360 px the chart is about 300 px wide: its labels must stay ≥ 10 px."""
    import re
    from pathlib import Path

    from kotacerdas.posyandu import chart

    css = (Path(chart.__file__).parent / "static/posyandu/posyandu.css").read_text()
    tick = float(re.search(r"\.growth-svg \.tick \{ font-size: (\d+)px", css).group(1))
    assert tick * 300 / chart.WIDTH >= 10


def test_the_age_risk_uses_whole_years_on_the_hpl(make_person, rt, cadre, posyandu):
    from kotacerdas.posyandu import immunisation

    edd = dt.date(2027, 3, 1)
    # Turns 20 three days after the HPL: 19 at delivery (days // 365 said 20).
    young = make_person(
        rt("32.74.01.1001", 1, 2), "Bu Muda", sex="F", birth_date=dt.date(2007, 3, 4)
    )
    pregnancy = Pregnancy(woman=young, posyandu=posyandu, edd=edd, recorded_by=cadre)
    codes = {r.code for r in immunisation.pregnancy_risks(pregnancy, [], dt.date(2026, 12, 1))}
    assert "young" in codes


def _as_citizen(client, phone: str) -> Citizen:
    citizen = Citizen.objects.create(phone=phone)
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    return citizen


def test_the_number_alone_shows_no_child_until_the_mothers_nik_is_given(family, client):
    citizen = _as_citizen(client, family["mother"].phone)
    page = client.get("/posyandu/anak-saya/")
    assert page.status_code == 200 and page.context["form"] is not None
    assert "Dinda" not in page.content.decode()
    assert client.get(f"/posyandu/anak-saya/{family['child'].pk}/").status_code == 404

    # A wrong NIK is refused; nothing is linked.
    wrong = client.post(
        "/posyandu/anak-saya/", {"nik": "3274014503180999"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert wrong.status_code == 400
    with translation.override("id"):
        expected = translation.gettext(
            "No one with this NIK and your mobile number is in the register. Check the "
            "NIK, or ask your RW or posyandu cadre to write your number in the register."
        )
    assert expected in wrong.content.decode() and "Dinda" not in wrong.content.decode()
    citizen.refresh_from_db()
    assert citizen.person_id is None

    # The right NIK links the account; then her children are shown.
    linked = client.post("/posyandu/anak-saya/", {"nik": family["mother"].nik})
    assert linked.status_code == 302
    citizen.refresh_from_db()
    assert citizen.person == family["mother"]
    assert "Dinda" in client.get("/posyandu/anak-saya/").content.decode()
    assert client.get(f"/posyandu/anak-saya/{family['child'].pk}/").status_code == 200


def test_a_mothers_nik_with_another_phone_is_refused(family, client):
    """Whoever holds some number cannot link to a mother whose number is another."""
    citizen = _as_citizen(client, "+6281300000000")
    response = client.post("/posyandu/anak-saya/", {"nik": family["mother"].nik})
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert citizen.person_id is None
    assert "Dinda" not in response.content.decode()


def test_nik_attempts_are_limited_per_citizen(family, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_link": (2, 3600)}
    from django.core.cache import cache

    cache.clear()
    citizen = _as_citizen(client, family["mother"].phone)
    for nik in ("3274014503180997", "3274014503180998"):
        assert client.post("/posyandu/anak-saya/", {"nik": nik}).status_code == 400
    # Over the limit, even the right NIK waits.
    blocked = client.post(
        "/posyandu/anak-saya/", {"nik": family["mother"].nik}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert blocked.status_code == 400
    citizen.refresh_from_db()
    assert citizen.person_id is None
    cache.clear()
