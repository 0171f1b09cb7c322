"""The old cache counter, retiring: use ``core.limits.hit`` with a named limit.

Its last caller (posyandu's mother link) moves to the limiter with the
citizen-identity work; until then it counts the limiter's way, which is
right on the database cache too (Django's own incr there is a read and a
write, and resets the expiry to five minutes). Delete this module then.
"""

from __future__ import annotations

from kotacerdas.core.limits import _count


def count(key: str, window: int) -> int:
    """Add one to ``key``'s count in a window of ``window`` seconds from its first use; the new count."""
    return _count(key, window)
