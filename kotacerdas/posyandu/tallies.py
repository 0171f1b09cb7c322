"""SKDN aggregates: the reports read these instead of counting raw rows per request.

Two kinds, because their figures change in two different ways:

- **Weighings** (D, N, T, 2T, O, B, BGM, stunted, wasted, by posyandu, month,
  age group and sex): :func:`refresh_weighings` counts again the few
  (posyandu, month) pairs a weighing touched, in the same transaction as the
  posyandu action that saved, corrected or removed it. Always current.
- **The register** (S, K: children under five of each RW at a month's end):
  births, deaths and moves are recorded by other services, so these are
  counted again by the periodic command ``posyandu_tallies`` (every
  ``REGISTER_REFRESH_MINUTES``) for the months around today
  (:func:`register_months`), and at once for a child's RW when the posyandu
  changes its KIA book. A month that was never counted is read from the
  register itself, as before.

``posyandu_tallies --full`` rebuilds everything (nightly, and after bulk loads
such as the demo). The test ``test_tallies`` checks that the figures read from
these tables equal the ones counted from raw rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from kotacerdas.people.models import Person
from kotacerdas.posyandu.children import five_years_before
from kotacerdas.posyandu.models import (
    TALLY_COUNTS,
    Measurement,
    RegisterMonth,
    RegisterTally,
    WeighingTally,
    add_months,
)

# FORMAT F2 age groups in completed months (skdn.AGE_GROUPS reads them from here).
AGE_GROUPS = [(0, 5), (6, 11), (12, 23), (24, 35), (36, 59)]
STUNTED = ("stunted", "severely_stunted")
WASTED = ("wasted", "severely_wasted")
REGISTER_REFRESH_MINUTES = 10
MONTHS_PER_QUERY = 6


def _age_group() -> Case:
    whens = [
        When(age_months__gte=low, age_months__lte=high, then=Value(i))
        for i, (low, high) in enumerate(AGE_GROUPS)
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


WEIGHING_COUNTS: dict[str, Any] = {
    "D": Count("id"),
    "N": Count("id", filter=Q(growth="N")),
    "T": Count("id", filter=Q(growth="T")),
    "two_t": Count("id", filter=Q(two_t=True)),
    "O": Count("id", filter=Q(growth="O")),
    "B": Count("id", filter=Q(growth="B")),
    "BGM": Count("id", filter=Q(bgm=True)),
    "stunted": Count("id", filter=Q(cat_pb_u__in=STUNTED)),
    "wasted": Count("id", filter=Q(cat_bb_pb__in=WASTED)),
}


def _weighing_rows(measurements: Any) -> Iterable[WeighingTally]:
    grouped = (
        measurements.annotate(group=_age_group())
        .values("posyandu_id", "month", "group", "child__sex")
        .annotate(**WEIGHING_COUNTS)
        .order_by()
    )
    for row in grouped.iterator(chunk_size=5000):
        yield WeighingTally(
            posyandu_id=row["posyandu_id"],
            month=row["month"],
            age_group=row["group"],
            sex=row["child__sex"] or "",
            **{name: row[name] for name in TALLY_COUNTS},
        )


def weighing_keys(child_id: int, since: dt.date | None = None) -> set[tuple[int, dt.date]]:
    """The (posyandu, month) pairs of a child's weighings (from ``since`` on)."""
    rows = Measurement.objects.filter(child_id=child_id)
    if since is not None:
        rows = rows.filter(month__gte=since)
    return set(rows.values_list("posyandu_id", "month"))


def refresh_weighings(keys: Iterable[tuple[int, dt.date]]) -> None:
    """Count again the weighings of these (posyandu, month) pairs: call it inside the
    action's transaction, after the change (a correction's old and new pair both)."""
    keys = set(keys)
    if not keys:
        return
    which = Q()
    for posyandu_id, month in keys:
        which |= Q(posyandu_id=posyandu_id, month=month)
    with transaction.atomic():
        WeighingTally.objects.filter(which).delete()
        WeighingTally.objects.bulk_create(_weighing_rows(Measurement.objects.filter(which)))


def rebuild_weighings() -> int:
    """Every weighing tally again, from the measurements (bulk loads, the nightly run)."""
    with transaction.atomic():
        WeighingTally.objects.all().delete()
        rows = list(_weighing_rows(Measurement.objects.all()))
        WeighingTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# The register ------------------------------------------------------------------


def register_months(today: dt.date | None = None) -> list[dt.date]:
    """The months kept counted: 25 back (the longest SKDN table from this month)
    and the rest of this year (the dashboard's year)."""
    this_month = (today or timezone.localdate()).replace(day=1)
    first = min(add_months(this_month, -25), this_month.replace(month=1))
    last = this_month.replace(month=12)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _register_aggregates(index: int, month: dt.date) -> dict[str, Any]:
    from kotacerdas.posyandu.skdn import month_end, months_before

    end = month_end(month)
    window = Q(birth_date__gt=five_years_before(end), birth_date__lte=end)
    found = {
        f"s{index}": Count("id", filter=window),
        f"x{index}": Count("id", filter=window & Q(posyandu_record__has_kia_book=False)),
    }
    for group, (low, high) in enumerate(AGE_GROUPS):
        born = Q(
            birth_date__gt=months_before(end, high + 1), birth_date__lte=months_before(end, low)
        )
        found[f"g{index}_{group}"] = Count("id", filter=window & born)
    return found


def _register_rows(months: list[dt.date], rw_ids: list[int] | None) -> list[RegisterTally]:
    from kotacerdas.posyandu.skdn import month_end

    ends = [month_end(m) for m in months]
    aggregates: dict[str, Any] = {}
    for i, month in enumerate(months):
        aggregates |= _register_aggregates(i, month)
    people = Person.objects.filter(
        status=Person.Status.ALIVE,
        rt__isnull=False,
        birth_date__gt=five_years_before(min(ends)),
        birth_date__lte=max(ends),
    )
    if rw_ids is not None:
        people = people.filter(rt__rw_id__in=rw_ids)
    rows = []
    for row in people.values("rt__rw_id", "sex").annotate(**aggregates).order_by():
        for i, month in enumerate(months):
            common = {"rw_id": row["rt__rw_id"], "month": month, "sex": row["sex"] or ""}
            if row[f"s{i}"]:
                rows.append(
                    RegisterTally(age_group=-1, S=row[f"s{i}"], without_kia=row[f"x{i}"], **common)
                )
            for group in range(len(AGE_GROUPS)):
                if row[f"g{i}_{group}"]:
                    rows.append(RegisterTally(age_group=group, S=row[f"g{i}_{group}"], **common))
    return rows


def refresh_register(months: list[dt.date] | None = None, rw_ids: list[int] | None = None) -> int:
    """Count the register again for these months (default :func:`register_months`),
    for these RWs (default all, and then the months count as covered)."""
    months = months or register_months()
    written = 0
    for start in range(0, len(months), MONTHS_PER_QUERY):
        batch = months[start : start + MONTHS_PER_QUERY]
        rows = _register_rows(batch, rw_ids)
        with transaction.atomic():
            stale = RegisterTally.objects.filter(month__in=batch)
            if rw_ids is not None:
                stale = stale.filter(rw_id__in=rw_ids)
            stale.delete()
            RegisterTally.objects.bulk_create(rows, batch_size=5000)
            if rw_ids is None:
                now = timezone.now()
                for month in batch:
                    RegisterMonth.objects.update_or_create(
                        month=month, defaults={"refreshed_at": now}
                    )
        written += len(rows)
    return written


def refresh_register_of(child: Person) -> None:
    """A child's KIA book changed: count its RW again for the months kept counted."""
    if child.rt_id is None:
        return
    rw_id = child.rt.rw_id
    covered = list(RegisterMonth.objects.order_by("month").values_list("month", flat=True))
    if covered:
        refresh_register(covered, [rw_id])


def covered_months(months: Iterable[dt.date]) -> set[dt.date]:
    """Of ``months``, those whose register tallies are complete."""
    return set(RegisterMonth.objects.filter(month__in=list(months)).values_list("month", flat=True))


def register_counts(
    months: list[dt.date], rw_ids: list[int] | None = None
) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """(S, K) per (RW, month) of covered months, from the tallies: one query."""
    rows = RegisterTally.objects.filter(month__in=months, age_group=-1)
    if rw_ids is not None:
        rows = rows.filter(rw_id__in=rw_ids)
    found = {}
    for row in rows.values("rw_id", "month").annotate(s=Sum("S"), x=Sum("without_kia")):
        found[(row["rw_id"], row["month"])] = (row["s"], row["s"] - row["x"])
    return found
