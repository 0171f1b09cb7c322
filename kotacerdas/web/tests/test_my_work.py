"""The "my work" page: staff land on it, it lists what waits per service (each
service's declared ``work_items``), and the header names who is signed in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts.models import Membership, Role, Unit, User
from kotacerdas.conftest import signed_in
from kotacerdas.messaging.models import Message
from kotacerdas.people.models import ImportJob

WORK = reverse("web:my-work")


def _sign_in(user: User, next_url: str = "") -> Any:
    query = f"?next={next_url}" if next_url else ""
    client = Client()
    response = client.post(
        reverse("web:login") + query,
        {"username": user.username, "password": "pw-" + user.username},
    )
    return client, response


@pytest.fixture
def dkis(city: Any) -> Unit:
    return Unit.objects.create(kind="agency", code="dkis", name="DKIS", region_id="32.74")


@pytest.fixture
def sms_operator(make_member: Any, dkis: Unit) -> User:
    return make_member("sms", Role.SMS_OPERATOR, dkis)


def _failed_sms() -> Message:
    return Message.objects.create(
        direction="out", adapter="file", phone="+6281234567890", text="x", status="failed"
    )


def test_staff_land_on_their_work_after_signing_in(rw_operator):
    _client, response = _sign_in(rw_operator)

    assert response.status_code == 302 and response.url == WORK


def test_next_still_wins_over_the_work_page(rw_operator):
    _client, response = _sign_in(rw_operator, "/penduduk/")

    assert response.url == "/penduduk/"


def test_after_the_second_factor_staff_land_on_their_work(registrar):
    device = TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    client, _response = _sign_in(registrar)

    response = client.post(reverse("web:second-factor"), {"code": f"{totp(device.bin_key):06d}"})

    assert response.status_code == 302 and response.url == WORK


def test_the_header_shows_the_full_name_or_else_the_username(rw_operator, viewer):
    rw_operator.first_name, rw_operator.last_name = "Dedi", "Supriatna"
    rw_operator.save()

    named = signed_in(rw_operator).get(WORK).text
    plain = signed_in(viewer).get(WORK).text

    assert f'<a class="who" href="{WORK}">Dedi Supriatna</a>' in named
    assert f'<a class="who" href="{WORK}">camat</a>' in plain


def test_the_sms_operator_sees_failed_messages_with_a_link(sms_operator):
    _failed_sms()
    _failed_sms()

    page = signed_in(sms_operator).get(WORK).text

    assert "SMS yang gagal terkirim" in page
    assert f'href="{reverse("messaging:failed")}"' in page
    assert '<span class="work-count">2</span>' in page


def test_the_register_shows_imports_only_when_there_are_some(rw_operator):
    quiet = signed_in(rw_operator).get(WORK).text
    ImportJob.objects.create(
        uploaded_by=rw_operator,
        kelurahan_id="32.74.01.1001",
        file_name="warga.xlsx",
        content=b"",
        status=ImportJob.Status.FAILED,
    )

    busy = signed_in(rw_operator).get(WORK).text

    assert "Impor penduduk" not in quiet
    assert "Impor penduduk yang gagal" in busy and reverse("people:import-list") in busy


def test_someone_in_no_unit_gets_an_empty_page_not_anyone_elses_work(outsider, sms_operator):
    _failed_sms()

    page = signed_in(outsider).get(WORK)

    assert page.status_code == 200
    assert "Anda belum terdaftar di unit kerja mana pun" in page.text
    assert 'class="work-count' not in page.text
    assert reverse("messaging:failed") not in page.text


def test_the_page_needs_a_signed_in_member_of_staff(db):
    response = Client().get(WORK)

    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_many_roles_cost_a_bounded_number_of_queries(
    rw_operator, sms_operator, dkis, django_assert_max_num_queries
):
    for role in (Role.SMS_OPERATOR, Role.KELURAHAN_OFFICER):
        Membership.objects.create(user=rw_operator, unit=dkis, role=role)
    for _ in range(5):
        _failed_sms()
    client = signed_in(rw_operator)
    client.get(WORK)  # the session is warm

    with django_assert_max_num_queries(25):
        response = client.get(WORK)

    assert '<span class="work-count">5</span>' in response.text
