"""What E-Posyandu closes when the register says a person has died or moved away."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.people.models import Person
from kotacerdas.posyandu.models import Alert, Pregnancy


def close_open_items(
    sender: Any, *, person: Person, kind: str, date: dt.date, actor: Any = None, **kwargs: Any
) -> None:
    """The child's alerts waiting for follow-up are closed and a pregnancy is ended,
    in the register's transaction: the nutrition officer's list no longer shows them."""
    note = (
        _("Closed: the register records a death.")
        if kind == "death"
        else _("Closed: the register records a move out of the city.")
    )
    Alert.objects.filter(measurement__child=person, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=actor, handled_note=note[:300]
    )
    Pregnancy.objects.filter(woman=person, ended_on__isnull=True).update(ended_on=date)
