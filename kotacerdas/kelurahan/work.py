"""What waits for kelurahan staff on the "my work" page (``KelurahanConfig.work_items``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.kelurahan import access
from kotacerdas.kelurahan.models import LetterRequest
from kotacerdas.web.declarations import WorkItem

STEP_LABELS = {
    LetterRequest.Awaiting.OPERATOR: _("Letter requests to check"),
    LetterRequest.Awaiting.SEKRETARIS: _("Letters awaiting the Sekretaris Lurah"),
    LetterRequest.Awaiting.LURAH: _("Letters awaiting the Lurah's signature"),
}


def letter_work(user: AnyUser) -> list[WorkItem]:
    """Each step the member acts on, with how many wait and how many are late; for
    those who start requests, the ones returned to them."""
    if not access.reads_letters(user):
        return []
    url = reverse("kelurahan:queue")
    today = timezone.localdate()
    items = []
    for awaiting, role in access.STEP_ROLES.items():
        mine = LetterRequest.objects.filter(access._q(user, {role}), awaiting=awaiting)
        if access._has(user, {role}):
            counts = mine.aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
            status = "checking" if awaiting == "operator" else "signing"
            items.append(
                WorkItem(
                    STEP_LABELS[awaiting],
                    counts["n"],
                    f"{url}?{urlencode({'status': status})}",
                    counts["late"],
                )
            )
    if access.starts_requests(user):
        returned = LetterRequest.objects.filter(
            access._q(user, access.STARTERS), status="incomplete"
        )
        items.append(
            WorkItem(
                _("Letter requests returned or incomplete"),
                returned.count(),
                f"{url}?status=incomplete",
            )
        )
    return items
