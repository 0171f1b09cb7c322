"""The header: Indonesian whatever the phone's language, English only when chosen,
and a citizen signed in with a phone code sees who she is and a way out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen

PHONE = "+6281234567890"


def _citizen_client(citizen: Citizen) -> Client:
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    return client


def test_a_phone_set_to_english_still_gets_indonesian(client, city):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert 'lang="id"' in response.text
    assert "Layanan publik Kota Cirebon" in response.text
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Cookie" in response["Vary"]


def test_english_chosen_with_the_switch_sticks_for_a_year(client, city):
    chosen = client.post(reverse("set_language"), {"language": "en", "next": "/wadul/"})

    page = client.get("/wadul/cek/", HTTP_ACCEPT_LANGUAGE="id")

    cookie = chosen.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert chosen.url == "/wadul/"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    assert 'lang="en"' in page.text
    assert '<button lang="id">Bahasa Indonesia</button>' in page.text


def test_the_switch_is_in_the_header(client, city):
    page = client.get("/wadul/").text
    header = page.split("</header>", 1)[0]

    assert reverse("set_language") in header
    assert '<button lang="en">English</button>' in header
    assert 'name="next" type="hidden" value="/wadul/"' in header


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, city):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert 'lang="id"' in client.get("/").text


def test_a_signed_in_citizen_sees_a_masked_number_and_a_sign_out_on_every_page(db, city):
    client = _citizen_client(Citizen.objects.create(phone=PHONE))

    for path in ("/", "/wadul/", reverse("messaging:citizen-home")):
        header = client.get(path).text.split("</header>", 1)[0]
        assert "+6281•••••7890" in header, path
        assert PHONE not in header, path
        assert f'action="{reverse("messaging:citizen-sign-out")}"' in header, path
        assert "Keluar" in header and "Masuk petugas" not in header, path


def test_a_linked_citizen_is_greeted_by_first_name(db, city, make_person, rt):
    person = make_person(rt("32.74.01.1001", 1, 1), name="Siti Aminah")
    client = _citizen_client(Citizen.objects.create(phone=PHONE, person=person))

    header = client.get("/").text.split("</header>", 1)[0]

    assert f'href="{reverse("messaging:citizen-home")}"' in header
    assert ">Siti</a>" in header and "Aminah" not in header


def test_signing_out_from_the_header_ends_the_citizen_session(db, city):
    client = _citizen_client(Citizen.objects.create(phone=PHONE))

    response = client.post(reverse("messaging:citizen-sign-out"))
    after = client.get("/").text.split("</header>", 1)[0]

    assert response.status_code == 302
    assert CITIZEN_SESSION_KEY not in client.session
    assert "7890" not in after and "Masuk petugas" in after


def test_an_anonymous_visitor_costs_no_session(client: Client, city: Any):
    response = client.get("/wadul/")

    assert "Masuk petugas" in response.text
    assert settings.SESSION_COOKIE_NAME not in response.cookies
