from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role, Unit
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import signed_in
from kotacerdas.messaging.models import Message


@pytest.fixture
def dkis(city):
    return Unit.objects.create(kind="agency", code="dkis", name="DKIS", region_id="32.74")


@pytest.fixture
def sms_operator(make_member, dkis):
    return make_member("sms", Role.SMS_OPERATOR, dkis)


@pytest.fixture
def supervisor(make_member, dkis):
    return make_member("pengawas", Role.VIEWER, dkis)


def _message(status=Message.Status.FAILED, direction="out", phone="+6281234567890", **fields):
    return Message.objects.create(
        direction=direction,
        adapter="file",
        phone=phone,
        text="Kode 123456",
        status=status,
        **fields,
    )


def test_the_log_masks_numbers_and_never_shows_texts(sms_operator, django_assert_max_num_queries):
    for i in range(20):
        _message(status="sent", phone=f"+62812345678{i:02d}", purpose="otp")
    client = signed_in(sms_operator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("messaging:log"))

    assert response.status_code == 200
    assert "+6281•••••7800" in response.text
    assert "+628123456780" not in response.text
    assert "123456" not in response.text
    assert "otp" in response.text


def test_a_city_administrator_sees_full_numbers(make_member, dkis):
    admin = make_member("admin", Role.CITY_ADMIN, dkis)
    _message()

    response = signed_in(admin, verified=True).get(reverse("messaging:log"))

    assert "+6281234567890" in response.text


def test_the_log_is_refused_to_others(rw_operator):
    assert signed_in(rw_operator).get(reverse("messaging:log")).status_code == 403


def test_resend_works_for_an_operator(sms_operator, django_capture_on_commit_callbacks):
    message = _message()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(sms_operator).post(reverse("messaging:resend", args=[message.pk]))

    message.refresh_from_db()
    assert response.status_code == 302
    assert message.status == Message.Status.SENT
    assert AuditEvent.objects.filter(action="sms.resend", object_id=str(message.pk)).exists()


def test_resend_is_404_for_an_outsider_and_403_for_a_read_only_supervisor(rw_operator, supervisor):
    message = _message()
    url = reverse("messaging:resend", args=[message.pk])

    assert signed_in(rw_operator).post(url).status_code == 404
    assert signed_in(supervisor).post(url).status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


def test_the_failed_list_offers_resend_to_operators_only(sms_operator, supervisor):
    message = _message()
    url = reverse("messaging:resend", args=[message.pk])

    assert url in signed_in(sms_operator).get(reverse("messaging:failed")).text
    supervisor_page = signed_in(supervisor).get(reverse("messaging:failed"))
    assert supervisor_page.status_code == 200
    assert url not in supervisor_page.text


def test_only_a_failed_outgoing_message_is_resent(sms_operator):
    message = _message(status="delivered")

    signed_in(sms_operator).post(reverse("messaging:resend", args=[message.pk]))

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


def test_counts_per_day_and_purpose(sms_operator):
    for _ in range(3):
        _message(status="sent", purpose="otp", segments=2)

    response = signed_in(sms_operator).get(reverse("messaging:log"))

    [row] = [r for r in response.context["per_day"] if r["purpose"] == "otp"]
    assert (row["messages"], row["segments"]) == (3, 6)


def test_the_development_outbox_exists_only_with_debug(client, settings, db):
    settings.DEBUG = False
    assert client.get(reverse("messaging:file-outbox")).status_code == 404
