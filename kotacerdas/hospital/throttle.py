"""Slow down anyone who tries booking codes at the public kiosk until one works.

A code is 8 characters from 22 (≈ 5.5 × 10¹⁰ codes), so guessing one is
already hopeless; the limits make trying impossible at scale all the same,
and keep a stolen code list from being replayed quickly. Counted per device
address (hashed with the secret key: no address is stored) in Django's cache,
like Wadul Bae's tracking-code look-ups: per process with the default local
cache, so the effective limit is per worker.

Two limits: codes that match no booking (what someone guessing produces
nearly every time) and all check-in attempts, set high enough for a real
kiosk in the hall on a busy morning.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from kotacerdas.core.counters import count

WINDOW = 3600


def _key(kind: str, address: str | None) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address or 'unknown'}".encode()).hexdigest()
    return f"lengko-kiosk-{kind}:{digest}"


def allow_check_in(address: str | None) -> bool:
    """Count one attempt; False when this device is over either hourly limit."""
    if (cache.get(_key("unknown", address)) or 0) >= settings.HOSPITAL_KIOSK_UNKNOWN_PER_HOUR:
        return False
    return count(_key("attempts", address), WINDOW) <= settings.HOSPITAL_KIOSK_ATTEMPTS_PER_HOUR


def unknown_code(address: str | None) -> None:
    """A code that matched no booking."""
    count(_key("unknown", address), WINDOW)
