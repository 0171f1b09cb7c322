"""What waits for posyandu staff on the "my work" page (``PosyanduConfig.work_items``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.posyandu import access
from kotacerdas.web.declarations import WorkItem


def posyandu_work(user: AnyUser) -> list[WorkItem]:
    """Children of the user's posyandu not weighed yet this month, and alerts not followed up."""
    if not access.is_posyandu_staff(user):
        return []
    month = timezone.localdate().replace(day=1)
    weighed = access.measurements_for_user(user).filter(month=month).values("child_id")
    due = access.children_for_user(user).exclude(pk__in=weighed).count()
    alerts = access.alerts_for_user(user).filter(handled_at=None).count()
    return [
        WorkItem(_("Children not weighed yet this month"), due, reverse("posyandu:home")),
        WorkItem(_("Alerts to follow up"), alerts, reverse("posyandu:alerts")),
    ]
