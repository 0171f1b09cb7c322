from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings

from kotacerdas.core import limits


@override_settings(RATE_LIMITS={"try": (3, 60)})
def test_a_key_is_let_in_up_to_its_limit_then_refused():
    cache.clear()

    answers = [limits.hit("try", "+6281200000001") for _ in range(4)]

    assert answers == [True, True, True, False]
    assert limits.exhausted("try", "+6281200000001")
    assert limits.hit("try", "+6281200000002")  # another key counts apart


@override_settings(RATE_LIMITS={"try": (1, 60)})
def test_reset_clears_the_count():
    cache.clear()
    limits.hit("try", "k")

    limits.reset("try", "k")

    assert not limits.exhausted("try", "k")


@override_settings(RATE_LIMITS={"try": (1, 60)})
def test_the_raw_key_never_reaches_the_cache():
    assert "+6281200000001" not in limits._cache_key("try", "+6281200000001")
