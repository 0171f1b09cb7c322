"""The all-clinic hall screen on a TV: every clinic legible, nothing scrolls.

Twelve clinics (one of them sensitive) with three-digit queue numbers. At
1280x720 and 1920x1080 the page is exactly one screen, no queue number wraps or
spills out of its board, and the pages the screen rotates through show every
clinic except the sensitive one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Browser, ViewportSize

from kotacerdas.accounts.models import Unit
from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Booking, Clinic, Doctor, Session

CLINICS = [
    ("INT", "Poli Penyakit Dalam"), ("ANA", "Poli Anak"), ("OBG", "Poli Kebidanan dan Kandungan"),
    ("BED", "Poli Bedah"), ("MAT", "Poli Mata"), ("GIG", "Poli Gigi"), ("SAR", "Poli Saraf"),
    ("JAN", "Poli Jantung dan Pembuluh Darah"), ("THT", "Poli THT-KL"), ("ORT", "Poli Orthopedi"),
    ("PAR", "Poli Paru"), ("KLT", "Poli Kulit dan Kelamin"),
]  # fmt: skip
TV_SIZES: list[ViewportSize] = [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080}]

# What the page looks like to someone across the room, measured in the browser.
MEASURE = """() => {
  const numbers = [...document.querySelectorAll('.board .number')];
  return {
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    clinics: [...document.querySelectorAll('.board')].map(b => b.dataset.clinic),
    numbers: numbers.length,
    wrapped: numbers.filter(n => {
      const rects = n.getClientRects();
      const size = parseFloat(getComputedStyle(n).fontSize);
      return rects.length !== 1 || rects[0].height > 1.5 * size;
    }).map(n => n.textContent),
    spilled: numbers.filter(n => {
      const board = n.closest('.board').getBoundingClientRect();
      const box = n.getBoundingClientRect();
      return n.scrollWidth > n.clientWidth + 1 || box.right > board.right + 1
        || box.bottom > board.bottom + 1 || box.top < board.top - 1;
    }).map(n => n.textContent),
    smallest: Math.min(...[...document.querySelectorAll('.board-serving')]
      .map(n => parseFloat(getComputedStyle(n).fontSize))),
    next: document.querySelector('meta[http-equiv=refresh]')?.content || '',
  };
}"""


@pytest.fixture
def busy_hall(hospital: Unit) -> list[Clinic]:
    """Twelve clinics in session now, each serving a three-digit number with three waiting."""
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + dt.timedelta(hours=3)).time().replace(second=0, microsecond=0)
    if end <= start:
        start, end = dt.time(0, 0), dt.time(23, 59)
    clinics: list[Clinic] = []
    for code, name in CLINICS:
        clinic = Clinic.objects.create(
            unit=hospital, code=code, name=name, bpjs_code=code, sensitive=code == "KLT"
        )
        doctor = Doctor.objects.create(
            unit=hospital, name=f"dr. Kurniawati Wijayakusuma, Sp.{code}", bpjs_code=len(clinics)
        )
        session = Session.objects.create(
            clinic=clinic, doctor=doctor, date=now.date(), start=start, end=end,
            quota_jkn=200, quota_non_jkn=50, minutes_per_patient=1,
        )  # fmt: skip
        for serial in range(1, 4):
            booking = actions.book(
                session.pk,
                actions.Patient(
                    nik=f"32740145031800{serial:02d}",
                    phone=f"08123456{len(clinics):02d}{serial:02d}",
                    medical_record=f"RM{serial}",  # returning: straight to the clinic
                ),
                channel=Booking.Channel.COUNTER,
            )
            actions.check_in(booking.code)
        # Three-digit numbers, the widest a day brings.
        Booking.objects.filter(session=session).update(number=F("number") + 120)
        Session.objects.filter(pk=session.pk).update(serving_number=118)
        clinics.append(clinic)
    return clinics


@pytest.mark.parametrize("size", TV_SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_hall_screen_shows_every_clinic_legibly_on_a_tv(
    live_server: Any,
    browser: Browser,
    busy_hall: list[Clinic],
    size: ViewportSize,
    settings: Any,
) -> None:
    settings.HOSPITAL_REFRESH_SECONDS = 60  # the page under test stays as it is
    shots = Path("/work/shots/screen")
    shots.mkdir(parents=True, exist_ok=True)
    screen = browser.new_page(locale="id-ID", viewport=size)
    url, seen, pages = f"{live_server.url}/lengko/layar/", [], 0
    while pages < 5:
        screen.goto(url)
        found = screen.evaluate(MEASURE)
        pages += 1
        screen.screenshot(path=str(shots / f"hall-test-{size['width']}-p{pages}.png"))
        assert found["scrollWidth"] <= found["innerWidth"], found
        assert found["scrollHeight"] <= found["innerHeight"], found
        assert found["numbers"] >= 2 * len(found["clinics"]) and not found["wrapped"], found
        assert not found["spilled"], found
        # Legible from across a room: the number served is at least 5 % of the screen high.
        assert found["smallest"] >= 0.05 * size["height"], found
        seen += found["clinics"]
        # The screen turns to its next page by itself (no JavaScript needed) ...
        assert found["next"].startswith("15;url=?halaman="), found
        url = f"{live_server.url}/lengko/layar/" + found["next"].split(";url=", 1)[1]
        if url.endswith("halaman=1"):  # ... and comes back to the first.
            break
    screen.close()
    assert pages == 2
    assert sorted(seen) == sorted(code for code, _name in CLINICS if code != "KLT")
