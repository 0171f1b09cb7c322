"""The code printed under a letter's QR: unguessable, and survives being typed by hand.

The same idea as the birth certificates' codes (that module belongs to the
births service, so it is not imported): 28 characters of Crockford's base32
(140 random bits; no I, L, O or U, no leading symbol), printed in groups of
four. A typed code is read forgivingly: case, spaces and dashes do not matter
and O, I, L read as 0, 1, 1. Request codes (``SURAT <kode>``) are shorter:
they open nothing without a signed-in owner or staff, and only say a status.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 28
GROUP = 4
REQUEST_CODE_LENGTH = 8
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_request_code() -> str:
    return new_token(REQUEST_CODE_LENGTH)


def grouped(token: str) -> str:
    return "-".join(token[i : i + GROUP] for i in range(0, len(token), GROUP))


def canonical(typed: str) -> str:
    return "".join(c for c in typed.upper() if c not in " -\t\n.").translate(READ_AS)
