from __future__ import annotations

from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.audit.models import AuditEvent


def _sign_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("web:login"), {"username": user.username, "password": "pw-" + user.username}
    )
    assert response.status_code == 302
    return client


def test_a_city_wide_role_must_pass_totp_before_seeing_residents(registrar):
    client = _sign_in(registrar)

    response = client.get(reverse("people:person-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:second-factor"))


def test_the_first_visit_enrols_an_authenticator_app(registrar):
    client = _sign_in(registrar)

    page = client.get(reverse("web:second-factor"))
    device = TOTPDevice.objects.get(user=registrar)
    response = client.post(reverse("web:second-factor"), {"code": f"{totp(device.bin_key):06d}"})

    assert "<svg" in page.text
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("people:person-list")).status_code == 200
    assert AuditEvent.objects.filter(action="user.second_factor_enrolled").exists()


def test_a_wrong_code_is_refused_with_a_message(registrar):
    TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    client = _sign_in(registrar)

    response = client.post(reverse("web:second-factor"), {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get(reverse("people:person-list")).status_code == 302


def test_an_rw_operator_needs_no_second_factor(rw_operator):
    client = _sign_in(rw_operator)

    assert client.get(reverse("people:person-list")).status_code == 200


def test_the_code_returns_to_a_page_of_this_site(registrar):
    TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    device = TOTPDevice.objects.get(user=registrar)
    client = _sign_in(registrar)

    response = client.post(
        reverse("web:second-factor") + "?next=/penduduk/", {"code": f"{totp(device.bin_key):06d}"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/penduduk/"


def test_the_code_never_sends_the_user_to_another_site(registrar):
    """A valid code with ?next= pointing elsewhere lands on "my work", not the other host."""
    device = TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    for target in ["https://evil.example/x", "//evil.example/x", "/\\evil.example"]:
        client = _sign_in(registrar)

        response = client.post(
            reverse("web:second-factor") + "?" + urlencode({"next": target}),
            {"code": f"{totp(device.bin_key):06d}"},
        )

        assert response.status_code == 302
        assert "evil.example" not in response["Location"]
        assert response["Location"] == reverse("web:my-work")
        device.refresh_from_db()
        device.last_t = -1  # the same code again for the next sign-in
        device.save()
