from __future__ import annotations

from django.test import Client
from django.urls import reverse

from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.reports.codes import ALPHABET, normalise_code
from kotacerdas.reports.models import Report

STORY = "Anak tetangga sering dipukul ayahnya sampai menangis keras."


def _file(client: Client, **fields):
    data = {"story": STORY, "age_group": "5-12", **fields}
    return client.post(reverse("reports:report"), data)


def test_anyone_files_a_report_and_sees_a_code_not_in_the_url(dp3a):
    client = Client()

    response = _file(client)
    sent = client.get(response.url)

    report = Report.objects.get()
    assert response.status_code == 302
    assert report.tracking_code not in response.url
    assert report.tracking_code in sent.text
    assert report.unit == dp3a
    assert report.status == Report.Status.FOR_TRIAGE
    assert report.verify_due > report.created_at.date()


def test_tracking_codes_are_short_and_unambiguous(dp3a):
    for i in range(5):
        _file(Client(REMOTE_ADDR=f"10.0.0.{i}"))
    codes = set(Report.objects.values_list("tracking_code", flat=True))

    assert len(codes) == 5
    for code in codes:
        assert code.startswith("WB-") and len(code) == 9
        assert set(code[3:]) <= set(ALPHABET)
        assert normalise_code(code.lower().replace("-", " ")) == code


def test_the_status_page_shows_the_stage_only(dp3a):
    _file(Client())
    report = Report.objects.get()

    response = Client().post(reverse("reports:status"), {"code": report.tracking_code.lower()})

    assert response.status_code == 200
    assert response.context["stage"]
    assert STORY not in response.text


def test_an_unknown_code_says_so(dp3a):
    response = Client().post(reverse("reports:status"), {"code": "WB-AAAAAA"})

    assert response.context["form"].errors["code"]


def test_an_empty_story_is_refused_and_nothing_is_stored(dp3a):
    response = _file(Client(), story="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["story"]
    assert not Report.objects.exists()


def test_a_20000_character_story_is_refused_with_the_reason(dp3a):
    response = _file(Client(), story="a" * 20_000)

    [error] = response.context["form"].errors["story"]
    assert "20000" in error
    assert not Report.objects.exists()


def test_an_unknown_kelurahan_is_refused(dp3a):
    response = _file(Client(), kelurahan="32.09.01.1001")

    assert response.context["form"].errors["kelurahan"]
    assert not Report.objects.exists()


def test_a_flood_from_one_device_is_stopped_with_the_emergency_numbers(dp3a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "wadul_reports_per_device": (2, 3600)}
    client = Client(REMOTE_ADDR="10.7.7.7")
    _file(client)
    _file(client)

    response = _file(client)

    assert response.status_code == 200
    assert "129" in response.text
    assert Report.objects.count() == 2
    assert not Report.objects.filter(client_hash="").exists()
    assert "10.7.7.7" not in Report.objects.first().client_hash


def test_an_urgent_report_alerts_the_officers_on_duty(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _file(Client(), still_happening="on")

    [alert] = FileAdapter().read()
    report = Report.objects.get()
    assert alert["to"] == officer.phone
    assert report.tracking_code in alert["text"]
    assert STORY not in alert["text"]


def test_the_sent_page_shows_the_emergency_numbers_for_an_urgent_report(dp3a):
    client = Client()
    response = _file(client, danger_to_life="on")

    page = client.get(response.url)

    assert "112" in page.text
    assert page.context["report"].urgent


def test_a_reporter_phone_must_be_a_mobile_number(dp3a):
    response = _file(Client(), reporter_phone="022 4201234")

    assert response.context["form"].errors["reporter_phone"]


def test_the_sent_page_shows_the_code_once(dp3a):
    client = Client()
    response = _file(client)

    first = client.get(response.url)
    again = client.get(response.url)

    assert first.status_code == 200
    assert again.status_code == 302  # the next person at this computer sees no code


def test_guessing_codes_is_slowed_down(dp3a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "wadul_lookups": (3, 3600)}
    _file(Client())
    code = Report.objects.get().tracking_code
    client = Client(REMOTE_ADDR="10.9.9.9")

    for _ in range(3):
        client.post(reverse("reports:status"), {"code": "WB-AAAAAA"})
    blocked = client.post(reverse("reports:status"), {"code": code})

    assert blocked.context["stage"] is None
    assert blocked.context["form"].non_field_errors()
    other_device = Client(REMOTE_ADDR="10.8.8.8").post(reverse("reports:status"), {"code": code})
    assert other_device.context["stage"]
