"""The hall screen's pages: every clinic on some page, turning without JavaScript."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts.models import Unit
from kotacerdas.hospital import queue
from kotacerdas.hospital.models import Clinic, Doctor, Session


def _clinics_in_session(hospital: Unit, count: int, sensitive: str = "") -> None:
    for i in range(count):
        code = f"C{i:02d}"
        doctor = Doctor.objects.create(unit=hospital, name=f"dr. Sari {i}", bpjs_code=i)
        clinic = Clinic.objects.create(
            unit=hospital,
            code=code,
            name=f"Poli {code}",
            bpjs_code=code,
            sensitive=code == sensitive,
        )
        Session.objects.create(
            clinic=clinic, doctor=doctor, date=timezone.localdate(), start=dt.time(0, 0),
            end=dt.time(23, 59), quota_jkn=10, quota_non_jkn=5, minutes_per_patient=10,
        )  # fmt: skip


def test_pages_split_the_boards_and_a_page_past_the_end_is_the_first() -> None:
    boards = [queue.Board(session=Session(pk=i), serving="–") for i in range(13)]
    pages = [queue.page_of(boards, str(n)) for n in (1, 2, 3)]
    assert [len(p.boards) for p in pages] == [6, 6, 1]
    assert [p.next_number for p in pages] == [2, 3, 1]
    assert queue.page_of(boards, "9").number == queue.page_of(boards, "x").number == 1
    assert (pages[0].layout, pages[2].layout) == ("cols-3 rows-2", "cols-1 rows-1")
    assert queue.page_of(boards[:4], None).layout == "cols-2 rows-2"
    assert queue.page_of([], None).count == 1


def test_the_hall_screen_turns_its_pages_and_keeps_sensitive_clinics_off(
    client: Client, hospital: Unit
) -> None:
    _clinics_in_session(hospital, 12, sensitive="C05")
    url = reverse("hospital:display")
    first = client.get(url).content.decode()
    second = client.get(url, {"halaman": "2"}).content.decode()
    # Without JavaScript: the page itself says where to go next, and back to the start.
    assert '<meta http-equiv="refresh" content="15;url=?halaman=2">' in first
    assert '<meta http-equiv="refresh" content="15;url=?halaman=1">' in second
    shown = [c for c in (f"C{i:02d}" for i in range(12)) if f'data-clinic="{c}"' in first + second]
    assert shown == [f"C{i:02d}" for i in range(12) if i != 5]
    # The live data follows the page the screen is on.
    data = client.get(reverse("hospital:display-data"), {"halaman": "2"}).json()
    assert (data["page"], data["pages"], len(data["boards"])) == (2, 2, 5)
    # A screen for chosen clinics keeps its choice while it turns.
    chosen = client.get(url, {"poli": [f"C{i:02d}" for i in range(8)]}).content.decode()
    assert "url=?poli=C00&amp;poli=C01" in chosen and "halaman=2" in chosen


def test_one_page_needs_no_turning(client: Client, hospital: Unit) -> None:
    _clinics_in_session(hospital, 3)
    page = client.get(reverse("hospital:display")).content.decode()
    assert "url=?halaman" not in page and "<noscript><meta http-equiv" in page
