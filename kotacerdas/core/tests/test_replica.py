"""Without a replica, stale-ok changes nothing (the real replica: integration/test_replica.py)."""

from __future__ import annotations

from django.conf import settings

from kotacerdas.core import replica


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    assert "replica" not in settings.DATABASES
    assert "kotacerdas.core.replica.PrimaryAfterWriteMiddleware" not in settings.MIDDLEWARE
    with replica.stale_ok():
        assert replica.read_alias() == "default"


@replica.stale_ok()
def _decorated() -> bool:
    return replica._stale_ok.get()


def test_stale_ok_is_a_context_manager_and_a_decorator_and_ends_with_its_block() -> None:
    assert replica._stale_ok.get() is False
    assert _decorated() is True
    with replica.stale_ok():
        assert replica._stale_ok.get() is True
    assert replica._stale_ok.get() is False
