"""Changing a booking after it is made: cancelling it, moving it to another session."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.hospital.actions._common import sms_number_or_none
from kotacerdas.hospital.actions.booking import (
    Patient,
    _allocate,
    _check_bookable,
    _check_no_active_booking,
    _confirm_by_sms,
)
from kotacerdas.hospital.models import Booking, Session, TaskTime
from kotacerdas.people.models import Citizen

Task = TaskTime.Task


def cancel(
    booking: Booking,
    *,
    by_citizen: Citizen | None = None,
    by_user: User | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.can_change:
            raise ValidationError(
                _("This booking can no longer be cancelled (already checked in or finished).")
            )
        _release(session, booking, Booking.Status.CANCELLED)
        record("hospital.booking.cancel", actor=by_user, obj=booking, request=request)
    return booking


def _release(session: Session, booking: Booking, status: str) -> None:
    """Give the place back to the quota (never the number). Call with both rows locked."""
    was_active = booking.status in Booking.ACTIVE
    booking.status = status
    booking.save(update_fields=["status", "updated_at"])
    if was_active:
        field = "booked_jkn" if booking.payer == Booking.Payer.JKN else "booked_non_jkn"
        Session.objects.filter(pk=session.pk).update(**{field: F(field) - 1})
    TaskTime.objects.get_or_create(
        booking=booking, task=Task.CANCELLED, defaults={"at": timezone.now()}
    )


def reschedule(
    booking: Booking,
    new_session_id: int,
    *,
    citizen: Citizen | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    """Cancel ``booking`` and book the same patient in another session, all or nothing."""
    if new_session_id == booking.session_id:
        raise ValidationError(_("Choose a different session."))
    # Counted before the locks, as in book(); stored with the new booking.
    confirm_to = sms_number_or_none(
        booking.citizen.phone if booking.citizen is not None else booking.phone
    )
    with transaction.atomic():
        # Lock both sessions in id order, so two reschedules never wait on each other.
        ids = sorted([booking.session_id, new_session_id])
        locked = {
            s.pk: s
            for s in Session.objects.select_for_update(of=("self",))
            .select_related("clinic")
            .filter(pk__in=ids)
            .order_by("pk")
        }
        if new_session_id not in locked:
            raise ValidationError(_("That session does not exist."))
        old = Booking.objects.select_for_update().get(pk=booking.pk)
        if not old.can_change:
            raise ValidationError(
                _("This booking can no longer be changed (already checked in or finished).")
            )
        new_session = locked[new_session_id]
        # Every check before the old place is released: nothing is changed,
        # even inside a transaction that is rolled back, to find out an answer.
        _check_bookable(new_session, counter=False)
        _check_no_active_booking(new_session.pk, old.nik, citizen=old.citizen, counter=False)
        _release(locked[old.session_id], old, Booking.Status.CANCELLED)
        patient = Patient(
            nik=old.nik,
            bpjs_card=old.bpjs_card,
            medical_record=old.medical_record,
            visit_type=old.visit_type,
            referral_number=old.referral_number,
            phone=old.citizen.phone if old.citizen is not None else old.phone,
            person=old.person,
        )
        new = _allocate(
            new_session,
            patient,
            channel=old.channel,
            citizen=old.citizen,
            clerk=None,
            idempotency_key=None,
            rescheduled_from=old,
        )
        record("hospital.booking.reschedule", obj=new, request=request, previous=old.pk)
        if confirm_to is not None:
            _confirm_by_sms(new, confirm_to)
    return new
