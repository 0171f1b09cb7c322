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
from django.utils import translation

from kotacerdas.audit.models import AuditEvent
from kotacerdas.hospital import actions
from kotacerdas.hospital.actions.booking import _confirmation
from kotacerdas.hospital.models import Booking, Clinic, Session
from kotacerdas.hospital.tests.conftest import CARD, NIK, NIK2
from kotacerdas.hospital.tests.test_booking import post
from kotacerdas.messaging.encoding import count_segments, count_sql
from kotacerdas.messaging.models import Message
from kotacerdas.people.models import Citizen

pytestmark = pytest.mark.django_db

# One statement: the place's UPDATE (it takes the lock and draws the booking's
# id), and the booking's, the audit event's and the confirmation's inserts
# with what they take from its answer. Nothing else until the commit.
MAX_STATEMENTS_UNDER_LOCK = 1
# +5 for the per-citizen caps: their savepoint pair, the citizen's advisory
# lock and the two counts (outside the session lock).
MAX_QUERIES_PER_POST = 20


def statements_under_lock(queries: list[dict[str, Any]]) -> list[str]:
    """From the UPDATE of the session's row to the end of its transaction (a savepoint here)."""
    sqls = [q["sql"] for q in queries]
    lock = next(
        i for i, sql in enumerate(sqls) if 'UPDATE "hospital_session"' in sql or "FOR UPDATE" in sql
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
    assert locked[0].startswith('WITH s AS (UPDATE "hospital_session"'), "it takes the place"
    # and stores the booking, its audit event and its SMS.
    assert re.findall(r'INSERT INTO ("\w+")', locked[0]) == [
        '"hospital_booking"',
        '"audit_auditevent"',
        '"messaging_message"',
    ]
    # Only the session row is locked, never its clinic (other sessions would wait),
    # and no row shared by every writer (the audit chain is sequenced later).
    assert '"hospital_clinic"' not in locked[0]
    assert "FOR UPDATE" not in locked[0]
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
# queue), as Django captures them: the session and the citizen read, one
# look-up for the idempotency key and a duplicate, the citizen's lock and
# counts, the SMS limit's UPSERT, the place and the three inserts (one
# statement on PostgreSQL, four on SQLite), the savepoint's pair and the
# outbox's wake-up.
SITE_STATEMENTS_PER_POST = {"postgresql": 11, "sqlite": 13}


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
def test_a_booking_post_as_sites_run_it_is_eleven_statements_on_postgresql(
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
    most = SITE_STATEMENTS_PER_POST[connection.vendor]
    assert len(sqls) <= most, "\n".join(s[:120] for s in sqls)
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
SITE_ROUND_TRIPS_WITH_A_TOUCH = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("as_sites_run_it")
def test_a_booking_post_that_keeps_the_session_alive_is_twelve_round_trips(
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


@pytest.mark.parametrize("sensitive", [False, True])
@pytest.mark.parametrize("taken", [0, 9, 99_999])
def test_what_the_database_computes_for_a_booking_is_what_python_would_write(
    citizen: Citizen, session: Session, sensitive: bool, taken: int
) -> None:
    # On PostgreSQL the number, the estimated time, the event's number and the
    # SMS's text and segments come from the place's statement: they must be
    # exactly what the Python path writes (on SQLite they are that path).
    Clinic.objects.filter(pk=session.clinic_id).update(sensitive=sensitive)
    session = Session.objects.select_related("clinic").get(pk=session.pk)
    Session.objects.filter(pk=session.pk).update(last_number=taken, booked_jkn=3)
    with translation.override("id"):
        booking = actions.book(
            session.pk, actions.Patient(nik=NIK, bpjs_card=CARD), channel="web", citizen=citizen
        )
        stored = Booking.objects.select_related("session__clinic").get(pk=booking.pk)
        assert (stored.number, booking.number) == (taken + 1, taken + 1)
        assert stored.estimated_at == booking.estimated_at == session.estimate(4)
        sms = Message.objects.get(purpose="hospital-booking")
        assert sms.text == _confirmation(stored)
        assert (stored.sms_number in sms.text) and (session.clinic.code in sms.text) != sensitive
        assert (sms.encoding, sms.segments) == (
            count_segments(sms.text).encoding,
            count_segments(sms.text).count,
        )
        assert sms.related_id == str(booking.pk)
    audit = AuditEvent.objects.get(action="hospital.booking.create")
    assert audit.object_id == str(booking.pk) and audit.object_type == "hospital.booking"
    assert audit.details == {"session": session.pk, "number": taken + 1, "channel": "web"}


def test_segments_counted_by_the_database_follow_the_digits_of_the_number() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the count in SQL is PostgreSQL's")
    for encoding, units in (("gsm7", 150), ("gsm7", 155), ("ucs2", 60), ("ucs2", 68)):
        sql, params = count_sql(encoding, units, "length(%s)")
        for digits in ("7", "12345", "1234567890123"):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {sql}", _with_digits(params, digits))
                (count,) = cursor.fetchone()
            text = ("a" if encoding == "gsm7" else "ж") * units + digits
            assert count == count_segments(text).count, (encoding, units, digits)


def _with_digits(params: list[int], digits: str) -> list[Any]:
    """count_sql's parameters, with the digits' after each units (the SQL names them twice)."""
    units, single, units_again, part, part_again = params
    return [units, digits, single, units_again, digits, part, part_again]
