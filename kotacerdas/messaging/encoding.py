"""How many SMS segments a text costs, in GSM-7 or UCS-2 (3GPP TS 23.038)."""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: each costs an escape plus itself.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


# Units one segment carries: alone, and as a part of a longer message (the rest is its header).
SINGLE = {"gsm7": 160, "ucs2": 70}
PART = {"gsm7": 153, "ucs2": 67}


@dataclass(frozen=True)
class Segments:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int


def count_segments(text: str) -> Segments:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        return Segments("gsm7", units, _count("gsm7", units))
    # UTF-16: characters outside the BMP (most emoji) take two code units.
    units = len(text.encode("utf-16-be")) // 2
    return Segments("ucs2", units, _count("ucs2", units))


def _count(encoding: str, units: int) -> int:
    return 1 if units <= SINGLE[encoding] else -(-units // PART[encoding])


def count_sql(encoding: str, units: int, more: str) -> tuple[str, list[int]]:
    """SQL for the segments of a text of ``units`` units plus ``more`` (SQL for a
    number of characters of one unit each, such as a number's digits), and its parameters."""
    total = f"(%s + {more})"
    return (
        f"CASE WHEN {total} <= %s THEN 1 ELSE ({total} + %s - 1) / %s END",
        [units, SINGLE[encoding], units, PART[encoding], PART[encoding]],
    )
