"""The public WiFi page and "report that this point is down" (web and SMS)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.conftest import KEJAKSAN
from kotacerdas.literacy.models import DownReport, Outage, Point
from kotacerdas.literacy.tests.conftest import make_point
from kotacerdas.messaging.actions import receive
from kotacerdas.messaging.models import Message

pytestmark = pytest.mark.django_db


def _sms(text: str, capture: Any) -> Message:
    with capture(execute=True):
        message, _ = receive(adapter="file", phone="081234567890", text=text)
    return message


def _reply(message: Message) -> str:
    return Message.objects.get(reply_to=message).text


def test_the_page_lists_every_point_by_kelurahan_without_javascript(
    point: Point, other_point: Point, django_assert_max_num_queries: Any
) -> None:
    make_point("GONE1", KEJAKSAN, status=Point.Status.REMOVED, name="Old hall")
    with django_assert_max_num_queries(6):
        response = Client().get(reverse("literacy:wifi"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kelurahan Kejaksan" in page and "Kelurahan Harjamukti" in page
    assert point.name in page and other_point.name in page
    assert "Old hall" not in page  # removed points are not offered to citizens
    assert reverse("literacy:report-down", args=["KJS01"]) in page  # a plain link, no JS
    assert 'id="wifi-points"' in page  # the markers for the map, as JSON


def test_the_map_may_load_tiles_from_the_tile_server_setting(point: Point, settings: Any) -> None:
    settings.LITERACY_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = Client().get(reverse("literacy:wifi"))
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org" in csp
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in response.content.decode()


def test_the_page_comes_from_the_shared_cache_with_the_map_policy(
    point: Point, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.LITERACY_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.PAGE_CACHE_SECONDS = {**settings.PAGE_CACHE_SECONDS, "wifi_points": 5}
    first = Client().get(reverse("literacy:wifi"))
    with django_assert_num_queries(0):
        again = Client().get(reverse("literacy:wifi"))
    assert again.status_code == 200 and point.name in again.content.decode()
    assert "https://tiles.example.org" in again.headers["Content-Security-Policy"]
    assert "no-store" in again.headers["Cache-Control"]  # browsers ask again; the cache bounds it
    assert first.content.decode().count(point.name) == again.content.decode().count(point.name)


def test_a_web_report_is_stored_and_opens_an_outage_for_dkis(point: Point) -> None:
    client = Client()
    response = client.post(reverse("literacy:report-down", args=["kjs01"]))
    assert response.status_code == 302
    outage = Outage.objects.get(point=point)
    assert outage.ended_at is None and outage.reports == 1
    assert DownReport.objects.get().outage == outage
    point.refresh_from_db()
    assert point.status == Point.Status.DOWN
    # A second report from elsewhere joins the open outage.
    Client(REMOTE_ADDR="10.9.9.9").post(reverse("literacy:report-down", args=["KJS01"]))
    assert Outage.objects.get(point=point).reports == 2


def test_reports_from_one_address_are_limited(point: Point, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "wifi_down_reports": (1, 3600)}
    client = Client()
    client.post(reverse("literacy:report-down", args=["KJS01"]))
    response = client.post(reverse("literacy:report-down", args=["KJS01"]))
    assert response.status_code == 429
    assert DownReport.objects.count() == 1


def test_an_unknown_code_is_404(city: Any) -> None:
    assert Client().get(reverse("literacy:report-down", args=["NOPE1"])).status_code == 404


def test_sms_wifi_code_mati_opens_an_outage(
    point: Point, django_capture_on_commit_callbacks: Any
) -> None:
    message = _sms("wifi kjs01 mati", django_capture_on_commit_callbacks)
    report = DownReport.objects.get()
    assert report.channel == DownReport.Channel.SMS and report.message == message
    assert report.outage is not None and report.outage.point == point
    assert "KJS01" in _reply(message)
    assert "0812" not in _reply(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("WIFI NOPE1 MATI", "NOPE1"), ("WIFI KJS01", "WIFI <"), ("WIFI", "WIFI <")],
)
def test_a_wrong_sms_gets_a_reply_that_says_why_and_changes_nothing(
    point: Point, django_capture_on_commit_callbacks: Any, text: str, expected: str
) -> None:
    message = _sms(text, django_capture_on_commit_callbacks)
    assert expected in _reply(message)
    assert not Outage.objects.exists() and not DownReport.objects.exists()
    assert Message.objects.filter(pk=message.pk, text=text).exists()  # kept as sent
