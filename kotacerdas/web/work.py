"""The floor's own work items (the register's imports, failed SMS) and the
"my work" page's data, found from every service's ``work_items``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.messaging import access as messaging_access
from kotacerdas.messaging.models import Message
from kotacerdas.people import access as people_access
from kotacerdas.people.models import ImportJob, Proposal
from kotacerdas.web.declarations import WorkItem

# How long a returned proposal stays on the RW operator's "my work" page.
RETURNED_SHOWN_FOR = dt.timedelta(days=14)


def register_work(user: AnyUser) -> list[WorkItem]:
    """The member's own resident imports still running or failed; nothing when there are none."""
    if not people_access.can_edit_people(user):
        return []
    jobs = people_access.imports_for_user(user).aggregate(
        running=Count(
            "pk", filter=Q(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
        ),
        failed=Count("pk", filter=Q(status=ImportJob.Status.FAILED)),
    )
    url = reverse("people:import-list")
    proposals = people_access.proposals_for_user(user)
    if people_access.can_decide_proposals(user):
        waiting = WorkItem(
            _("Register changes proposed by the RWs"),
            proposals.filter(status=Proposal.Status.PENDING).count(),
            reverse("people:proposal-list"),
        )
    else:
        waiting = WorkItem(
            _("Your proposals returned by the kelurahan"),
            proposals.filter(
                status=Proposal.Status.RETURNED,
                proposed_by_id=user.pk,
                decided_at__gte=timezone.now() - RETURNED_SHOWN_FOR,
            ).count(),
            f"{reverse('people:proposal-list')}?status={Proposal.Status.RETURNED}",
        )
    items = [
        waiting,
        WorkItem(_("Resident imports in progress"), jobs["running"], url),
        WorkItem(_("Resident imports that failed"), jobs["failed"], url),
    ]
    return [item for item in items if item.count]


def sms_work(user: AnyUser) -> list[WorkItem]:
    """SMS operators and the log's readers: messages that could not be delivered."""
    if not messaging_access.can_read_log(user):
        return []
    failed = (
        messaging_access.messages_for_user(user)
        .filter(direction=Message.Direction.OUT, status=Message.Status.FAILED)
        .count()
    )
    return [WorkItem(_("SMS that could not be sent"), failed, reverse("messaging:failed"))]
