"""DAFTAR through real Kannel: a feature phone books and gets its queue number back.

Uses the Kannel set-up of ``messaging/tests/test_kannel_e2e.py`` (bearerbox,
smsbox and fakesmsc on loopback; skipped where Kannel is not installed).
Run alone with ``pytest -m kannel``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kotacerdas.hospital.models import Booking, Session
from kotacerdas.messaging.models import Message
from kotacerdas.messaging.tests import test_kannel_e2e as e2e
from kotacerdas.messaging.tests.test_kannel_e2e import BEARERBOX, Kannel, wait_for
from kotacerdas.people.models import Person

pytestmark = [
    pytest.mark.kannel,
    pytest.mark.skipif(not BEARERBOX.exists(), reason="Kannel is not installed (CI has it)"),
]

# The gateway fixture of messaging's Kannel tests, under its own name here.
kannel = e2e.kannel

PHONE = "+6281311110001"
NIK = "3274014503900001"


@pytest.fixture
def mother(rt: Any, make_person: Any) -> Person:
    return make_person(
        rt("32.74.01.1001", 1, 1), nik=NIK, birth_date=dt.date(1990, 3, 5), phone=PHONE
    )


def test_daftar_from_a_feature_phone_books_and_the_reply_reaches_the_phone(
    kannel: Kannel, live_server: Any, session: Session, mother: Person
) -> None:
    kannel.start(live_server.url)

    kannel.phone_sends(f"{PHONE} 1717 text DAFTAR INT {session.date:%d-%m-%Y} {NIK}")

    received = wait_for(lambda: kannel.phone_received(), what="the reply at the phone")
    [reply] = received
    booking = Booking.objects.get()
    assert booking.channel == Booking.Channel.SMS
    assert booking.person == mother
    assert booking.number == 1
    assert reply.startswith(f"1717 {PHONE} RSD Gunung Jati:")
    assert "antrean INT-1" in reply and "datang pukul 07:45" in reply
    assert booking.code in reply
    assert NIK not in reply and mother.name not in reply
    message = Message.objects.get(direction="in")
    assert message.adapter == "kannel" and message.keyword == "DAFTAR"
