from __future__ import annotations

from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.people.models import Family


def test_the_family_list_shows_heads_and_masks_numbers(
    rw_operator, rt, make_family, make_person, django_assert_max_num_queries
):
    for i in range(12):
        family = make_family(rt(KEJAKSAN, 1, 1))
        make_person(rt(KEJAKSAN, 1, 1), name=f"Haji Umar {i}", family=family, relationship="1")
    hidden = make_family(rt(HARJAMUKTI, 1, 1))
    client = signed_in(rw_operator)

    # session, user, memberships, count, page ids, page rows, heads, session save (3)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:family-list"))

    assert response.text.count("Haji Umar ") == 12
    assert family.kk_number not in response.text
    assert response.text.count("3274••••••••") == 12  # Harjamukti's family is not listed
    assert reverse("people:family-detail", args=[hidden.pk]) not in response.text


def test_family_detail_works_404_and_read_only(
    rw_operator, other_rw_operator, viewer, rt, make_family
):
    family = make_family(rt(KEJAKSAN, 1, 1))
    url = reverse("people:family-detail", args=[family.pk])

    assert signed_in(rw_operator).get(url).status_code == 200
    assert signed_in(other_rw_operator).get(url).status_code == 404
    response = signed_in(viewer).get(url)
    assert response.status_code == 200
    assert reverse("people:family-edit", args=[family.pk]) not in response.text


def test_registering_a_family(rw_operator, rt):
    response = signed_in(rw_operator).post(
        reverse("people:family-create"),
        {"kk_number": "3274011203150001", "rt": rt(KEJAKSAN, 1, 2).pk, "address": "Gg. Mawar 2"},
    )

    family = Family.objects.get()
    assert response.status_code == 302
    assert family.rt == rt(KEJAKSAN, 1, 2)
    assert AuditEvent.objects.filter(action="family.create").exists()


def test_a_bad_kk_number_is_refused(rw_operator, rt):
    response = signed_in(rw_operator).post(
        reverse("people:family-create"),
        {"kk_number": "3274015203150001", "rt": rt(KEJAKSAN, 1, 2).pk, "address": "Gg. Mawar 2"},
    )

    assert "kk_number" in response.context["form"].errors
    assert not Family.objects.exists()


def test_family_create_is_403_for_a_viewer(viewer, city):
    assert signed_in(viewer).get(reverse("people:family-create")).status_code == 403


def test_family_edit_works_404_403(rw_operator, other_rw_operator, viewer, rt, make_family):
    family = make_family(rt(KEJAKSAN, 1, 1))
    url = reverse("people:family-edit", args=[family.pk])
    data = {"kk_number": family.kk_number, "rt": family.rt_id, "address": "Jl. Baru 9"}

    assert signed_in(other_rw_operator).post(url, data).status_code == 404
    assert signed_in(viewer).post(url, data).status_code == 403
    assert signed_in(rw_operator).post(url, data).status_code == 302
    family.refresh_from_db()
    assert family.address == "Jl. Baru 9"


def test_members_living_outside_the_area_are_not_named(rw_operator, rt, make_family, make_person):
    family = make_family(rt(KEJAKSAN, 1, 1))
    make_person(rt(KEJAKSAN, 1, 1), name="Ayah Di Sini", family=family, relationship="1")
    make_person(rt(KEJAKSAN, 2, 1), name="Anak Di RW Lain", family=family, relationship="4")

    response = signed_in(rw_operator).get(reverse("people:family-detail", args=[family.pk]))

    assert "Ayah Di Sini" in response.text
    assert "Anak Di RW Lain" not in response.text


def test_a_resident_joins_only_a_family_the_user_may_change(make_member, rt, make_family):
    from kotacerdas.accounts.models import Role, Unit
    from kotacerdas.regions.models import RW

    rw1 = RW.objects.get(kelurahan_id=KEJAKSAN, number=1)
    unit = Unit.objects.create(kind="rw", code="rw-k-1", name="RW 1", rw=rw1)
    user = make_member("op", Role.RW_OPERATOR, unit)
    kecamatan = Unit.objects.create(
        kind="kecamatan", code="kec-k", name="Kec", region_id="32.74.01"
    )
    user.memberships.create(unit=kecamatan, role=Role.VIEWER)  # reads RW 02 too
    readable_only = make_family(rt(KEJAKSAN, 2, 1))

    response = signed_in(user).post(
        reverse("people:person-create"),
        {
            "name": "Budi Baru",
            "sex": "M",
            "birth_date": "2020-01-01",
            "birth_place": "Cirebon",
            "rt": rt(KEJAKSAN, 1, 1).pk,
            "address": "Jl. A",
            "kk_number": readable_only.kk_number,
            "relationship": "4",
        },
    )

    assert "kk_number" in response.context["form"].errors
