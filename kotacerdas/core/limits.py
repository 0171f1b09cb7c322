"""The platform's one rate limiter, counted in Django's cache.

Every limit has a name, a count and a window, all in ``settings.RATE_LIMITS``
(``{"name": (count, seconds)}``), so an operator reads every limit in one
place. The counts live in the ``default`` cache: the database cache unless
``REDIS_URL`` is set, so every process and every machine counts together
(a per-process cache would multiply each limit by the number of workers).

Keys are hashed with the site's secret before they reach the cache: a phone
number, a NIK or an address never sits in a cache table or in Redis.

    if not limits.hit("wadul_lookups", client_hash):
        refuse()
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction

from kotacerdas.core import locks


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
    return _count(_cache_key(name, key), limit.window) <= limit.count


def _count(cache_key: str, window: int) -> int:
    """Add one to ``cache_key``'s count in a window of ``window`` seconds from its first use."""
    if isinstance(caches["default"], DatabaseCache):
        return _count_in_database(cache_key, window)
    return _count_atomically(cache_key, window)


def _count_atomically(cache_key: str, window: int) -> int:
    # Redis and the local-memory cache add and increment atomically, and an
    # increment keeps the key's expiry.
    cache.add(cache_key, 0, window)
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        return 1


def _count_in_database(cache_key: str, window: int) -> int:
    # The database cache's incr is a read then a write (two processes can both
    # read 3 and write 4) and it resets the expiry to the default five minutes,
    # which would turn an hourly window into a sliding five-minute one. So:
    # read and write under a lock on the key, keeping the window's end with the count.
    with transaction.atomic():
        locks.hold(cache_key)
        now = time.time()
        value = cache.get(cache_key)
        used, until = value if isinstance(value, tuple) else (_used(value), now + window)
        used += 1
        cache.set(cache_key, (used, until), max(1, math.ceil(until - now)))
    return int(used)


def _used(value: object) -> int:
    if isinstance(value, tuple):
        return int(value[0])
    return int(value or 0)  # type: ignore[call-overload]


def exhausted(name: str, key: str) -> bool:
    """True when ``key`` has used up ``name`` (counts nothing)."""
    return _used(cache.get(_cache_key(name, key))) >= Limit.named(name).count


def reset(name: str, key: str) -> None:
    """Forget ``key``'s uses of ``name`` (after a success that should clear the slate)."""
    cache.delete(_cache_key(name, key))
