"""Growth charts as inline SVG: WHO curves −3 … +3 SD and the child's points.

Drawn on the server (no script, nothing the CSP blocks): the template gets
coordinates already scaled to the SVG's viewBox.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _

from kotacerdas.growth import DAYS_PER_MONTH, table
from kotacerdas.posyandu.models import Measurement

# A narrow viewBox: on a 360 px phone the chart is drawn about 300 px wide, so
# a 15-unit label stays about 11 px high (a 640-unit box shrank it to 6 px).
WIDTH, HEIGHT = 400, 300
LEFT, RIGHT, TOP, BOTTOM = 36, 30, 10, 40
SDS = (-3, -2, -1, 0, 1, 2, 3)
STEP_DAYS = 7


# Coordinates are strings: a float in a template is localised ("12,5" in
# Indonesian), which is not an SVG number.
def n(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Line:
    css: str
    points: str
    label: str
    label_x: str
    label_y: str


@dataclass
class Tick:
    position: str
    label: str


@dataclass
class Point:
    x: str
    y: str
    title: str


@dataclass
class Chart:
    title: object
    unit: str
    width: int
    height: int
    curves: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    points: list[Point]
    path: str
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    plot_width: int = WIDTH - LEFT - RIGHT
    plot_height: int = HEIGHT - TOP - BOTTOM


def sd_value(lms: tuple[float, float, float], k: float) -> float:
    lam, mu, sigma = lms
    return float(mu * (1 + lam * sigma * k) ** (1 / lam))


@cache
def _curves(indicator: str, sex: int, last_day: int) -> tuple[tuple[int, tuple[float, ...]], ...]:
    t = table(indicator)
    rows = t.rows[sex - 1]
    days = list(range(t.first_key, last_day + 1, STEP_DAYS))
    if days[-1] != last_day:
        days.append(last_day)
    return tuple((day, tuple(sd_value(rows[day - t.first_key], k) for k in SDS)) for day in days)


def _nice_step(span: float) -> float:
    raw = span / 8
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def growth_chart(indicator: str, sex: int, measurements: list[Measurement]) -> Chart:
    """``indicator``: "wfa" (weight, kg) or "lhfa" (length/height, cm)."""
    is_weight = indicator == "wfa"
    values: list[tuple[int, float, Measurement]] = []
    for m in measurements:
        value = float(m.weight) if is_weight else m.clenhei
        if value is not None:
            values.append((m.age_days, value, m))
    oldest = max((d for d, _v, _m in values), default=0)
    last_day = 730 if oldest <= 730 else 1826
    curves = _curves(indicator, sex, last_day)
    y_low = min(c[1][0] for c in curves)
    y_high = max(c[1][-1] for c in curves)
    for _d, v, _m in values:
        y_low, y_high = min(y_low, v), max(y_high, v)
    step = _nice_step(y_high - y_low)
    y_low = math.floor(y_low / step) * step
    y_high = math.ceil(y_high / step) * step
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: float) -> float:
        return round(LEFT + plot_w * day / last_day, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (y_high - value) / (y_high - y_low), 1)

    lines = []
    for i, k in enumerate(SDS):
        points = " ".join(f"{x(day)},{y(sd[i])}" for day, sd in curves)
        css = "sd0" if k == 0 else f"sd{abs(k)}"
        label = "0" if k == 0 else f"{k:+d}"
        lines.append(Line(css, points, label, n(WIDTH - RIGHT + 3), n(y(curves[-1][1][i]) + 4)))
    month_step = 3 if last_day == 730 else 6
    x_ticks = [
        Tick(n(x(round(month * DAYS_PER_MONTH))), str(month))
        for month in range(0, 25 if last_day == 730 else 61, month_step)
    ]
    y_ticks = []
    tick = y_low
    while tick <= y_high + 1e-9:
        y_ticks.append(Tick(n(y(tick)), f"{tick:g}"))
        tick += step
    dots = [
        Point(
            n(x(day)),
            n(y(v)),
            f"{m.date:%d-%m-%Y}: {v:.1f} {'kg' if is_weight else 'cm'}",
        )
        for day, v, m in sorted(values, key=lambda t: t[0])
    ]
    path = " ".join(f"{p.x},{p.y}" for p in dots)
    title = _("Weight-for-age") if is_weight else _("Length/height-for-age")
    return Chart(
        title, "kg" if is_weight else "cm", WIDTH, HEIGHT, lines, x_ticks, y_ticks, dots, path
    )
