"""WHO z-scores per second for a month of the city's posyandu measurements.

A month of Kota Cirebon is about 30,000 balita weighed and measured
(posyandu.md §2.4 says 25–30k, to verify with Dinkes). Each measurement gives
BB/U, PB/U or TB/U and BB/PB or BB/TB, the three indices of the monthly
report, and BMI-for-age with them (the library computes every z its inputs
allow). posyandu.md gives no target; ours: the whole month recomputed in at
most 2 s on one core, so a recomputation after a table or rule change is a
task of seconds and one entry form's z-scores are far below a millisecond.
"""

from __future__ import annotations

import random
import time

from bench.common import Figure
from kotacerdas.growth import zscores
from kotacerdas.growth.zscores import compute_zscores, table

CHILDREN = 30_000
# The three indices of the Permenkes report.
INDICES_PER_CHILD = 3
TARGET_MONTH_SECONDS = 2.0
TARGET_PER_SECOND = CHILDREN * INDICES_PER_CHILD / TARGET_MONTH_SECONDS
ROUNDS = 3

Measurement = tuple[int, int, float, float, str]


def city_month(rng: random.Random, count: int) -> list[Measurement]:
    """(sex, age in days, weight kg, length/height cm, position) like a posyandu month.

    Weights and lengths come from each child's own WHO row at a z drawn around
    Cirebon-like means (some stunting and underweight), rounded as scales and
    boards read them (0.1 kg, 0.1 cm); about 1 in 10 children under two is
    measured standing, and 1 in 20 older ones lying.
    """
    wfa, lhfa = table("wfa"), table("lhfa")
    measurements = []
    for _ in range(count):
        sex = rng.choice((1, 2))
        days = rng.randint(0, 1826)
        weight = _value(wfa.rows[sex - 1][days], rng.gauss(-0.6, 1.1))
        length = _value(lhfa.rows[sex - 1][days], rng.gauss(-0.9, 1.1))
        if days < 731:
            position = "h" if rng.random() < 0.1 else "l"
        else:
            position = "l" if rng.random() < 0.05 else "h"
        measurements.append((sex, days, round(weight, 1), round(length, 1), position))
    return measurements


def _value(lms: tuple[float, float, float], z: float) -> float:
    l, m, s = lms  # noqa: E741
    z = max(-4.5, min(4.5, z))
    return float(m * (1 + l * s * z) ** (1 / l))


def run() -> list[Figure]:
    # First use: read and check the tables the month needs.
    zscores.table.cache_clear()
    zscores._manifest.cache_clear()
    started = time.perf_counter()
    for code in ("wfa", "lhfa", "wfl", "wfh", "bfa"):
        table(code)
    load_ms = (time.perf_counter() - started) * 1000

    month = city_month(random.Random(6), CHILDREN)
    best = float("inf")
    computed = 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        computed = 0
        for sex, days, weight, lenhei, position in month:
            scores = compute_zscores(
                sex, age_days=days, weight=weight, lenhei=lenhei, measure=position
            )
            computed += sum(
                s is not None for s in (scores.wfa, scores.lhfa, scores.wflh, scores.bfa)
            )
        best = min(best, time.perf_counter() - started)
    per_second = CHILDREN / best
    print(
        f"growth: {CHILDREN:,} measurements in {best:.2f} s (best of {ROUNDS}), "
        f"{per_second:,.0f} measurements/s, {computed / best:,.0f} z-scores/s "
        f"({computed / CHILDREN:.2f} per measurement); tables loaded in {load_ms:.0f} ms",
        flush=True,
    )
    return [
        Figure(
            "growth: WHO z-scores, BB/U + PB/U + BB/PB (one core)",
            per_second * INDICES_PER_CHILD,
            "/s",
            TARGET_PER_SECOND,
            higher=True,
            note=f"a {CHILDREN:,}-child month in {best:.2f} s, BMI-for-age included",
        ),
        Figure("growth: tables loaded and checked (first use)", load_ms, "ms", 500.0),
    ]
