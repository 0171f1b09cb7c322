from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.models import OneTimeCode
from kotacerdas.messaging.views import NEXT_SESSION_KEY
from kotacerdas.people.models import Citizen


def _code_sent() -> str:
    text = str(FileAdapter().read()[-1]["text"])
    return re.search(r"\b(\d{6})\b", text).group(1)  # type: ignore[union-attr]


def _ask(client: Client, phone: str = "0812-3456-7890"):
    return client.post(reverse("messaging:citizen-sign-in"), {"phone": phone})


def test_a_citizen_signs_in_with_a_code_sent_by_sms(db, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        asked = _ask(client)

    entered = client.post(reverse("messaging:citizen-code"), {"code": _code_sent()})
    home = client.get(reverse("messaging:citizen-home"))

    assert asked.status_code == 302
    assert "3456" not in asked.url  # the number never travels in a URL
    assert entered.status_code == 302
    assert home.status_code == 200
    assert "+6281234567890" in home.text
    assert Citizen.objects.get().phone == "+6281234567890"


def test_codes_are_stored_hashed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(Client())

    stored = OneTimeCode.objects.get()
    assert _code_sent() not in stored.code_hash


def test_a_wrong_code_counts_and_five_wrong_codes_end_it(db, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client)
    right = _code_sent()
    wrong = "000000" if right != "000000" else "111111"

    for _ in range(5):
        response = client.post(reverse("messaging:citizen-code"), {"code": wrong})
    last = client.post(reverse("messaging:citizen-code"), {"code": right})

    assert response.context["form"].errors["code"]
    assert OneTimeCode.objects.get().attempts == 5
    assert last.status_code == 200
    assert not Citizen.objects.exists()


def test_an_expired_code_is_refused(db, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client)
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = client.post(reverse("messaging:citizen-code"), {"code": _code_sent()})

    assert response.status_code == 200
    assert not Citizen.objects.exists()


def test_requests_are_limited_per_number_without_saying_if_it_is_known(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "otp_per_number": (2, 900)}
    client = Client()
    Citizen.objects.create(phone="+6281234567890")

    answers = [_ask(client).status_code for _ in range(3)]
    unknown = [_ask(Client(REMOTE_ADDR="10.0.0.9"), "081298765432").status_code for _ in range(3)]

    assert answers == unknown == [302, 302, 200]
    assert OneTimeCode.objects.count() == 4


def test_requests_are_limited_per_address(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "otp_per_address": (2, 3600)}
    client = Client(REMOTE_ADDR="10.1.1.1")

    codes = [_ask(client, f"08129876543{i}").status_code for i in range(3)]

    assert codes == [302, 302, 200]


def test_a_landline_is_refused_with_a_clear_message(db):
    response = _ask(Client(), "022 4201234")

    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert not OneTimeCode.objects.exists()


def test_the_code_page_without_a_number_goes_back_to_step_one(db):
    response = Client().get(reverse("messaging:citizen-code"))

    assert response.url == reverse("messaging:citizen-sign-in")


def _sign_in_via(client: Client, next_url: str, django_capture_on_commit_callbacks) -> str:
    page = client.get(reverse("messaging:citizen-sign-in"), {"next": next_url})
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("messaging:citizen-sign-in"), {"phone": "0812-3456-7890", "next": next_url}
        )
    entered = client.post(reverse("messaging:citizen-code"), {"code": _code_sent()})
    assert entered.status_code == 302
    return entered["Location"]


def test_signing_in_returns_to_the_page_the_citizen_came_from(
    db, django_capture_on_commit_callbacks
):
    client = Client()
    page = client.get(reverse("messaging:citizen-sign-in"), {"next": "/kelahiran/?a=1&b=2"})
    assert 'name="next" value="/kelahiran/?a=1&amp;b=2"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("messaging:citizen-sign-in"),
            {"phone": "0812-3456-7890", "next": "/kelahiran/?a=1&b=2"},
        )
    # Carried through the code step (in the session, not the URL) ...
    code_page = client.get(reverse("messaging:citizen-code"))
    assert "next=/kelahiran/%3Fa%3D1%26b%3D2" in code_page.text  # "ask for a new code" keeps it
    entered = client.post(reverse("messaging:citizen-code"), {"code": _code_sent()})
    assert entered["Location"] == "/kelahiran/?a=1&b=2"
    # ... and used once.
    assert NEXT_SESSION_KEY not in client.session


def test_without_next_the_citizen_lands_on_their_home_page(db, django_capture_on_commit_callbacks):
    assert _sign_in_via(Client(), "", django_capture_on_commit_callbacks) == reverse(
        "messaging:citizen-home"
    )


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        "https:///evil.example",
        "x",  # a bare word is not a path (redirect() would read it as a URL name)
        "kelahiran/",
    ],
)
def test_an_open_redirect_is_refused(db, django_capture_on_commit_callbacks, next_url):
    client = Client()
    page = client.get(reverse("messaging:citizen-sign-in"), {"next": next_url})
    assert 'type="hidden" name="next"' not in page.text
    assert _sign_in_via(client, next_url, django_capture_on_commit_callbacks) == reverse(
        "messaging:citizen-home"
    )


def test_the_code_page_says_the_same_minutes_as_the_sms(
    db, settings, django_capture_on_commit_callbacks
):
    settings.OTP_CODE_MINUTES = 7
    client = Client()  # Indonesian, the default
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client)
    page = client.get(reverse("messaging:citizen-code")).text
    sms = str(FileAdapter().read()[-1]["text"])

    assert "7 menit" in sms
    assert "berlaku selama 7 menit" in page
    assert "beberapa menit" not in page
