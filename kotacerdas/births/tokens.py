"""The code printed on a birth certificate, which its QR opens and a person may type.

A code is read off paper and typed on a phone, so it is made to survive that:
28 characters of Crockford's base32 (140 random bits) with no I, L, O or U,
printed in groups of four (``7KQ2-M9TX-…``). Typing is forgiving: case,
spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1. The
canonical form (upper case, no separators) is what is stored and indexed.
The generator and the typing rules are the platform's (``kotacerdas.core.tokens``).

Certificates issued before this (``secrets.token_urlsafe(16)``: 22 characters
of a case-sensitive alphabet with ``-`` and ``_``, possibly starting with
``-``) keep their codes, which are on paper: they are found exactly as before.

When a typed code is not found, ``near_miss`` says whether it is close to a real
one (a typo, a dropped leading dash, other case), without scanning the table:
candidates come from a few bounded look-ups on indexed prefixes.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Upper

from kotacerdas.births.models import Certificate
from kotacerdas.core.tokens import ALPHABET, GROUP, LENGTH, canonical, new_token

__all__ = ["ALPHABET", "GROUP", "LENGTH", "canonical", "find", "grouped", "near_miss", "new_token"]
# The longest thing worth looking up (a grouped new code with spaces around dashes).
LONGEST_TYPED = 64
# Candidates looked at per look-up, and how far a typed code may be from one.
CANDIDATES = 20
NEAR = 2
PREFIX = 5


def is_new(token: str) -> bool:
    return len(token) == LENGTH and all(c in ALPHABET for c in token)


def grouped(token: str) -> str:
    """The code as printed: groups of four joined by ``-``; an old code as it is."""
    if not is_new(token):
        return token
    return "-".join(token[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def find(typed: str) -> Certificate | None:
    """The certificate whose code is ``typed``: exactly (old codes), or in canonical form."""
    raw = typed.strip()
    if not raw or len(raw) > LONGEST_TYPED:
        return None
    canon = canonical(raw)
    wanted = {raw, canon} if is_new(canon) else {raw}
    return (
        Certificate.objects.filter(token__in=wanted)
        .only("token", "status", "shown", "akta_number", "version", "issued_at", "pdf_sha256")
        .first()
    )


def near_miss(typed: str) -> bool:
    """True when ``typed`` is not a code but is within a typo or two of one.

    At most four indexed look-ups of at most ``CANDIDATES`` rows each: new codes
    sharing the typed code's first characters; old codes equal but for case or a
    dropped leading ``-`` (an index on the upper-cased code), or sharing the
    first characters as typed.
    """
    raw = "".join(typed.split())
    typed_key = _key(raw)
    if not PREFIX <= len(typed_key) <= LONGEST_TYPED:
        return False
    canon, bare = canonical(raw), raw.lstrip("-")
    upper_matches = (
        Certificate.objects.annotate(upper=Upper("token"))
        .filter(upper__in=[bare.upper(), "-" + bare.upper()])
        .values_list("token", flat=True)[:CANDIDATES]
    )
    if upper_matches:
        return True
    prefixes = Q(token__startswith=canon[:PREFIX]) | Q(token__startswith=bare[:PREFIX])
    prefixes |= Q(token__startswith="-" + bare[: PREFIX - 1])
    candidates = Certificate.objects.filter(prefixes).values_list("token", flat=True)
    return any(
        _distance(typed_key, _key(token), NEAR) <= NEAR for token in candidates[: 3 * CANDIDATES]
    )


def _key(code: str) -> str:
    """What two codes are compared by: canonical, without a leading dash."""
    return canonical(code.lstrip("-"))


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it is surely over ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
