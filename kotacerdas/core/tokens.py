"""Codes printed under a QR and typed back by hand: unguessable, forgiving to type.

Shared by the services that print such codes (birth certificates, kelurahan
letters, Cirebon Melet tickets and certificates): 28 characters of Crockford's
base32 (140 random bits; no I, L, O or U, no leading symbol), printed in groups
of four (``7KQ2-M9TX-…``). A typed code is read forgivingly: case, spaces and
dashes do not matter and O, I, L read as 0, 1, 1. The canonical form (upper
case, no separators) is what is stored and indexed.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
LENGTH = 28  # 140 bits
GROUP = 4
# What a person may type in place of the characters Crockford leaves out.
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def grouped(token: str) -> str:
    """The code as printed: groups of four joined by ``-``."""
    return "-".join(token[i : i + GROUP] for i in range(0, len(token), GROUP))


def canonical(typed: str) -> str:
    """A typed code as stored: no spaces or dashes, upper case, O/I/L read as 0/1/1."""
    return "".join(c for c in typed.upper() if c not in " -\t\n.").translate(READ_AS)


def is_token(text: str, length: int = LENGTH) -> bool:
    """Whether ``text`` (canonical) can be a code at all: worth looking up, safe to query."""
    return len(text) == length and all(c in ALPHABET for c in text)
