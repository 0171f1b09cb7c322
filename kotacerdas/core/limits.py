"""The platform's one rate limiter, counted in Django's cache.

Every limit has a name, a count and a window, all in ``settings.RATE_LIMITS``
(``{"name": (count, seconds)}``), so an operator reads every limit in one
place. The counts live in the ``default`` cache: the database cache unless
``REDIS_URL`` is set, so every process and every machine counts together
(a per-process cache would multiply each limit by the number of workers).

Keys are hashed with the site's secret before they reach the cache: a phone
number, a NIK or an address never sits in a cache table or in Redis.

    if not limits.hit("wadul_lookup", client_hash):
        refuse()
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window: int  # seconds, counted from the first hit

    @classmethod
    def named(cls, name: str) -> Limit:
        count, window = settings.RATE_LIMITS[name]
        return cls(name, int(count), int(window))


def _cache_key(name: str, key: str) -> str:
    digest = hashlib.blake2b(
        f"{name}:{key}".encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()
    return f"limit:{name}:{digest}"


def hit(name: str, key: str) -> bool:
    """Count one use of ``name`` by ``key``; True while the use is within the limit."""
    limit = Limit.named(name)
    cache_key = _cache_key(name, key)
    cache.add(cache_key, 0, limit.window)
    try:
        used = int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, limit.window)
        used = 1
    return used <= limit.count


def exhausted(name: str, key: str) -> bool:
    """True when ``key`` has used up ``name`` (counts nothing)."""
    return int(cache.get(_cache_key(name, key), 0)) >= Limit.named(name).count


def reset(name: str, key: str) -> None:
    """Forget ``key``'s uses of ``name`` (after a success that should clear the slate)."""
    cache.delete(_cache_key(name, key))
