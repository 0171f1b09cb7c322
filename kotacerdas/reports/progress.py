"""What a reporter may read about her report: what happens next, and by when.

The dates are the working-day deadlines already on the report and its case
(``deadlines.verify_due`` / ``deadlines.action_due``); nothing about the case's
content is said here, only its step.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.reports.models import Report, Stage
from kotacerdas.workdays.calendar import working_days_between


def _by(due: dt.date, today: dt.date) -> str:
    """``Monday 7 December 2026, in 3 working days`` (or ``today``)."""
    day = date_format(due, "l, j F Y")
    left = working_days_between(today, due)
    if left <= 0:
        return _("%(day)s (today)") % {"day": day}
    return ngettext(
        "%(day)s, in %(n)s working day",
        "%(day)s, in %(n)s working days",
        left,
    ) % {"day": day, "n": left}


def next_step(report: Report, *, today: dt.date | None = None) -> str:
    """One or two plain sentences for the status page (the case is select_related)."""
    today = today or timezone.localdate()
    case = report.case if report.status in (Report.Status.CASE, Report.Status.ATTACHED) else None
    if report.status == Report.Status.CLOSED:
        return _(
            "The protection unit closed this report without opening a case. "
            "If the harm goes on, send a new report."
        )
    if case is None:
        if report.verify_due < today:
            return _(
                "A protection officer should have checked this report by %(day)s; "
                "it is late and the unit sees it as overdue. If the child is in danger now, call."
            ) % {"day": date_format(report.verify_due, "l, j F Y")}
        return _("A protection officer reads the report and decides what to do by %(by)s.") % {
            "by": _by(report.verify_due, today)
        }
    if case.stage == Stage.SELESAI:
        return _("The case is closed. If the harm comes back, send a new report.")
    if case.first_action_at is None:
        if case.action_due < today:
            return _(
                "The protection unit opened a case; its first step was due by %(day)s and is "
                "late. If the child is in danger now, call."
            ) % {"day": date_format(case.action_due, "l, j F Y")}
        return _(
            "The protection unit opened a case. Officers take the first step (a visit, a call "
            "or help for the child) by %(by)s."
        ) % {"by": _by(case.action_due, today)}
    return _(
        "Officers are working on the case. This page shows the next stage as soon as it changes."
    )
