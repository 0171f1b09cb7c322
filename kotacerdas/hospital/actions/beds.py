"""Beds and wards: what the nurse station changes for the public bed page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.hospital.models import Bed, Ward


def set_bed_status(bed: Bed, status: str, *, request: HttpRequest | None = None) -> Bed:
    if status not in Bed.Status.values:
        raise ValidationError(_("Unknown bed status."))
    with transaction.atomic():
        now = timezone.now()
        previous = bed.status
        Bed.objects.filter(pk=bed.pk).update(status=status, updated_at=now)
        Ward.objects.filter(pk=bed.room.ward_id).update(updated_at=now)
        bed.status, bed.updated_at = status, now
        record("hospital.bed.status", obj=bed, request=request, before=previous, after=status)
    return bed


def set_ward_waiting(ward: Ward, waiting: int, *, request: HttpRequest | None = None) -> Ward:
    if waiting < 0 or waiting > 999:
        raise ValidationError(_("Enter a number of patients between 0 and 999."))
    with transaction.atomic():
        ward.waiting = waiting
        ward.updated_at = timezone.now()
        ward.save(update_fields=["waiting", "updated_at"])
        record("hospital.ward.waiting", obj=ward, request=request, waiting=waiting)
    return ward
