"""Tracking codes: short, unambiguous to read aloud, hard to guess.

``WB-7K3Q9P``: six characters from an alphabet without look-alikes (no 0/O,
1/I/L, 2/Z, 5/S, 8/B, U/V): 22^6 ≈ 113 million codes, drawn with ``secrets``.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
PREFIX = "WB-"
LENGTH = 6
_PATTERN = re.compile(rf"^WB-?([{ALPHABET}]{{{LENGTH}}})$")


def new_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(raw: str) -> str | None:
    """``wb 7k3q9p`` → ``WB-7K3Q9P``; None if it cannot be a code."""
    compact = re.sub(r"[\s\-_.]", "", raw.upper())
    if compact.startswith("WB"):
        compact = compact[2:]
    if len(compact) != LENGTH:
        return None
    code = PREFIX + compact
    return code if _PATTERN.match(code) else None
