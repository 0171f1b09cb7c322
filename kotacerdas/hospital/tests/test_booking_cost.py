"""What one booking POST costs the database, and how much of it runs with the session locked.

Under a rush every booking of a session waits for the one holding the
session's row lock, so the statements inside the lock set the pace: only the
counter, the insert, the audit record and the confirmation SMS's row belong
there (the SMS is stored with the booking, so that a server dying right after
the commit cannot leave a booking unconfirmed). Everything else (the
idempotency look-up, the duplicate check, the SMS's number and hourly limit,
sending it) happens before or after.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.hospital.models import Booking, Session
from kotacerdas.hospital.tests.conftest import NIK, NIK2
from kotacerdas.hospital.tests.test_booking import post

pytestmark = pytest.mark.django_db

# The place's UPDATE (it takes the lock and draws the booking's id), then the
# booking's, the audit event's and the confirmation's inserts in one round
# trip: nothing else until the commit.
MAX_STATEMENTS_UNDER_LOCK = 2
# +5 for the per-citizen caps: their savepoint pair, the citizen's advisory
# lock and the two counts (outside the session lock).
MAX_QUERIES_PER_POST = 20


def statements_under_lock(queries: list[dict[str, Any]]) -> list[str]:
    """From the UPDATE of the session's row to the end of its transaction (a savepoint here)."""
    sqls = [q["sql"] for q in queries]
    lock = next(
        i
        for i, sql in enumerate(sqls)
        if sql.startswith('UPDATE "hospital_session"') or "FOR UPDATE" in sql
    )
    end = next(i for i, sql in enumerate(sqls) if i > lock and sql.startswith("RELEASE SAVEPOINT"))
    return sqls[lock:end]


@pytest.mark.postgres
def test_a_booking_post_holds_the_session_lock_for_few_statements(
    citizen_web: Client, session: Session, django_capture_on_commit_callbacks: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    post(citizen_web, session, key="first", nik=NIK2)
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        response = post(citizen_web, session)
    assert response.status_code == 302
    locked = statements_under_lock(ctx.captured_queries)
    assert len(locked) <= MAX_STATEMENTS_UNDER_LOCK, "\n".join(s[:120] for s in locked)
    assert locked[0].startswith('UPDATE "hospital_session"'), "one statement takes the place"
    # The booking, its audit event and its SMS: one statement.
    assert re.findall(r'INSERT INTO ("\w+")', locked[1]) == [
        '"hospital_booking"',
        '"audit_auditevent"',
        '"messaging_message"',
    ]
    # Only the session row is locked, never its clinic (other sessions would wait),
    # and no row shared by every writer (the audit chain is sequenced later).
    assert '"hospital_clinic"' not in locked[0]
    assert not any("audit_chainhead" in q["sql"] for q in ctx.captured_queries)
    # The SMS's number was checked and counted before; only its row is written here.
    assert not any("advisory" in s or "cache" in s for s in locked), (
        "the SMS limit is counted before"
    )
    assert not any(s.startswith("SELECT 1 AS") for s in locked), "duplicates are checked before"


def test_a_booking_post_runs_a_bounded_number_of_queries(
    citizen_web: Client,
    session: Session,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    post(citizen_web, session, key="first", nik=NIK2)
    with (
        django_assert_max_num_queries(MAX_QUERIES_PER_POST),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post(citizen_web, session)
    assert response.status_code == 302
    assert Booking.objects.get(nik=NIK).number == 2


def test_a_refused_post_in_a_rush_is_cheap(
    citizen_web: Client,
    make_session: Any,
    django_assert_max_num_queries: Any,
) -> None:
    """Most of a rush comes after the places are gone: answered without the lock."""
    from django.utils import translation

    full = make_session(quota_jkn=0, quota_non_jkn=0)
    with django_assert_max_num_queries(7), translation.override("id"):
        response = post(citizen_web, full)
    assert response.status_code == 200
    assert "sudah penuh" in response.content.decode()
    assert not Booking.objects.exists()


# As sites run it (the database cache for the SMS limit, the database task
# queue): the session and the citizen read, one look-up for the idempotency
# key and a duplicate, the citizen's lock and counts, the SMS limit's UPSERT,
# the place, three inserts, the commit's pair and the outbox's wake-up.
SITE_STATEMENTS_PER_POST = 14


@pytest.fixture
def as_sites_run_it(settings: Any) -> None:
    """The database cache (for the SMS limit) and the database task queue."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kotacerdas_cache",
        }
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms"]}
    }


@pytest.mark.usefixtures("as_sites_run_it")
def test_a_booking_post_as_sites_run_it_is_fourteen_statements(
    citizen_web: Client,
    session: Session,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        # In a rush a sender task is waiting already: the wake-up only looks.
        post(citizen_web, session, key="first", nik=NIK2)
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        response = post(citizen_web, session)
    assert response.status_code == 302
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) <= SITE_STATEMENTS_PER_POST, "\n".join(s[:120] for s in sqls)
    # The SMS limit: one UPSERT, no lock of its own, no count of the cache table.
    cache_statements = [s for s in sqls if "kotacerdas_cache" in s]
    assert len(cache_statements) == 1
    assert cache_statements[0].startswith('INSERT INTO "kotacerdas_cache"')
    assert not any('COUNT(*) FROM "kotacerdas_cache"' in s for s in sqls)
    # The session is not written back on a booking.
    assert not any(
        s.startswith(('UPDATE "django_session"', 'INSERT INTO "django_session"')) for s in sqls
    )
    assert Booking.objects.get(nik=NIK).number == 2


# As above, when the POST also keeps the citizen's session alive (its last
# write a minute old: the citizen took a while over the form): the session's
# row is read with one SELECT and written with one UPDATE, with no BEGIN and
# COMMIT of its own; the booking's transaction is the only one.
SITE_ROUND_TRIPS_WITH_A_TOUCH = 13


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("as_sites_run_it")
def test_a_booking_post_that_keeps_the_session_alive_is_thirteen_round_trips(
    citizen_web: Client, session: Session
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the round trips counted are PostgreSQL's")
    post(citizen_web, session, key="first", nik=NIK2)  # a sender task is waiting now
    stale = citizen_web.session
    stale["_touched"] = 0
    stale.save()
    with CaptureQueriesContext(connection) as ctx:
        response = post(citizen_web, session)
    assert response.status_code == 302
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) <= SITE_ROUND_TRIPS_WITH_A_TOUCH, "\n".join(s[:120] for s in sqls)
    assert [s.split()[0] for s in sqls].count("BEGIN") == 1, "one transaction: the booking's"
    assert sqls[-1].startswith('UPDATE "django_session"'), "the touch, after the booking"
    assert sum('"django_session"' in s for s in sqls) == 2  # read once, written once
    assert Booking.objects.get(nik=NIK).number == 2
