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

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone


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
    # "hits:", not the "limit:" of the pickled counts before the database
    # cache's count became a number its UPSERT adds to: a count left from
    # then is never read as one.
    return f"hits:{name}:{digest}"


def hit(name: str, key: str) -> bool:
    """Count one use of ``name`` by ``key``; True while the use is within the limit."""
    limit = Limit.named(name)
    return _count(_cache_key(name, key), limit.window) <= limit.count


def _count(cache_key: str, window: int) -> int:
    """Add one to ``cache_key``'s count in a window of ``window`` seconds from its first use."""
    default = caches["default"]
    if isinstance(default, DatabaseCache):
        return _count_in_database(cache_key, window)
    if isinstance(default, RedisCache):
        return _count_in_redis(default, cache_key, window)
    return _count_atomically(cache_key, window)


def _count_in_redis(redis_cache: RedisCache, cache_key: str, window: int) -> int:
    # Every SMS reply is counted here, so under a rush this is per message.
    # Through the cache's API the count is two round trips (add, then incr),
    # and Django's Redis backend builds a new client for each (≈ 0.2 ms each,
    # most of it redis-py filling the client's table of reply parsers). Here:
    # one client per cache object (per thread, as caches are) and one round
    # trip, SET NX with the window's expiry then INCR in one MULTI/EXEC, as
    # atomic as add + incr (INCR keeps the expiry). The value is a plain
    # integer, as the backend stores integers, so cache.get and incr agree.
    client = getattr(redis_cache, "_limits_client", None)
    if client is None:
        # The backend's client, from its connection pool (``_cache``: Django's
        # RedisCacheClient, not public API; test_limits_shared runs on Redis).
        client = redis_cache._cache.get_client(write=True)
        redis_cache._limits_client = client  # type: ignore[attr-defined]
    key = redis_cache.make_and_validate_key(cache_key)
    with client.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=window, nx=True)
        pipe.incr(key)
        return int(pipe.execute()[1])


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
    # which would turn an hourly window into a sliding five-minute one; its set
    # also counts the whole table (to cull it) every time. So the count is one
    # UPSERT on the cache's table, atomic under the key's row lock: the value
    # is the count as text, the expiry the window's end (a new window once it
    # has passed). Only this module reads these rows; the cache's own culling
    # and clear() delete them like any other.
    db_cache, table, connection = _database_cache()
    key = db_cache.make_and_validate_key(cache_key)
    now = timezone.now().replace(microsecond=0)
    adapt = connection.ops.adapt_datetimefield_value
    current, until = adapt(now), adapt(now + dt.timedelta(seconds=window))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, '1', %s)"  # noqa: S608 (table name from settings, values bound)
            f" ON CONFLICT (cache_key) DO UPDATE SET"
            f" value = CASE WHEN {table}.expires > %s"
            f" THEN CAST(CAST({table}.value AS INTEGER) + 1 AS TEXT) ELSE '1' END,"
            f" expires = CASE WHEN {table}.expires > %s THEN {table}.expires ELSE %s END"
            " RETURNING value",
            [key, until, current, current, until],
        )
        return int(cursor.fetchone()[0])


def _database_cache() -> tuple[DatabaseCache, str, BaseDatabaseWrapper]:
    db_cache = caches["default"]
    assert isinstance(db_cache, DatabaseCache)
    connection = connections[router.db_for_write(db_cache.cache_model_class)]
    return (
        db_cache,
        connection.ops.quote_name(db_cache.cache_model_class._meta.db_table),
        connection,
    )


def _used_in_database(cache_key: str) -> int:
    db_cache, table, connection = _database_cache()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value FROM {table} WHERE cache_key = %s AND expires > %s",  # noqa: S608 (as above)
            [
                db_cache.make_and_validate_key(cache_key),
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        row = cursor.fetchone()
    return int(row[0]) if row is not None else 0


def exhausted(name: str, key: str) -> bool:
    """True when ``key`` has used up ``name`` (counts nothing)."""
    cache_key = _cache_key(name, key)
    if isinstance(caches["default"], DatabaseCache):
        used = _used_in_database(cache_key)
    else:
        used = int(cache.get(cache_key) or 0)
    return used >= Limit.named(name).count


def reset(name: str, key: str) -> None:
    """Forget ``key``'s uses of ``name`` (after a success that should clear the slate)."""
    cache.delete(_cache_key(name, key))
