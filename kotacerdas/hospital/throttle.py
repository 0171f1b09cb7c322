"""Slow down anyone who tries booking codes at the public kiosk until one works.

A code is 8 characters from 22 (≈ 5.5 × 10¹⁰ codes), so guessing one is
already hopeless; the limits make trying impossible at scale all the same,
and keep a stolen code list from being replayed quickly. Counted per device
address by the platform's one limiter (kotacerdas.core.limits: the key is
hashed, the count shared by every worker).

Two limits: codes that match no booking (what someone guessing produces
nearly every time) and all check-in attempts, set high enough for a real
kiosk in the hall on a busy morning (``kiosk_unknown_codes`` and
``kiosk_attempts`` in settings.RATE_LIMITS).
"""

from __future__ import annotations

from kotacerdas.core import limits


def allow_check_in(address: str | None) -> bool:
    """Count one attempt; False when this device is over either hourly limit."""
    device = address or "unknown"
    if limits.exhausted("kiosk_unknown_codes", device):
        return False
    return limits.hit("kiosk_attempts", device)


def unknown_code(address: str | None) -> None:
    """A code that matched no booking."""
    limits.hit("kiosk_unknown_codes", address or "unknown")
