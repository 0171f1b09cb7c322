"""De-identified figures about cases: counts, times, and the SIMFONI PPA rows.

Pure queries over a queryset of cases the caller has already scoped to the
user's units (``access.cases_for_user``). Nothing here returns a name, a
story, a phone number or a free-text place: only codes, dates, kelurahan and
counts. Counts from 1 to 4 are small enough to point at a child in a small
kelurahan, so every published table goes through ``suppress``. The city
dashboard's figures at the end (``FIGURES``) count the whole city.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kotacerdas.reports.models import AgeGroup, Case, CaseEvent, Category, Report, Stage
from kotacerdas.web.figures import Figure, figures, year_bounds

SMALL = 5  # counts 1 … SMALL-1 are shown as "<5"
SMALL_TEXT = f"<{SMALL}"
# A cell hidden so that a suppressed neighbour cannot be worked out from the total.
HIDDEN_TEXT = "×"
DAY_SECONDS = 86_400


@dataclass(frozen=True)
class Period:
    """Whole months, ``first`` to ``last`` inclusive (each the first day of its month)."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return _local_midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        return _local_midnight(_next_month(self.last))

    def months(self) -> list[dt.date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = _next_month(month)
        return found


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def this_year() -> Period:
    today = timezone.localdate()
    return Period(dt.date(today.year, 1, 1), today.replace(day=1))


@dataclass
class Row:
    key: str
    label: str
    count: int
    shown: str = ""


@dataclass
class Table:
    title: str
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


@dataclass(frozen=True)
class Duration:
    cases: int
    median_days: float | None
    mean_days: float | None


@dataclass
class Statistics:
    period: Period
    cases: int
    tables: list[Table]
    to_verify: Duration
    to_close: Duration
    overdue_first_action: int
    open_cases: int


def suppress(count: int) -> str:
    return SMALL_TEXT if 0 < count < SMALL else str(count)


def suppress_table(table: Table) -> Table:
    """Fill ``shown`` for every row: small counts as "<5"; with exactly one small
    cell the next smallest is hidden too, or the total would give the small one away."""
    for row in table.rows:
        row.shown = suppress(row.count)
    small = [row for row in table.rows if row.shown == SMALL_TEXT]
    if len(small) == 1:
        others = sorted((r for r in table.rows if r.count >= SMALL), key=lambda r: r.count)
        if others:
            others[0].shown = HIDDEN_TEXT
    return table


def cases_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    """The cases opened within the period."""
    return cases.filter(opened_at__gte=period.start, opened_at__lt=period.end)


def first_report_age_group() -> Subquery:
    return Subquery(
        Report.objects.filter(case=OuterRef("pk"))
        .order_by("created_at", "id")
        .values("age_group")[:1]
    )


def by_choice(cases: QuerySet[Case], field: str, choices: Any, title: str) -> Table:
    counts = dict(cases.order_by().values_list(field).annotate(n=Count("id")))
    return Table(
        title, [Row(value, str(label), counts.get(value, 0)) for value, label in choices.choices]
    )


def by_age_group(cases: QuerySet[Case]) -> Table:
    rows = (
        cases.order_by()
        .annotate(age=first_report_age_group())
        .values_list("age")
        .annotate(n=Count("id"))
    )
    counts: dict[str, int] = defaultdict(int)
    for age, n in rows:
        counts[age or AgeGroup.UNKNOWN] += n
    return Table(
        _("By age group (first report)"),
        [Row(value, str(label), counts[value]) for value, label in AgeGroup.choices],
    )


def by_kelurahan(cases: QuerySet[Case]) -> Table:
    rows = (
        cases.order_by()
        .values_list("kelurahan_id", "kelurahan__name", "kelurahan__parent__name")
        .annotate(n=Count("id"))
        .order_by("kelurahan_id")
    )
    found = [
        Row(code or "", f"{name} ({kecamatan})" if code else _("Not known"), n)
        for code, name, kecamatan, n in rows
    ]
    return Table(_("By kelurahan"), sorted(found, key=lambda row: (not row.key, row.label)))


def by_month(cases: QuerySet[Case], period: Period) -> Table:
    rows = (
        cases.order_by()
        .annotate(month=TruncMonth("opened_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    )
    counts = {_month_of(month): n for month, n in rows}
    return Table(
        _("By month opened"),
        [
            Row(month.isoformat()[:7], month.strftime("%m-%Y"), counts.get(month, 0))
            for month in period.months()
        ],
    )


def _month_of(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def days_between(cases: QuerySet[Case], start: str, end: str) -> Duration:
    """Calendar days (not working days) from ``start`` to ``end``, over the cases that have both."""
    spans = (
        cases.order_by()
        .filter(**{f"{end}__isnull": False})
        .annotate(span=ExpressionWrapper(F(end) - F(start), output_field=DurationField()))
        .values_list("span", flat=True)
    )
    days = [span.total_seconds() / DAY_SECONDS for span in spans]
    if not days:
        return Duration(0, None, None)
    return Duration(len(days), statistics.median(days), statistics.fmean(days))


def overdue_first_action(cases: QuerySet[Case], today: dt.date) -> int:
    """Open cases whose first action is past its due date (as on the case list)."""
    return (
        cases.filter(first_action_at__isnull=True, action_due__lt=today)
        .exclude(stage=Stage.SELESAI)
        .count()
    )


@dataclass(frozen=True)
class Waiting:
    reports: int
    late: int


def waiting_reports(reports: QuerySet[Report], today: dt.date) -> Waiting:
    """Reports not yet triaged, and those past their verification date."""
    counts = reports.filter(status=Report.Status.FOR_TRIAGE).aggregate(
        total=Count("id"), late=Count("id", filter=Q(verify_due__lt=today))
    )
    return Waiting(counts["total"], counts["late"])


def compute(cases: QuerySet[Case], period: Period) -> Statistics:
    """Every figure of the statistics page, unsuppressed (see ``suppress_table``)."""
    scoped = cases_in(cases, period)
    tables = [
        by_choice(scoped, "category", Category, _("By category")),
        by_age_group(scoped),
        by_kelurahan(scoped),
        by_month(scoped, period),
        by_choice(scoped, "stage", Stage, _("By stage now")),
    ]
    open_cases = cases.exclude(stage=Stage.SELESAI)
    return Statistics(
        period=period,
        cases=tables[0].total,
        tables=tables,
        to_verify=days_between(scoped, "reported_at", "verified_at"),
        to_close=days_between(scoped, "reported_at", "closed_at"),
        overdue_first_action=overdue_first_action(open_cases, timezone.localdate()),
        open_cases=open_cases.count(),
    )


def summary(figures: Statistics, waiting: Waiting | None = None) -> list[tuple[str, str]]:
    """The headline figures as (label, shown value), suppressed like the tables."""
    lines = [
        (_("Cases opened"), suppress(figures.cases)),
        (_("Open cases now (any month)"), suppress(figures.open_cases)),
        (_("Open cases with the first action overdue"), suppress(figures.overdue_first_action)),
    ]
    for label, duration in (
        (_("Calendar days from first report to verification"), figures.to_verify),
        (_("Calendar days from first report to closure"), figures.to_close),
    ):
        median, mean = _("median"), _("mean")  # plain calls, so makemessages finds them
        lines.append((f"{label}: {median}", _days(duration, duration.median_days)))
        lines.append((f"{label}: {mean}", _days(duration, duration.mean_days)))
    if waiting is not None:
        lines.append((_("Reports waiting for triage"), suppress(waiting.reports)))
        lines.append((_("Reports past their verification date"), suppress(waiting.late)))
    return lines


def _days(duration: Duration, value: float | None) -> str:
    # A median over one or two cases is those cases' own dates.
    if value is None:
        return "—"
    if duration.cases < SMALL:
        return _("fewer than %(small)d cases") % {"small": SMALL}
    return f"{value:.1f}"


# SIMFONI PPA ------------------------------------------------------------------

# The five blocks SIMFONI PPA asks for; the fields inside each block are our
# reading of its forms [verify with UPTD PPA Kota Cirebon / KemenPPPA].
SIMFONI_COLUMNS: list[tuple[str, list[str]]] = [
    ("Kasus", ["No. kasus", "Tanggal lapor", "Tanggal verifikasi", "Tanggal selesai"]),
    ("Korban", ["Kelompok umur", "Jenis kelamin"]),
    ("Pelaku", ["Jenis kelamin pelaku", "Umur pelaku", "Hubungan dengan korban"]),
    ("Lokasi / tempat kejadian", ["Kelurahan", "Kecamatan", "Tempat kejadian"]),
    ("Jenis kekerasan", ["Jenis kekerasan"]),
    ("Layanan", ["Tahap sekarang", "Tahap yang dijalani", "Rujukan"]),
]


def simfoni_rows(cases: QuerySet[Case], period: Period) -> list[list[Any]]:
    """One row per case in SIMFONI's block order, labels in Indonesian.

    Not suppressed (the unit re-enters its own cases), and with nothing that
    names anyone: no names, stories, phones or free-text places. Columns the
    case file cannot fill (sex, the perpetrator) are left blank for the officer.
    """
    in_period = cases_in(cases, period)
    scoped = list(
        in_period.select_related("kelurahan__parent")
        .annotate(age=first_report_age_group())
        .order_by("opened_at", "id")
    )
    services: dict[int, list[str]] = defaultdict(list)
    referrals: dict[int, list[str]] = defaultdict(list)
    events = (
        CaseEvent.objects.filter(
            case__in=in_period.order_by().values("pk"),
            kind__in=[CaseEvent.Kind.STAGE, CaseEvent.Kind.REFERRAL],
        )
        .order_by("at", "id")
        .values_list("case_id", "kind", "to_stage", "referred_to")
    )
    for case_id, kind, to_stage, referred_to in events:
        if kind == CaseEvent.Kind.STAGE and to_stage and to_stage not in services[case_id]:
            services[case_id].append(to_stage)
        elif kind == CaseEvent.Kind.REFERRAL and referred_to not in referrals[case_id]:
            referrals[case_id].append(referred_to)
    rows = []
    with override("id"):
        for case in scoped:
            kelurahan = case.kelurahan
            stages = [Stage.PENGADUAN, *(s for s in services[case.pk] if s != Stage.PENGADUAN)]
            rows.append(
                [
                    case.number,
                    _local_date(case.reported_at),
                    _local_date(case.verified_at),
                    _local_date(case.closed_at),
                    str(AgeGroup(case.age or AgeGroup.UNKNOWN).label),
                    "",
                    "",
                    "",
                    "",
                    kelurahan.name if kelurahan else "",
                    kelurahan.parent.name if kelurahan and kelurahan.parent else "",
                    "",
                    str(Category(case.category).label),
                    str(Stage(case.stage).label),
                    "; ".join(str(Stage(s).label) for s in stages),
                    "; ".join(str(CaseEvent.ReferredTo(r).label) for r in referrals[case.pk]),
                ]
            )
    return rows


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


# The city dashboard's figures (kotacerdas.web.figures): counts only, no case
# detail. Small counts can still point at a child: a page that shows these to
# anyone but the protection unit passes them through ``suppress`` first.


def reports_received(year: int) -> list[Figure]:
    """Reports received per kelurahan (where it happened) and month."""
    first, after = year_bounds(year)
    rows = (
        Report.objects.filter(
            created_at__gte=_local_midnight(first), created_at__lt=_local_midnight(after)
        )
        .annotate(month=TruncMonth("created_at"))
        .values("kelurahan_id", "month")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan="kelurahan_id")


def cases_opened(year: int) -> list[Figure]:
    """Cases opened per kelurahan and month, by category (``group``)."""
    first, after = year_bounds(year)
    rows = (
        Case.objects.filter(
            opened_at__gte=_local_midnight(first), opened_at__lt=_local_midnight(after)
        )
        .annotate(month=TruncMonth("opened_at"))
        .values("kelurahan_id", "month", "category")
        .annotate(n=Count("id"))
    )
    return figures(rows, kelurahan="kelurahan_id", group="category")


FIGURES = (reports_received, cases_opened)
