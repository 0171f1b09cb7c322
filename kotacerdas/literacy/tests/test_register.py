"""The DKIS WiFi register: works for the right role, 404 outside the area, 403 for readers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.literacy.models import Outage, Point
from kotacerdas.literacy.tests.conftest import make_point

pytestmark = pytest.mark.django_db

NEW_POINT = {
    "code": "pkm07",
    "name": "Puskesmas Kejaksan",
    "kind": "puskesmas",
    "address": "Jl. Kejaksan 1",
    "kelurahan": KEJAKSAN,
    "latitude": "-6.7051",
    "longitude": "108.5540",
    "provider": "Telkom",
    "ssid": "Cirebon-Melet",
    "nas_id": "melet-pkm07",
    "installed_on": "2024-03-01",
    "status": "active",
}


def test_the_dkis_officer_lists_every_point(
    wifi_officer: User, point: Point, other_point: Point, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        make_point(f"X{n:03d}", KEJAKSAN)
    client = signed_in(wifi_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("literacy:points")).content.decode()
    assert "KJS01" in page and "HRJ01" in page


def test_a_kelurahan_officer_sees_only_their_kelurahan(
    kejaksan_wifi_officer: User, point: Point, other_point: Point
) -> None:
    client = signed_in(kejaksan_wifi_officer)
    page = client.get(reverse("literacy:points")).content.decode()
    assert "KJS01" in page and "HRJ01" not in page
    assert client.get(reverse("literacy:point", args=[point.pk])).status_code == 200
    assert client.get(reverse("literacy:point", args=[other_point.pk])).status_code == 404
    assert client.get(reverse("literacy:point-edit", args=[other_point.pk])).status_code == 404


def test_someone_without_a_melet_role_is_refused(outsider: User, rw_operator: User) -> None:
    for user in (outsider, rw_operator):
        assert signed_in(user).get(reverse("literacy:points")).status_code == 403


def test_a_reader_sees_but_cannot_change(dkis_viewer: User, point: Point) -> None:
    client = signed_in(dkis_viewer)
    assert client.get(reverse("literacy:point", args=[point.pk])).status_code == 200
    assert client.get(reverse("literacy:point-edit", args=[point.pk])).status_code == 403
    assert client.get(reverse("literacy:point-add")).status_code == 403
    response = client.post(reverse("literacy:outage-open", args=[point.pk]), {"cause": "power"})
    assert response.status_code == 403
    assert not Outage.objects.exists()


def test_the_dkis_officer_adds_a_point(wifi_officer: User, city: Any) -> None:
    response = signed_in(wifi_officer).post(reverse("literacy:point-add"), NEW_POINT)
    point = Point.objects.get(code="PKM07")
    assert response.status_code == 302
    assert point.kelurahan_id == KEJAKSAN and point.nas_id == "melet-pkm07"
    assert AuditEvent.objects.filter(action="literacy.point_added").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "KJ 01!", "Kode terdiri dari 3 sampai 12 huruf dan angka"),
        ("latitude", "6.7051", "di luar Kota Cirebon"),
        ("kelurahan", "", "Bidang ini tidak boleh kosong"),
    ],
)
def test_bad_point_details_are_refused_in_indonesian(
    wifi_officer: User, city: Any, field: str, value: str, message: str
) -> None:
    response = signed_in(wifi_officer).post(
        reverse("literacy:point-add"), {**NEW_POINT, field: value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Point.objects.exists()


def test_an_area_officer_cannot_add_points(kejaksan_wifi_officer: User) -> None:
    assert signed_in(kejaksan_wifi_officer).get(reverse("literacy:point-add")).status_code == 403


def test_outages_are_opened_and_closed_with_their_cause(wifi_officer: User, point: Point) -> None:
    client = signed_in(wifi_officer)
    client.post(reverse("literacy:outage-open", args=[point.pk]), {"cause": "power", "note": "PLN"})
    outage = Outage.objects.get()
    point.refresh_from_db()
    assert point.status == Point.Status.DOWN and outage.cause == "power"
    client.post(reverse("literacy:outage-close", args=[outage.pk]), {"cause": "backhaul"})
    outage.refresh_from_db()
    point.refresh_from_db()
    assert outage.ended_at is not None and outage.cause == "backhaul"
    assert point.status == Point.Status.ACTIVE
    page = client.get(reverse("literacy:point", args=[point.pk])).content.decode()
    assert "Jalur penyedia" in page  # the history shows the cause


def test_outages_of_another_area_are_404(kejaksan_wifi_officer: User, other_point: Point) -> None:
    outage = Outage.objects.create(point=other_point, started_at="2026-11-01T08:00Z")
    client = signed_in(kejaksan_wifi_officer)
    response = client.post(reverse("literacy:outage-close", args=[outage.pk]), {"cause": "power"})
    assert response.status_code == 404
