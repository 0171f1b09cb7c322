"""NIK structure checks per second, on a mix of valid and invalid numbers."""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.common import Figure

# A form checks one NIK per request; the target matters for bulk imports of a
# kelurahan's spreadsheet (tens of thousands of rows) that must feel instant.
TARGET_PER_SECOND = 100_000.0
SAMPLE = 20_000
DURATION = 3.0


def sample_niks(rng: random.Random, count: int) -> list[str]:
    """About 70 % valid NIKs (both sexes), the rest broken in the ways people break them."""
    niks = []
    today = dt.date(2026, 1, 1)
    for _ in range(count):
        birth = today - dt.timedelta(days=rng.randint(0, 90 * 365))
        day = birth.day + (40 if rng.random() < 0.5 else 0)
        nik = f"3274{rng.randint(1, 5):02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randint(1, 9999):04d}"
        roll = rng.random()
        if roll < 0.06:
            nik = nik[:15]  # a digit too few
        elif roll < 0.12:
            nik = nik[:10] + "O" + nik[11:]  # letter O for zero
        elif roll < 0.18:
            nik = nik[:8] + "13" + nik[10:]  # no month 13
        elif roll < 0.22:
            nik = "99" + nik[2:]  # no such province
        elif roll < 0.26:
            nik = nik[:12] + "0000"
        elif roll < 0.30:
            nik = nik[:6] + "31" + "02" + nik[10:]  # 31 February
        niks.append(nik)
    return niks


def run() -> list[Figure]:
    import django

    django.setup()
    from kotacerdas.people.identity import check_nik

    niks = sample_niks(random.Random(7), SAMPLE)
    # As the API checks: against the city's kecamatan codes.
    prefixes = frozenset(f"3274{k:02d}" for k in range(1, 6))
    valid = sum(check_nik(n, known_prefixes=prefixes).valid for n in niks)
    checks = 0
    started = time.perf_counter()
    while time.perf_counter() - started < DURATION:
        for nik in niks:
            check_nik(nik, known_prefixes=prefixes)
        checks += len(niks)
    rate = checks / (time.perf_counter() - started)
    print(
        f"nik: {rate:,.0f} checks/s over {checks:,} checks ({valid / SAMPLE:.0%} valid)", flush=True
    )
    return [
        Figure(
            "check_nik throughput (one core)",
            rate,
            "/s",
            TARGET_PER_SECOND,
            higher=True,
            note=f"{valid / SAMPLE:.0%} valid",
        )
    ]
