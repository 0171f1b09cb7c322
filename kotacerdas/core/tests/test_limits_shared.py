"""The limiter on the caches sites really run on: the database cache, and Redis when set.

The rest of the suite uses the local-memory cache (see conftest.py); these
tests are why that is safe.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import threading
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from kotacerdas.core import limits

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kotacerdas_cache",
    }
}


def _rows() -> list[tuple[str, dt.datetime]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, expires FROM kotacerdas_cache")
        return list(cursor.fetchall())


def test_migrate_made_the_cache_table_and_sites_use_it_by_default(db):
    from kotacerdas import settings as site_settings  # as read at start, before conftest's override

    if site_settings.REDIS_URL:
        pytest.skip("REDIS_URL is set in this environment")
    assert site_settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")
    assert "kotacerdas_cache" in connection.introspection.table_names()


@override_settings(CACHES=DATABASE_CACHE, RATE_LIMITS={"try": (3, 3600)})
def test_the_database_cache_counts_a_whole_window(db):
    caches["default"].clear()

    answers = [limits.hit("try", "10.0.0.1") for _ in range(4)]

    assert answers == [True, True, True, False]
    assert limits.exhausted("try", "10.0.0.1")
    [(key, expires)] = _rows()
    assert "10.0.0.1" not in key
    # Django's own incr on this cache would have reset the expiry to five minutes.
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    assert expires > timezone.now() + dt.timedelta(minutes=55)


@override_settings(CACHES=DATABASE_CACHE, RATE_LIMITS={"try": (2, 3600)})
def test_a_count_in_the_database_cache_is_seen_by_a_new_process(db):
    caches["default"].clear()
    limits.hit("try", "k")
    limits.hit("try", "k")

    caches.close_all()
    del caches["default"]  # the next use builds a new backend, as another worker would

    assert not limits.hit("try", "k")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_hits_on_the_database_cache_cannot_pass_the_limit_together():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrency: set DATABASE_URL=postgres://…")
    start = threading.Barrier(8)
    answers: list[bool] = []

    def one_hit() -> None:
        start.wait()
        try:
            answers.append(limits.hit("try", "10.0.0.2"))
        finally:
            connection.close()

    with override_settings(CACHES=DATABASE_CACHE, RATE_LIMITS={"try": (3, 3600)}):
        caches["default"].clear()
        threads = [threading.Thread(target=one_hit) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(answers) == [False] * 5 + [True] * 3


@pytest.fixture
def redis_cache(settings: Any) -> None:
    if importlib.util.find_spec("redis") is None:
        pytest.skip(
            "Django's Redis cache needs the redis package (not installed): "
            "add it to the environment and run Redis on 127.0.0.1:6379"
        )
    import redis

    location = getattr(django_settings, "TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(location).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis answers at {location}: start one to run this test")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    caches["default"].clear()


@override_settings(RATE_LIMITS={"try": (2, 3600)})
def test_redis_counts_the_limit_and_keeps_the_window(redis_cache):
    answers = [limits.hit("try", "10.0.0.3") for _ in range(3)]

    assert answers == [True, True, False]
    assert limits.exhausted("try", "10.0.0.3")
    client = caches["default"]._cache.get_client()  # type: ignore[attr-defined]
    [key] = client.keys("*hits:try:*")
    assert 3500 < client.ttl(key) <= 3600


@override_settings(CACHES=DATABASE_CACHE, RATE_LIMITS={"try": (2, 60)})
def test_the_database_cache_starts_a_new_window_once_the_last_has_passed(db):
    caches["default"].clear()
    assert limits.hit("try", "k")
    assert limits.hit("try", "k")
    assert not limits.hit("try", "k")
    with connection.cursor() as cursor:  # the window's end, an hour ago
        cursor.execute(
            "UPDATE kotacerdas_cache SET expires = %s",
            [connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(hours=1))],
        )
    assert not limits.exhausted("try", "k")
    assert limits.hit("try", "k")
    [(_key, expires)] = _rows()
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    assert timezone.now() < expires <= timezone.now() + dt.timedelta(seconds=61)
    limits.reset("try", "k")
    assert _rows() == []


@override_settings(CACHES=DATABASE_CACHE, RATE_LIMITS={"try": (3, 3600)})
def test_a_hit_on_the_database_cache_is_one_statement(db, django_assert_num_queries):
    """No lock, no read-then-write, no count of the whole table to cull it."""
    caches["default"].clear()
    limits.hit("try", "k")
    with django_assert_num_queries(1):
        assert limits.hit("try", "k")
