"""A signed-in citizen's letters: request for self or a child, upload, send, follow, download; SURAT by SMS."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import KEJAKSAN
from kotacerdas.kelurahan.actions import letters
from kotacerdas.kelurahan.actions import requests as actions
from kotacerdas.kelurahan.models import LetterRequest, LetterType
from kotacerdas.kelurahan.sms import handle_surat
from kotacerdas.kelurahan.tests.conftest import PDF, PNG
from kotacerdas.messaging.models import Message
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(resident: Person) -> Citizen:
    return Citizen.objects.create(phone=resident.phone, person=resident)


def citizen_client(citizen: Citizen) -> Client:
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    return client


def _request_online(client: Client, person: Person) -> LetterRequest:
    client.post(
        reverse("kelurahan:citizen-new") + "?jenis=sktm",
        {"person": person.pk, "keperluan": "Beasiswa sekolah"},
    )
    return LetterRequest.objects.get()


def test_a_signed_out_visitor_is_sent_to_the_phone_sign_in(client: Client) -> None:
    response = client.get(reverse("kelurahan:citizen-list"))
    assert response.status_code == 302 and "/warga/masuk/" in response["Location"]


def test_a_citizen_requests_uploads_sends_and_downloads(
    citizen: Citizen,
    resident: Person,
    domisili: LetterType,
    kelurahan_officer: User,
    sekretaris_lurah: User,
    lurah: User,
    settings: Any,
) -> None:
    client = citizen_client(citizen)
    created = _request_online(client, resident)
    assert (created.status, created.channel, created.citizen) == ("incomplete", "online", citizen)
    act = lambda step, **data: client.post(  # noqa: E731
        reverse("kelurahan:citizen-act", args=[created.code, step]), data, follow=True
    )
    refused = act("submit").content.decode()
    assert "Persyaratan belum lengkap" in refused
    fake = SimpleUploadedFile("ktp.png", PDF)
    assert "bukan berkas PNG" in act("upload", requirement="ktp", file=fake).content.decode()
    act("upload", requirement="pengantar", file=SimpleUploadedFile("p.pdf", PDF))
    act("upload", requirement="kk", file=SimpleUploadedFile("kk.pdf", PDF))
    act("upload", requirement="ktp", file=SimpleUploadedFile("ktp.png", PNG))
    act("submit")
    created.refresh_from_db()
    assert created.status == "checking" and created.due_on is not None
    actions.check(created.pk, kelurahan_officer, [])
    actions.endorse(created.pk, sekretaris_lurah)
    letters.finalise(letters.approve(created.pk, lurah))
    sms = Message.objects.get(direction="out")
    assert created.code in sms.text and "Dewi" not in sms.text and sms.phone == resident.phone
    page = client.get(reverse("kelurahan:citizen-request", args=[created.code])).content.decode()
    assert "Siap diambil" in page
    pdf = client.get(reverse("kelurahan:citizen-pdf", args=[created.code]))
    assert pdf.content.startswith(b"%PDF-")
    created.refresh_from_db()
    assert created.status == "collected"


def test_a_citizen_requests_for_a_child_but_not_for_a_stranger(
    citizen: Citizen,
    resident: Person,
    make_person: Any,
    make_family: Any,
    rt: Any,
    domisili: LetterType,
) -> None:
    stranger = make_person(rt(KEJAKSAN, 1, 1), "Orang Lain", nik="3274010101800009")
    client = citizen_client(citizen)
    response = client.post(
        reverse("kelurahan:citizen-new") + "?jenis=sktm", {"person": stranger.pk, "keperluan": "x"}
    )
    assert response.status_code == 200 and not LetterRequest.objects.exists()


def test_another_citizens_request_is_not_found(started: LetterRequest, db: Any) -> None:
    other = Citizen.objects.create(phone="+6281299990000")
    client = citizen_client(other)
    assert client.get(reverse("kelurahan:citizen-request", args=[started.code])).status_code == 404
    assert client.get(reverse("kelurahan:citizen-pdf", args=[started.code])).status_code == 404


def test_a_letter_the_rw_started_is_there_for_the_resident(
    started: LetterRequest, citizen: Citizen
) -> None:
    page = citizen_client(citizen).get(reverse("kelurahan:citizen-list")).content.decode()
    assert started.code in page


def test_a_letter_only_requested_at_the_counter_cannot_be_requested_online(
    citizen: Citizen, resident: Person, domisili: LetterType
) -> None:
    response = citizen_client(citizen).get(reverse("kelurahan:citizen-new") + "?jenis=kematian")
    assert response.status_code == 404


def test_the_citizen_cancels_with_a_reason(started: LetterRequest, citizen: Citizen) -> None:
    client = citizen_client(citizen)
    url = reverse("kelurahan:citizen-act", args=[started.code, "cancel"])
    client.post(url, {"reason": "Tidak jadi"})
    started.refresh_from_db()
    assert (started.status, started.reason) == ("cancelled", "Tidak jadi")


def test_surat_by_sms_tells_the_status_without_names(started: LetterRequest) -> None:
    message = Message(phone="+6281234567000", text=f"SURAT {started.code.lower()}")
    reply = handle_surat(message, started.code.lower())
    assert started.code in reply and "Diperiksa" in reply and "Dewi" not in reply
    assert "Tidak ada permohonan" in handle_surat(message, "ZZZZ9999")
