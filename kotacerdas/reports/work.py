"""What waits for a member of Wadul Bae on the "my work" page (``ReportsConfig.work_items``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.reports import access
from kotacerdas.reports.models import Report, Stage
from kotacerdas.web.declarations import WorkItem


def protection_work(user: AnyUser) -> list[WorkItem]:
    """Officers: reports to triage; officers and the unit's readers: cases waiting for a first step."""
    if not access.is_protection_staff(user):
        return []
    today = timezone.localdate()
    items = []
    if access.officer_unit_ids(user):
        triage = (
            access.reports_for_user(user)
            .filter(status=Report.Status.FOR_TRIAGE)
            .aggregate(n=Count("pk"), late=Count("pk", filter=Q(verify_due__lt=today)))
        )
        items.append(
            WorkItem(_("Reports to triage"), triage["n"], reverse("reports:triage"), triage["late"])
        )
    cases = (
        access.cases_for_user(user)
        .filter(first_action_at__isnull=True)
        .exclude(stage=Stage.SELESAI)
        .aggregate(n=Count("pk"), late=Count("pk", filter=Q(action_due__lt=today)))
    )
    url = reverse("reports:cases")
    items.append(WorkItem(_("Cases waiting for a first step"), cases["n"], url, cases["late"]))
    return items


def school_work(user: AnyUser) -> list[WorkItem]:
    """A school's coordinator: the pupils' reports the protection unit has not triaged yet."""
    if not access.coordinates_a_school(user):
        return []
    waiting = access.pupil_reports_for_user(user).filter(status=Report.Status.FOR_TRIAGE).count()
    return [WorkItem(_("Pupils' reports being checked"), waiting, reverse("reports:school"))]
