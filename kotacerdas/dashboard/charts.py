"""Charts as inline SVG, drawn on the server: no script, readable printed.

Each chart stands beside its table (the table is the accessible form: the
SVG carries a title and is ``role="img"``). A hidden count is drawn as no
bar with its shown text ("<5", "×") as the label, never as its value.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # a narrow viewBox: on a 360 px phone it is drawn at its own size
COLUMN_HEIGHT = 140
TOP, BOTTOM, LEFT = 16, 22, 4
BAR_ROW = 18
RANK_LABEL = 110
SHADES = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    text_x: float
    text_y: float
    shade: int = 0  # 1 … SHADES for the ranked chart's colour scale


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    baseline: float


def _scale(values: list[int | None]) -> int:
    return max([v for v in values if v is not None] + [1])


def month_chart(title: str, labels: list[str], values: list[int | None], shown: list[str]) -> Chart:
    """Twelve columns, one per month."""
    top = _scale(values)
    step = (WIDTH - LEFT) / len(values)
    plot = COLUMN_HEIGHT - TOP - BOTTOM
    bars = []
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        height = plot * (value or 0) / top
        x = LEFT + i * step
        bars.append(
            Bar(
                x=round(x + step * 0.15, 1),
                y=round(TOP + plot - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                label=label.split()[0][:3],
                text=text,
                text_x=round(x + step / 2, 1),
                text_y=round(TOP + plot - height - 3, 1),
            )
        )
    return Chart(title, WIDTH, COLUMN_HEIGHT, bars, TOP + plot)


def ranked_chart(
    title: str, labels: list[str], values: list[int | None], shown: list[str]
) -> Chart:
    """One bar per kelurahan, largest first, shaded by fifths of the largest value.

    Stands in for a map until the city's kelurahan boundaries are available
    under an open licence (docs/dashboard.md)."""
    top = _scale(values)
    room = WIDTH - RANK_LABEL - 30
    bars = []
    for i, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        width = room * (value or 0) / top
        y = TOP / 2 + i * BAR_ROW
        shade = 0 if not value else min(SHADES, 1 + int(SHADES * value / (top + 1)))
        bars.append(
            Bar(
                x=RANK_LABEL,
                y=y,
                width=round(width, 1),
                height=BAR_ROW - 4,
                label=label,
                text=text,
                text_x=round(RANK_LABEL + width + 3, 1),
                text_y=y + BAR_ROW - 8,
                shade=shade,
            )
        )
    return Chart(title, WIDTH, int(TOP + len(values) * BAR_ROW), bars, 0)
