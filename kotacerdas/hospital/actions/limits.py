"""The per-citizen caps on online bookings: so many active, so many made in a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.locks import hold
from kotacerdas.hospital.actions._common import ACTIVE_IN
from kotacerdas.hospital.models import Booking, Session
from kotacerdas.people.models import Citizen


def check_citizen_limits(citizen: Citizen) -> None:
    """The per-citizen caps on online bookings. Call inside ``atomic()``.

    Serialised per citizen, so parallel requests (for different sessions, which
    do not wait on each other's session lock) cannot all pass the count.
    """
    hold(f"hospital-citizen-bookings:{citizen.pk}")
    today = timezone.localdate()
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    # Both counts in one statement (after the lock: a statement of its own
    # sees what the citizen's other requests committed while this one waited),
    # each its own subquery: one query with both conditions as FILTERs over
    # their OR took 4 times as long as the two.
    active, made = _count_citizens_bookings(citizen.pk, today, day_start)
    most = settings.HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN
    if active >= most:
        raise ValidationError(
            _(
                "You already have %(count)d active bookings, the most one account may hold. Cancel one you no longer need, or book at the registration counter."
            )
            % {"count": active},
            code="limit",
        )
    most = settings.HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY
    if made >= most:
        raise ValidationError(
            _(
                "You have made %(count)d bookings today, the most one account may make in a day. Please try again tomorrow or book at the registration counter."
            )
            % {"count": made},
            code="limit",
        )


def _count_citizens_bookings(
    citizen_id: int, today: dt.date, day_start: dt.datetime
) -> tuple[int, int]:
    """The citizen's active bookings from ``today`` on, and the bookings made since
    ``day_start``, in one statement.

    Written out, not built through the ORM: on every online booking, building
    and compiling the two querysets cost as much Python as the whole locked
    part of the booking (issue 12).
    """
    ops = connection.ops
    booking = ops.quote_name(Booking._meta.db_table)
    session = ops.quote_name(Session._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {booking} b"  # noqa: S608 (names from code, values bound)
            f" JOIN {session} s ON s.id = b.session_id"
            f" WHERE b.citizen_id = %s AND b.status IN ({ACTIVE_IN}) AND s.date >= %s),"
            f" (SELECT COUNT(*) FROM {booking} WHERE citizen_id = %s AND created_at >= %s)",
            [
                citizen_id,
                ops.adapt_datefield_value(today),
                citizen_id,
                ops.adapt_datetimefield_value(day_start),
            ],
        )
        row = cursor.fetchone()
    return int(row[0]), int(row[1])
