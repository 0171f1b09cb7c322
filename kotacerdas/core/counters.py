"""Hourly (or any window) counters in Django's cache, for the platform's rate limits.

Per process with the default local-memory cache: the effective limit is per
worker. A shared cache (Redis, the database cache) makes it one limit.
"""

from __future__ import annotations

from django.core.cache import cache


def count(key: str, window: int) -> int:
    """Add one to ``key``'s count in a window of ``window`` seconds from its first use; the new count."""
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1
