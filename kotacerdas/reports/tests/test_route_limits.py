"""The same limits on every route a report comes by: web form, Open311, SMS."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kotacerdas.conftest import KEJAKSAN
from kotacerdas.messaging.actions import receive
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.models import Message
from kotacerdas.reports.models import Open311Client, Report

STORY = "Anak tetangga sering dipukul ayahnya sampai menangis keras."
FORTY_NINES = "+62" + "9" * 40


def _file(**fields: Any) -> Any:
    return Client().post(reverse("reports:report"), {"story": STORY, "age_group": "5-12", **fields})


@pytest.mark.parametrize("rw", ["0", "100", "-1"])
def test_the_web_form_refuses_an_rw_number_outside_1_to_99(dp3a, rw):
    response = _file(rw_number=rw)

    assert response.status_code == 200
    assert response.context["form"].errors["rw_number"]
    assert not Report.objects.exists()


def test_the_web_form_refuses_an_rw_the_kelurahan_does_not_have(dp3a, city):
    response = _file(kelurahan=KEJAKSAN, rw_number="7")  # the city has RW 1 and 2

    assert response.context["form"].errors["rw_number"]
    assert not Report.objects.exists()
    assert _file(kelurahan=KEJAKSAN, rw_number="2").status_code == 302


def test_the_web_form_refuses_a_phone_of_more_than_15_digits(dp3a):
    response = _file(reporter_phone=FORTY_NINES)

    assert response.context["form"].errors["reporter_phone"]
    assert not Report.objects.exists()


def test_open311_refuses_a_phone_of_more_than_15_digits(dp3a):
    Open311Client.objects.create(name="app", key_hash=Open311Client.hash_key("k" * 32))

    response = Client().post(
        reverse("open311:requests", kwargs={"fmt": "json"}),
        {
            "api_key": "k" * 32,
            "service_code": "neglect",
            "description": STORY,
            "address_string": "Jl. Kartini",
            "phone": FORTY_NINES,
        },
    )

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_an_sms_story_over_the_limit_is_answered_and_kept_but_files_no_report(
    dp3a, settings, django_capture_on_commit_callbacks
):
    text = "WADUL " + "tolong anak dipukul " * 1000  # 20,000 characters
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = receive(adapter="file", phone="081234567890", text=text)

    assert not Report.objects.exists()
    message.refresh_from_db()
    assert message.text == text  # nothing a user sent is ever lost
    [reply] = FileAdapter().read()
    with translation.override("id"):
        too_long = gettext(
            "The story is too long (%(count)s characters; at most %(max)s). Tell the main "
            "things; an officer will ask for more."
        ) % {"count": len(text) - len("WADUL ") - 1, "max": settings.WADUL_MAX_STORY}
    assert reply["text"].startswith(too_long)
    assert "129" in reply["text"]


def test_an_sms_story_at_the_limit_is_filed(dp3a, settings, django_capture_on_commit_callbacks):
    settings.WADUL_MAX_STORY = 200
    story = ("anak dipukul " * 20)[:200].strip()
    with django_capture_on_commit_callbacks(execute=True):
        receive(adapter="file", phone="081234567890", text="WADUL " + story)

    assert Report.objects.get().story == story


def test_a_sender_that_is_no_phone_number_is_stored_raw_and_goes_no_further(
    dp3a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message, created = receive(adapter="file", phone=FORTY_NINES, text="WADUL " + STORY)

    assert created
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.text == "WADUL " + STORY
    assert message.phone == ""  # not a cut-off "number" someone could be texted at
    assert FORTY_NINES in message.last_error
    assert not Report.objects.exists()
    assert FileAdapter().read() == []  # no reply to a number that is none


@pytest.mark.parametrize("sender", ["1717", "TELKOMSEL", "+6281234567890"])
def test_short_codes_sender_names_and_numbers_still_come_in(db, sender):
    message, _ = receive(adapter="file", phone=sender, text="INFO")

    message.refresh_from_db()
    assert message.status != Message.Status.FAILED
    assert message.phone == sender


def test_kannel_posting_a_sender_that_is_no_number_stores_the_message_and_files_nothing(
    dp3a, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"/sms/kannel/{settings.SMS_INBOUND_TOKEN}/masuk?id=k-1",
            data="WADUL " + STORY,
            content_type="text/plain; charset=UTF-8",
            headers={"X-Kannel-From": FORTY_NINES},
        )

    assert response.status_code == 200  # taken and kept: Kannel must not send it again
    assert Message.objects.get(gateway_id="k-1").status == Message.Status.FAILED
    assert not Report.objects.exists()
