"""What letters do when the register says a resident has left (``people.signals.person_left``).

A dead or moved-out resident's open requests are cancelled with the reason, in
the transaction that records the event, so the queues and the citizen's page
show it at once and it rolls back with the event. Issued letters stay as they
are: they were true when signed, and their own validity runs out.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.kelurahan.models import LetterRequest, RequestStep
from kotacerdas.people.models import Person

OPEN = [
    LetterRequest.Status.INCOMPLETE,
    LetterRequest.Status.CHECKING,
    LetterRequest.Status.SIGNING,
]


def close_open_requests(
    sender: Any, *, person: Person, kind: str, actor: Any = None, **kwargs: Any
) -> None:
    reason = (
        _("Closed: the register records a death.")
        if kind == "death"
        else _("Closed: the register records a move out of the city.")
    )
    requests = list(
        LetterRequest.objects.select_for_update().filter(person=person, status__in=OPEN)
    )
    for request in requests:
        request.status, request.awaiting, request.reason = (
            LetterRequest.Status.CANCELLED,
            "",
            reason,
        )
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "awaiting", "reason", "finished_at"])
        RequestStep.objects.create(
            request=request,
            action=RequestStep.Action.CANCELLED,
            actor=actor,
            reason=reason,
            actor_label=_("The register"),
        )
        record("kelurahan.request_cancelled", actor=actor, obj=request, reason=kind)
