"""Door check-in (pretix's model): one scan per nonce, a resend never counts twice; a scan for
another class, a cancelled or waiting ticket, an unknown code is refused with its reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.literacy.actions import classes as actions
from kotacerdas.literacy.models import CheckIn, ClassSession, Registration
from kotacerdas.literacy.tests.conftest import make_class


def _ticket(session: ClassSession, phone: str = "081200000001", name: str = "Budi") -> Registration:
    return actions.register(session, name=name, phone=phone, channel=Registration.Channel.DOOR)


def _sync(client: Client, session: ClassSession, *scans: dict[str, Any]) -> Any:
    response = client.post(
        f"/melet/kelola/kelas/{session.pk}/pindai/kirim/",
        json.dumps({"scans": list(scans)}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _scan(nonce: str, code: str) -> dict[str, Any]:
    return {"nonce": nonce, "code": code, "scanned_at": timezone.now().isoformat()}


def test_a_scan_checks_in_once_and_a_replay_of_its_nonce_counts_nothing(
    session: ClassSession, trainer: User
):
    ticket = _ticket(session)
    client = signed_in(trainer)

    first = _sync(client, session, _scan("n-1", ticket.code))
    replay = _sync(client, session, _scan("n-1", ticket.code), _scan("n-1", ticket.code))

    assert first == [
        {"nonce": "n-1", "status": "ok", "reason": "Hadir.", "name": "Budi", "replayed": False}
    ]
    assert [r["status"] for r in replay] == ["ok", "ok"]
    assert all(r["replayed"] for r in replay)
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().by == trainer


def test_the_same_ticket_scanned_again_with_a_new_nonce_is_already_counted(
    session: ClassSession, trainer: User
):
    ticket = _ticket(session)
    client = signed_in(trainer)
    _sync(client, session, _scan("n-1", ticket.code))

    again = _sync(client, session, _scan("n-2", ticket.code.lower()))  # typed in lower case

    assert again[0]["status"] == "already"
    assert "Sudah hadir" in again[0]["reason"]
    assert CheckIn.objects.filter(result="ok").count() == 1
    assert CheckIn.objects.count() == 2  # the second scan is kept, not counted


def test_scans_for_another_class_a_cancelled_or_waiting_ticket_or_unknown_are_refused(
    session: ClassSession, other_session: ClassSession, trainer: User
):
    elsewhere = _ticket(other_session, "081200000002")
    cancelled = _ticket(session, "081200000003")
    actions.cancel(cancelled)
    _ticket(session, "081200000004")
    _ticket(session, "081200000005")
    waiting = _ticket(session, "081200000006")
    assert waiting.status == Registration.Status.WAITING

    results = _sync(
        signed_in(trainer),
        session,
        _scan("a", elsewhere.code),
        _scan("b", cancelled.code),
        _scan("c", waiting.code),
        _scan("d", "NOTATICKET"),
        _scan("e\x00", "\x00' OR 1=1"),
    )

    assert [r["status"] for r in results] == ["refused"] * 5
    assert "kelas lain" in results[0]["reason"] and "Cek fakta" in results[0]["reason"]
    assert "dibatalkan" in results[1]["reason"]
    assert "daftar tunggu" in results[2]["reason"]
    assert "tidak dikenal" in results[3]["reason"]
    assert "tidak dikenal" in results[4]["reason"] and results[4]["nonce"] == "e\x00"
    assert not CheckIn.objects.filter(result="ok").exists()


def test_a_nonce_replayed_at_another_class_is_refused_and_counts_nothing(
    session: ClassSession, trainer: User, wifi_officer: User
):
    ticket = _ticket(session)
    _sync(signed_in(trainer), session, _scan("n-1", ticket.code))
    other = make_class(trainer, topic="Lain")

    answer = _sync(signed_in(wifi_officer), other, _scan("n-1", ticket.code))

    assert answer[0]["status"] == "refused"
    assert CheckIn.objects.count() == 1


def test_unreadable_scans_are_refused_whole_with_a_reason(session: ClassSession, trainer: User):
    client = signed_in(trainer)
    url = f"/melet/kelola/kelas/{session.pk}/pindai/kirim/"

    for body in (b"not json", b'{"scans": "x"}', b'{"scans": [{"nonce": 1}]}'):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        assert "tidak dapat dibaca" in response.json()["error"]
    assert not CheckIn.objects.exists()


def test_without_javascript_the_volunteer_types_the_code_and_a_resent_form_counts_once(
    session: ClassSession, trainer: User
):
    ticket = _ticket(session)
    client = signed_in(trainer)
    page = client.get(f"/melet/kelola/kelas/{session.pk}/pindai/")
    assert page.status_code == 200 and 'name="nonce"' in page.text

    form = {"code": f" {ticket.code[:4]}-{ticket.code[4:]} ", "nonce": "form-1"}
    first = client.post(f"/melet/kelola/kelas/{session.pk}/pindai/", form)
    resent = client.post(f"/melet/kelola/kelas/{session.pk}/pindai/", form)

    assert "Hadir." in first.text and "Budi" in first.text
    assert "sudah tercatat" in resent.text
    assert CheckIn.objects.count() == 1


def test_a_checked_in_ticket_cannot_be_cancelled(session: ClassSession, trainer: User):
    ticket = _ticket(session)
    actions.scan(session, nonce="x", secret=ticket.code, scanned_at=timezone.now(), actor=trainer)

    with pytest.raises(ValidationError) as refused:
        actions.cancel(ticket)

    assert refused.value.code == "attended"
    ticket.refresh_from_db()
    assert ticket.status == Registration.Status.CONFIRMED
