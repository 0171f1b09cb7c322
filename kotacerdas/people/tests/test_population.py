"""Population statistics: the staff's area in full, the public's with small counts hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.people.models import Person
from kotacerdas.people.population import band_label, band_of, population, suppress

pytestmark = pytest.mark.django_db

URL = reverse("people:population")
PUBLIC = reverse("people:population-public")


@pytest.fixture
def residents(make_person, rt):
    year = timezone.localdate().year
    here, there = rt(KEJAKSAN, 1, 1), rt(KEJAKSAN, 2, 1)
    made = [
        make_person(here, "Ani", sex="F", birth_date=dt.date(year - 3, 5, 1), education="none"),
        make_person(
            here,
            "Budi",
            birth_certificate_number="3274-LU-01022000-0001",
            sex="M",
            birth_date=dt.date(year - 34, 5, 1),
            education="sma",
            religion="islam",
            occupation="pedagang",
        ),
        make_person(
            here,
            "Cici",
            sex="F",
            birth_date=dt.date(year - 31, 5, 1),
            education="sma",
            religion="islam",
            occupation="Pedagang ",
        ),
        make_person(
            there,
            "Dodi",
            sex="M",
            birth_date=dt.date(year - 80, 5, 1),
            religion="islam",
            marital_status="married",
        ),
        make_person(rt(HARJAMUKTI, 1, 1), "Euis", sex="F", birth_date=dt.date(year - 20, 5, 1)),
    ]
    gone = make_person(here, "Fajar", sex="M", birth_date=dt.date(year - 50, 1, 1))
    Person.objects.filter(pk=gone.pk).update(status=Person.Status.DEAD)
    return made


def test_the_counts_add_up_by_age_sex_and_every_distribution(residents):
    found = population(
        Person.objects.filter(rt__rw__kelurahan_id=KEJAKSAN),
        area="Kejaksan",
        units_by=("rt__rw__number", "RW"),
    )

    assert found.total == 4  # the dead and Harjamukti's resident are not counted
    assert list(found.by_sex.values()) == [2, 2]
    bands = {band.label: (band.male, band.female) for band in found.pyramid}
    assert bands["0–4"] == (0, 1)
    assert bands["30–34"] == (1, 1)
    assert bands["75+"] == (1, 0)
    assert dict(found.distributions["occupation"])["Pedagang"] == 2  # typed two ways, one job
    assert sum(n for _label, n in found.distributions["religion"]) == 4
    assert [n for _label, n in found.distributions["birth_certificate"]] == [1, 3]
    assert [(u.key, u.total) for u in found.units] == [("1", 3), ("2", 1)]


def test_bands_and_suppression_rules():
    assert [band_of(a) for a in (0, 4, 5, 74, 75, 101)] == [0, 0, 5, 70, 75, 75]
    assert band_label(75) == "75+"
    assert band_label(10) == "10–14"
    # one small cell alone could be rebuilt from the total: the next smallest hides too
    assert suppress([100, 3, 40], 5) == [100, None, None]
    assert suppress([100, 3, 2, 40], 5) == [100, None, None, 40]
    assert suppress([0, 50], 5) == [0, 50]  # zero discloses nothing
    assert suppress([3], 5) == [None]


def test_the_kelurahan_officer_sees_the_kelurahan_and_drills_down(kelurahan_officer, residents):
    client = signed_in(kelurahan_officer)

    page = client.get(URL, {"kelurahan": KEJAKSAN})
    rw = client.get(URL, {"kelurahan": KEJAKSAN, "rw": "1"})
    workbook = client.get(URL, {"kelurahan": KEJAKSAN, "format": "xlsx"})

    assert page.status_code == rw.status_code == workbook.status_code == 200
    assert page.context["found"].total == 4
    assert rw.context["found"].total == 3
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "<svg" in page.text


def test_staff_scope_works_404_403(rw_operator, other_rw_operator, viewer, outsider, residents):
    # works: the RW operator reads their own RW
    assert signed_in(rw_operator).get(URL, {"kelurahan": KEJAKSAN, "rw": "1"}).status_code == 200
    # 404: beyond the user's area (the whole kelurahan, another RW, the city), unknown codes
    assert signed_in(rw_operator).get(URL, {"kelurahan": KEJAKSAN}).status_code == 404
    assert signed_in(rw_operator).get(URL, {"kelurahan": KEJAKSAN, "rw": "2"}).status_code == 404
    assert signed_in(rw_operator).get(URL, {"kelurahan": ""}).status_code == 404  # the city
    assert (
        signed_in(other_rw_operator).get(URL, {"kelurahan": KEJAKSAN, "rw": "1"}).status_code == 404
    )
    assert signed_in(rw_operator).get(URL, {"kelurahan": "99.99"}).status_code == 404
    # 403: a signed-in member with no register role
    assert signed_in(outsider).get(URL, {"kelurahan": KEJAKSAN}).status_code == 403


def test_the_public_page_hides_small_counts_and_rw_detail(client, residents):
    page = client.get(PUBLIC, {"kelurahan": KEJAKSAN})

    assert page.status_code == 200
    assert page.context["found"].total == 4
    assert all(
        row["value"] is None for part in page.context["distributions"] for row in part["rows"]
    )
    assert "&lt;5" in page.text
    assert "Budi" not in page.text
    assert client.get(PUBLIC, {"kelurahan": KEJAKSAN, "rw": "1"}).status_code == 404
    assert client.get(PUBLIC).status_code == 200


def test_query_count_is_bounded_whatever_the_area(
    kelurahan_officer, residents, django_assert_max_num_queries
):
    client = signed_in(kelurahan_officer)
    client.get(URL, {"kelurahan": KEJAKSAN})
    with django_assert_max_num_queries(12):
        client.get(URL, {"kelurahan": KEJAKSAN})


def test_staff_land_on_their_own_area(rw_operator, kelurahan_officer, registrar, residents):
    assert signed_in(rw_operator).get(URL)["Location"].endswith(f"?kelurahan={KEJAKSAN}&rw=1")
    assert signed_in(kelurahan_officer).get(URL)["Location"].endswith(f"?kelurahan={KEJAKSAN}")
    city = signed_in(registrar, verified=True).get(URL)
    assert city.status_code == 200
    assert city.context["found"].total == 5
