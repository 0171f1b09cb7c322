"""What waits for hospital staff on the "my work" page (``HospitalConfig.work_items``)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AnyUser
from kotacerdas.hospital import access
from kotacerdas.hospital.models import Booking
from kotacerdas.web.declarations import WorkItem


def counter_work(user: AnyUser) -> list[WorkItem]:
    """The registration counter: patients checked in today who still need registering."""
    if not access.works_at_counter(user):
        return []
    waiting = access.new_patients_for_user(user).count()
    return [
        WorkItem(_("Patients waiting at the counter today"), waiting, reverse("hospital:counter"))
    ]


def clinic_work(user: AnyUser) -> list[WorkItem]:
    """Clinic staff: patients checked in and waiting to be called today, per clinic."""
    if not access.unit_ids(user, access.CLINIC):
        return []
    url = reverse("hospital:clinic-today")
    per_clinic = (
        access.bookings_for_user(user)
        .filter(session__date=timezone.localdate(), status=Booking.Status.CHECKED_IN)
        .values_list("session__clinic__name")
        .annotate(n=Count("pk"))
        .order_by("session__clinic__name")
    )
    items = [
        WorkItem(_("Patients waiting: %(clinic)s") % {"clinic": clinic}, n, url)
        for clinic, n in per_clinic
    ]
    return items or [WorkItem(_("Patients waiting in the clinics"), 0, url)]


def ward_work(user: AnyUser) -> list[WorkItem]:
    """Ward nurses: patients waiting for a bed (the wards' admission queue)."""
    if not access.unit_ids(user, access.NURSE):
        return []
    waiting = access.wards_for_user(user).aggregate(n=Sum("waiting"))["n"] or 0
    return [WorkItem(_("Patients waiting for a bed"), waiting, reverse("hospital:nurse-station"))]
