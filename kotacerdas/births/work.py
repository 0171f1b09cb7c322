"""What waits for birth staff on the "my work" page (``BirthsConfig.work_items``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.births import access
from kotacerdas.births.models import Declaration
from kotacerdas.web.declarations import WorkItem


def registry_work(user: AnyUser) -> list[WorkItem]:
    """Disdukcapil: each registry queue (to validate, to register, to print …) with its count."""
    if not access.reads_registry(user):
        return []
    url = reverse("births:queues")
    return [
        WorkItem(title, declarations.count(), f"{url}?{urlencode({'antrean': slug})}")
        for slug, title, declarations in access.registry_queues_for_user(user)
    ]


def declarer_work(user: AnyUser) -> list[WorkItem]:
    """Midwives, clerks, kelurahan and RW: their drafts not sent yet, and reports sent back."""
    if not access.declares_births(user):
        return []
    counts = access.status_counts_for_user(user)
    url = reverse("births:list")
    return [
        WorkItem(label, counts.get(status, 0), f"{url}?{urlencode({'status': status})}")
        for status, label in (
            (Declaration.Status.DRAFT, _("Drafts not sent yet")),
            (Declaration.Status.NEEDS_CHANGES, _("Sent back for changes")),
        )
    ]
