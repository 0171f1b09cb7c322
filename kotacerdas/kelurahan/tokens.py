"""The code printed under a letter's QR: unguessable, and survives being typed by hand.

The generator is the platform's (``kotacerdas.core.tokens``, shared with the
birth certificates): 28 characters of Crockford's base32, printed in groups of
four, read forgivingly when typed. Request codes (``SURAT <kode>``) are
shorter: they open nothing without a signed-in owner or staff, and only say a
status.
"""

from __future__ import annotations

from kotacerdas.core.tokens import ALPHABET, GROUP, LENGTH, READ_AS, canonical, grouped, new_token

__all__ = [
    "ALPHABET",
    "GROUP",
    "LENGTH",
    "READ_AS",
    "canonical",
    "grouped",
    "new_request_code",
    "new_token",
]

REQUEST_CODE_LENGTH = 8


def new_request_code() -> str:
    return new_token(REQUEST_CODE_LENGTH)
