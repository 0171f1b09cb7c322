from __future__ import annotations

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.people.access import persons_for_user


def test_each_role_sees_its_own_area(
    rw_operator, kelurahan_officer, viewer, registrar, outsider, make_person, rt
):
    people = {
        "rw1": make_person(rt(KEJAKSAN, 1, 1), name="a"),
        "rw2": make_person(rt(KEJAKSAN, 2, 2), name="b"),
        "harjamukti": make_person(rt(HARJAMUKTI, 1, 1), name="c"),
    }

    def seen(user):
        return {key for key, p in people.items() if persons_for_user(user).filter(pk=p.pk).exists()}

    assert seen(rw_operator) == {"rw1"}
    assert seen(kelurahan_officer) == {"rw1", "rw2"}
    assert seen(viewer) == {"rw1", "rw2"}  # the kecamatan of Kejaksan
    assert seen(registrar) == {"rw1", "rw2", "harjamukti"}
    assert seen(outsider) == set()


def test_a_switched_off_account_sees_nothing(rw_operator, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1))
    rw_operator.is_active = False

    assert not persons_for_user(rw_operator).exists()


def test_city_wide_members_of_other_services_do_not_read_the_register(make_member, make_person, rt):
    from django.urls import reverse

    from kotacerdas.accounts.models import Role, Unit
    from kotacerdas.conftest import signed_in

    make_person(rt(KEJAKSAN, 1, 1))
    agency = Unit.objects.create(kind="agency", code="dp3a", name="DP3A", region_id="32.74")
    others = [
        make_member("sms", Role.SMS_OPERATOR, agency),
        make_member("ppa", "protection_officer", agency),
        make_member("kepala", Role.VIEWER, agency),
    ]

    for user in others:
        assert not persons_for_user(user).exists(), user.username
        assert signed_in(user, verified=True).get(reverse("people:person-list")).status_code == 403
