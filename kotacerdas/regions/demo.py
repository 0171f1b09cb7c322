"""RW and RT for the demo city: 247 RW and about 1,360 RT over 22 kelurahan.

The Kemendagri list stops at the kelurahan; real RW/RT lists come from each
kelurahan. These are plausible stand-ins with the city's totals.
"""

from __future__ import annotations

import random

from kotacerdas.regions.models import RT, RW, Region

TOTAL_RW = 247
TOTAL_RT = 1360
RW_NAMES = [
    "Kanggraksan Utara",
    "Kanggraksan Selatan",
    "Kalitanjung Barat",
    "Kalitanjung Timur",
    "Pengampon",
    "Pamitran",
    "Karanggetas",
    "Sukasari",
    "Cangkol",
    "Kebon Pelok",
    "Kesunean",
    "Gunung Sari",
    "Pagongan",
    "Lemahwungkuk Kidul",
    "Drajat Lor",
]


def build_rw_rt(rng: random.Random) -> tuple[int, int]:
    """Create RW and RT where none exist yet; returns (rws, rts) created."""
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).order_by("code"))
    if not kelurahan or RW.objects.exists():
        return 0, 0
    rw_counts = _split(TOTAL_RW, len(kelurahan), rng, low=6)
    rws = [
        RW(kelurahan=kel, number=n, name=rng.choice(RW_NAMES) if rng.random() < 0.3 else "")
        for kel, count in zip(kelurahan, rw_counts, strict=True)
        for n in range(1, count + 1)
    ]
    RW.objects.bulk_create(rws)
    rws = list(RW.objects.order_by("kelurahan_id", "number"))
    rt_counts = _split(TOTAL_RT, len(rws), rng, low=3)
    rts = [
        RT(rw=rw, number=n)
        for rw, count in zip(rws, rt_counts, strict=True)
        for n in range(1, count + 1)
    ]
    RT.objects.bulk_create(rts, batch_size=2000)
    return len(rws), len(rts)


def _split(total: int, parts: int, rng: random.Random, low: int) -> list[int]:
    """``parts`` whole numbers ≥ low that add up to ``total``, a little uneven."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    spare = total - low * parts
    counts = [low + int(spare * w / sum(weights)) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts
