"""Numbers people type (NIK, No. KK, phone numbers): cleaned in one place.

People copy a NIK from a KTP or a family card the way it is printed or the
way they read it out: in groups, with spaces, dots or dashes
("3274 0141 0892 0001", "3274.0141.0892.0001"). Every form, schema and
parser drops those separators here before checking the number; other
characters (a letter, "²") are kept, so the check that follows can refuse
them by name instead of guessing.
"""

from __future__ import annotations

import re

SEPARATORS = re.compile(r"[\s.\-]+")
ASCII_DIGITS = re.compile(r"[0-9]+")

# Room in a form field for a 16-digit number typed with separators (the
# browser cuts what is typed at the field's maxlength).
TYPED_MAX_LENGTH = 32


def strip_separators(value: str | None) -> str:
    """The value without spaces, dots and dashes: "3274.0141 0892-0001" → "3274014108920001"."""
    return SEPARATORS.sub("", value or "")


def is_digits(value: str, length: int | None = None) -> bool:
    """True for ASCII digits only (``str.isdigit`` also takes "²" and "١"), of ``length`` if given."""
    return bool(ASCII_DIGITS.fullmatch(value)) and (length is None or len(value) == length)
