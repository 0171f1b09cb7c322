"""Classes: DKIS plans them, citizens register by phone code, walk-ins at the door, the
waiting list moves in order, reminders go once; every staff page works / 404 / 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.literacy.actions import classes as actions
from kotacerdas.literacy.models import ClassSession, Registration
from kotacerdas.literacy.tests.conftest import citizen_client, make_class
from kotacerdas.messaging.models import Message

S = Registration.Status


def _door(session: ClassSession, name: str, phone: str, actor: User | None = None) -> Registration:
    return actions.register(
        session, name=name, phone=phone, channel=Registration.Channel.DOOR, actor=actor
    )


# --- Public list and online registration ------------------------------------


def test_the_public_list_shows_upcoming_open_classes_only(session: ClassSession, trainer):
    make_class(trainer, topic="Kelas yang batal", status=ClassSession.Status.CANCELLED)
    past = timezone.now() - dt.timedelta(days=3)
    make_class(trainer, topic="Kelas lama", starts_at=past, ends_at=past + dt.timedelta(hours=2))

    response = Client().get("/melet/kelas/")

    assert response.status_code == 200
    assert "Aman bertransaksi digital" in response.text
    assert "Kelas yang batal" not in response.text and "Kelas lama" not in response.text
    assert "Kelas literasi digital" in response.text  # Indonesian


def test_a_visitor_is_sent_to_the_phone_sign_in_to_register(session: ClassSession):
    page = Client().get(f"/melet/kelas/{session.pk}/")
    posted = Client().post(f"/melet/kelas/{session.pk}/", {"name": "Siti"})

    assert page.status_code == 200 and "Masuk dengan nomor ponsel" in page.text
    assert posted.status_code == 302 and posted["Location"].startswith("/warga/masuk/")
    assert not Registration.objects.exists()


def test_a_signed_in_citizen_registers_and_sees_the_ticket_qr(session: ClassSession):
    client, citizen = citizen_client()

    response = client.post(f"/melet/kelas/{session.pk}/", {"name": "  Siti   Aminah "})

    ticket = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/melet/tiket/{ticket.code}/"
    assert (ticket.name, ticket.phone, ticket.citizen, ticket.status) == (
        "Siti Aminah",
        citizen.phone,
        citizen,
        S.CONFIRMED,
    )
    assert len(ticket.code) == 28
    page = client.get(f"/melet/tiket/{ticket.code}/")
    assert page.status_code == 200 and "<svg" in page.text
    assert "Tunjukkan kode QR ini" in page.text
    assert AuditEvent.objects.filter(action="literacy.registered").count() == 1


def test_registering_twice_is_refused_with_a_reason_and_nothing_added(session: ClassSession):
    client, _ = citizen_client()
    client.post(f"/melet/kelas/{session.pk}/", {"name": "Siti"})
    Registration.objects.update(status=S.CONFIRMED)

    second = client.post(f"/melet/kelas/{session.pk}/", {"name": "Siti lagi"})

    assert second.status_code == 200
    assert "sudah memiliki tiket" in second.text
    assert Registration.objects.count() == 1


def test_another_citizens_ticket_is_not_found(session: ClassSession):
    owner, _ = citizen_client()
    owner.post(f"/melet/kelas/{session.pk}/", {"name": "Siti"})
    code = Registration.objects.get().code
    stranger, _ = citizen_client("+6281298765432")

    assert stranger.get(f"/melet/tiket/{code}/").status_code == 404
    assert stranger.post(f"/melet/tiket/{code}/batal/").status_code == 404
    assert stranger.get(f"/melet/tiket/{code}/sertifikat.pdf").status_code == 404
    assert Client().get(f"/melet/tiket/{code}/").status_code == 302  # to the sign-in
    assert stranger.get("/melet/tiket/%00%27/sertifikat.pdf").status_code == 404


def test_bad_input_at_the_door_is_refused_and_nothing_stored(session: ClassSession):
    with pytest.raises(ValidationError):
        _door(session, "Budi", "12345")
    with pytest.raises(ValidationError):
        _door(session, "   ", "081234567890")
    session.status = ClassSession.Status.CANCELLED
    session.save()
    with pytest.raises(ValidationError) as refused:
        _door(session, "Budi", "081234567890")
    assert refused.value.code == "cancelled"
    assert "dibatalkan" in refused.value.messages[0]
    assert not Registration.objects.exists()


# --- Waiting list ------------------------------------------------------------


def test_a_full_class_puts_people_on_the_waiting_list_promoted_in_order(session: ClassSession):
    first = _door(session, "A", "081200000001")
    _door(session, "B", "081200000002")
    waiting_1 = _door(session, "C", "081200000003")
    waiting_2 = _door(session, "D", "081200000004")
    assert [waiting_1.status, waiting_2.status] == [S.WAITING, S.WAITING]

    promoted = actions.cancel(first)

    assert promoted == waiting_1
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, waiting_1.status, waiting_2.status) == (
        S.CANCELLED,
        S.CONFIRMED,
        S.WAITING,
    )
    sms = Message.objects.get(purpose="literacy_class_promoted")
    assert sms.phone == waiting_1.phone and session.topic[:20] in sms.text
    assert actions.cancel(first) is None  # cancelling again changes nothing
    assert Registration.objects.filter(status=S.CONFIRMED).count() == 2


def test_the_citizen_cancels_from_the_ticket_page(session: ClassSession):
    client, _ = citizen_client()
    client.post(f"/melet/kelas/{session.pk}/", {"name": "Siti"})
    waiting = _door(session, "B", "081200000002")
    waiting_too = _door(session, "C", "081200000003")
    assert waiting.status == S.CONFIRMED and waiting_too.status == S.WAITING
    code = Registration.objects.get(channel="online").code

    response = client.post(f"/melet/tiket/{code}/batal/", follow=True)

    assert "Tiket dibatalkan" in response.text
    waiting_too.refresh_from_db()
    assert waiting_too.status == S.CONFIRMED


# --- Reminders ---------------------------------------------------------------


def test_the_reminder_goes_once_to_confirmed_tickets_of_tomorrows_classes(
    session: ClassSession, trainer: User
):
    confirmed = _door(session, "Zainab Rahma", "081200000001")
    _door(session, "B", "081200000002")
    _door(session, "C", "081200000003")  # waiting: no reminder
    later = timezone.now() + dt.timedelta(days=5)
    far = make_class(trainer, starts_at=later, ends_at=later + dt.timedelta(hours=1))
    _door(far, "A", "081200000001")
    today = timezone.localdate(session.starts_at) - dt.timedelta(days=1)

    call_command("melet_class_reminders", "--today", today.isoformat())
    call_command("melet_class_reminders", "--today", today.isoformat())

    sent = Message.objects.filter(purpose="literacy_class_reminder")
    assert sent.count() == 2
    assert confirmed.phone in set(sent.values_list("phone", flat=True))
    for text in sent.values_list("text", flat=True):
        assert "besok" in text and session.topic in text
        assert "Zainab" not in text  # no name in the SMS


# --- Staff pages: works / 404 / 403 ----------------------------------------------


def test_dkis_plans_a_class_and_bad_input_is_named(wifi_officer: User, trainer: User):
    client = signed_in(wifi_officer)
    assert client.get("/melet/kelola/kelas/baru/").status_code == 200
    form: dict[str, Any] = {
        "topic": "Cek fakta",
        "pillars": ["etika"],
        "audience": "masyarakat",
        "starts_at": "2030-05-01T09:00",
        "ends_at": "2030-05-01T08:00",
        "place": "Aula",
        "kelurahan": KEJAKSAN,
        "capacity": "20",
        "trainer": trainer.pk,
        "volunteers": [trainer.pk],
        "status": "open",
    }
    bad = client.post("/melet/kelola/kelas/baru/", form)
    assert bad.status_code == 200 and "harus selesai setelah" in bad.text
    assert not ClassSession.objects.exists()

    good = client.post("/melet/kelola/kelas/baru/", {**form, "ends_at": "2030-05-01T11:00"})

    made = ClassSession.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/melet/kelola/kelas/{made.pk}/"
    assert made.pillars == ["etika"] and list(made.volunteers.all()) == [trainer]
    edit = client.post(
        f"/melet/kelola/kelas/{made.pk}/ubah/",
        {**form, "ends_at": "2030-05-01T11:00", "status": "cancelled"},
    )
    made.refresh_from_db()
    assert edit.status_code == 302 and made.status == "cancelled"


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/melet/kelola/kelas/{id}/", "get"),
        ("/melet/kelola/kelas/{id}/pindai/", "get"),
        ("/melet/kelola/kelas/{id}/daftar/", "post"),
        ("/melet/kelola/kelas/{id}/pindai/kirim/", "post"),
        ("/melet/kelola/kelas/{id}/ubah/", "get"),
    ],
)
def test_each_class_page_works_for_its_people_404_outside_403_wrong_role(
    path: str,
    method: str,
    session: ClassSession,
    other_session: ClassSession,
    wifi_officer: User,
    trainer: User,
    dkis_viewer: User,
) -> None:
    url = path.format(id=session.pk)
    data = {"name": "Budi", "phone": "081200000009"} if path.endswith("daftar/") else None
    editing = path.endswith("ubah/")
    doer = wifi_officer if editing else trainer

    def call(user: User, target: str) -> Any:
        client = signed_in(user)
        if method == "get":
            return client.get(target)
        if target.endswith("kirim/"):
            return client.post(target, b'{"scans": []}', content_type="application/json")
        return client.post(target, data)

    assert call(doer, url).status_code in (200, 302)
    assert call(trainer, path.format(id=other_session.pk)).status_code == 404
    if editing:
        assert call(trainer, url).status_code == 403
    elif not path.endswith("/{id}/"):
        assert call(dkis_viewer, url).status_code == 403
    else:
        assert call(dkis_viewer, url).status_code == 200  # a reader sees it


def test_the_class_list_and_form_pages_by_role(
    session: ClassSession, other_session: ClassSession, wifi_officer, trainer, outsider
):
    trainer_list = signed_in(trainer).get("/melet/kelola/kelas/")
    assert trainer_list.status_code == 200
    assert session.topic in trainer_list.text and other_session.topic not in trainer_list.text
    assert other_session.topic in signed_in(wifi_officer).get("/melet/kelola/kelas/").text
    assert signed_in(outsider).get("/melet/kelola/kelas/").status_code == 403
    assert signed_in(trainer).get("/melet/kelola/kelas/baru/").status_code == 403
    assert signed_in(outsider).get(f"/melet/kelola/kelas/{session.pk}/").status_code == 404


def test_the_volunteer_registers_a_walk_in_at_the_door(session: ClassSession, trainer: User):
    client = signed_in(trainer)

    ok = client.post(
        f"/melet/kelola/kelas/{session.pk}/daftar/",
        {"name": "Budi", "phone": "0812-0000-0009"},
        follow=True,
    )
    bad = client.post(
        f"/melet/kelola/kelas/{session.pk}/daftar/", {"name": "Budi", "phone": "abc"}, follow=True
    )

    walk_in = Registration.objects.get()
    assert (walk_in.channel, walk_in.registered_by, walk_in.phone) == (
        "door",
        trainer,
        "+6281200000009",
    )
    assert "Budi" in ok.text
    assert "msg-error" in bad.text and Registration.objects.count() == 1
