"""Limits hold when requests arrive at the same moment (PostgreSQL: real concurrency)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kotacerdas.messaging import actions
from kotacerdas.messaging.models import Message


@pytest.mark.django_db(transaction=True)
def test_parallel_senders_cannot_pass_the_per_number_limit_together(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (SQLite lets one writer in at a time anyway): set DATABASE_URL"
        )
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sms_out_per_number": (3, 3600)}
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def send() -> None:
        start.wait()
        try:
            actions.send_sms("081234567890", "Halo", purpose="test")
            outcomes.append("sent")
        except actions.RateLimited:
            outcomes.append("limited")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["limited"] * 5 + ["sent"] * 3
    assert Message.objects.filter(phone="+6281234567890").count() == 3
