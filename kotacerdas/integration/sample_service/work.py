from __future__ import annotations

from django.urls import reverse

from kotacerdas.accounts.access import AnyUser
from kotacerdas.integration.sample_service.access import is_sample_officer
from kotacerdas.web.declarations import WorkItem


def samples_waiting(user: AnyUser) -> list[WorkItem]:
    """Its officers have 3 samples waiting at the desk (a fixed count: nothing to store)."""
    if not is_sample_officer(user):
        return []
    return [WorkItem("Samples waiting", 3, reverse("sample:desk"), late=1)]
