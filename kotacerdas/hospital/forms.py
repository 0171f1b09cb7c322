from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.inputs import strip_separators
from kotacerdas.hospital.actions import Patient, booking_window
from kotacerdas.hospital.models import Bed, Booking, Clinic, Doctor, Session
from kotacerdas.messaging.phones import normalise_mobile
from kotacerdas.people.fields import NIKField, PhoneField
from kotacerdas.people.identity import check_nik
from kotacerdas.people.models import Person

OTHER = "other"

# BPJS ``jeniskunjungan`` in the words a patient or clerk knows, first visit first.
VISIT_TYPES = [
    (
        Booking.VisitType.REFERRAL,
        _("First visit, with a referral from a puskesmas or clinic (FKTP)"),
    ),
    (Booking.VisitType.FOLLOW_UP, _("Follow-up visit (kontrol), with a control letter")),
    (Booking.VisitType.INTERNAL, _("Sent on by another clinic of this hospital")),
    (Booking.VisitType.OTHER_HOSPITAL, _("Referred from another hospital")),
]


def person_label(person: Person, me: int | None) -> str:
    """A relative by name and relationship, never a NIK mask; a newborn without a
    name by the date of birth ("Your child (born 2 Dec 2026)")."""
    relation = _("you") if person.pk == me else _("your child")
    if person.name.strip():
        return f"{person.name} ({relation})"
    born = date_format(person.birth_date, "j M Y")
    return str(_("Your child (born %(date)s)")) % {"date": born}


def _counter_label(s: Session) -> str:
    return f"{s.clinic.code} · {s.doctor} · {s.hours} ({s.remaining})"


def _reschedule_label(s: Session) -> str:
    return f"{s.date:%d-%m-%Y} · {s.doctor} · {s.hours}"


class FindSessionsForm(forms.Form):
    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), label=_("Clinic"))
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, clinics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics  # type: ignore[attr-defined]

    def clean_date(self) -> dt.date | None:
        date: dt.date | None = self.cleaned_data["date"]
        first, last = booking_window()
        if date is not None and not first <= date <= last:
            raise ValidationError(
                _(
                    "Bookings are taken for %(first)s to %(last)s only; choose a date in that window."
                )
                % {"first": date_format(first, "j M Y"), "last": date_format(last, "j M Y")}
            )
        return date


class PatientForm(forms.Form):
    """Who the visit is for; shared by online booking and the counter."""

    nik = NIKField(label=_("NIK (16 digits)"), required=False)
    bpjs_card = forms.CharField(
        label=_("BPJS card number"),
        max_length=20,
        required=False,
        help_text=_("13 digits. Leave empty if you pay yourself or use another insurer."),
    )
    medical_record = forms.CharField(
        label=_("Medical record number"),
        max_length=20,
        required=False,
        help_text=_("If you have been treated at RSD Gunung Jati before."),
    )
    visit_type = forms.TypedChoiceField(
        label=_("Visit type"),
        choices=VISIT_TYPES,
        coerce=int,
        initial=Booking.VisitType.REFERRAL,
        widget=forms.RadioSelect,
    )
    referral_number = forms.CharField(
        label=_("Referral or control letter number"),
        max_length=30,
        required=False,
        help_text=_("Required for JKN patients."),
    )
    phone = PhoneField(
        label=_("Mobile number for SMS"),
        required=False,
        help_text=_("The confirmation and reminders go here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bpjs_card"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel", placeholder="08…")

    def clean_nik(self) -> str:
        nik = self.cleaned_data["nik"]
        if nik:
            result = check_nik(nik)
            if not result.valid:
                raise ValidationError(result.errors)
        return nik

    def clean_bpjs_card(self) -> str:
        card = strip_separators(self.cleaned_data["bpjs_card"])
        if card and not re.fullmatch(r"\d{13}", card):
            raise ValidationError(
                _("A BPJS card number has exactly 13 digits (you entered %(count)d characters).")
                % {"count": len(card)}
            )
        return card

    def clean_medical_record(self) -> str:
        return self.cleaned_data["medical_record"].strip().upper()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return normalise_mobile(phone) if phone else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("bpjs_card") and not data.get("referral_number", "").strip():
            self.add_error(
                "referral_number",
                _("JKN patients need the number of their referral or control letter."),
            )
        return data

    def patient(self, person: Person | None = None) -> Patient:
        data = self.cleaned_data
        return Patient(
            nik=person.nik if person is not None and person.nik else data["nik"],
            bpjs_card=data["bpjs_card"],
            medical_record=data["medical_record"],
            visit_type=data["visit_type"],
            referral_number=data["referral_number"].strip(),
            phone=data.get("phone", ""),
            person=person,
        )


class BookingForm(PatientForm):
    """A signed-in citizen books for themself, one of their children, or someone else by NIK."""

    who = forms.ChoiceField(label=_("Who is the visit for?"), widget=forms.RadioSelect)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    field_order = ["who", "nik", "bpjs_card", "medical_record", "visit_type", "referral_number"]

    def __init__(
        self, *args: Any, people: list[Person], me: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # SMS for an online booking go only to the citizen's own verified number
        # (the one they signed in with), never to a number typed into the form.
        del self.fields["phone"]
        # The NIK belongs to the "someone else" choice only (the template puts it
        # under that choice): the register already knows the family's.
        self.fields["nik"].label = _("Their NIK (16 digits)")
        self.people = {str(p.pk): p for p in people}
        self.fields["who"].choices = [  # type: ignore[attr-defined]
            *((str(p.pk), person_label(p, me)) for p in people),
            (OTHER, _("Someone else: I enter their NIK")),
        ]
        self.fields["who"].initial = str(people[0].pk) if people else OTHER
        self.fields["idempotency_key"].initial = secrets.token_urlsafe(24)

    def clean_nik(self) -> str:
        # A NIK typed before choosing a family member is ignored, not checked.
        if self.data.get(self.add_prefix("who")) != OTHER:
            return ""
        return super().clean_nik()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = self.people.get(data.get("who") or OTHER)
        if person is None and not data.get("nik") and "nik" not in self.errors:
            self.add_error("nik", _("Enter the patient's NIK."))
        if person is not None and not person.nik and "who" not in self.errors:
            self.add_error(
                "who",
                _(
                    "%(name)s has no NIK in the register yet: choose “Someone else” and "
                    "enter the NIK printed on the family card (KK)."
                )
                % {"name": person_label(person, None)},
            )
        return data

    @property
    def person(self) -> Person | None:
        return self.people.get(self.cleaned_data.get("who", OTHER))


class CounterBookingForm(PatientForm):
    """The clerk books a walk-in patient standing at the counter: the labels and
    help texts speak to the clerk, about the patient."""

    session = forms.ModelChoiceField(queryset=Session.objects.none(), label=_("Session"))
    name = forms.CharField(
        label=_("Patient's name"),
        max_length=100,
        required=False,
        help_text=_("As the patient gives it; printed on the ticket only, not stored."),
    )

    field_order = ["session", "name", "nik"]

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nik"].label = _("Patient's NIK (16 digits)")
        self.fields["bpjs_card"].help_text = _(
            "13 digits, from the patient's JKN card. Leave empty for a patient who pays "
            "or uses another insurer."
        )
        self.fields["medical_record"].help_text = _(
            "Ask whether the patient was treated here before; leave empty for a new patient."
        )
        self.fields["referral_number"].help_text = _(
            "Required for JKN patients: from their referral or control letter."
        )
        self.fields["phone"].label = _("Patient's mobile number for SMS")
        self.fields["phone"].help_text = _("Optional: the patient gets the reminders here.")
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = _counter_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("nik") and "nik" not in self.errors:
            self.add_error("nik", _("Enter the patient's NIK."))
        return data


class RescheduleForm(forms.Form):
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(), label=_("New session"), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = _reschedule_label  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Booking code"), max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autofocus=True, autocomplete="off", autocapitalize="characters", spellcheck="false"
        )


class AdmitForm(forms.Form):
    medical_record = forms.CharField(
        label=_("Medical record number"), max_length=20, required=False
    )


class ClosureForm(forms.Form):
    """A day the hospital closes its clinics beyond the city's days off."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=100)

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date < dt.date.today():
            raise ValidationError(_("The date is in the past."))
        return date


class LeaveForm(forms.Form):
    doctor = forms.ModelChoiceField(queryset=Doctor.objects.none(), label=_("Doctor"))
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, doctors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctors  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day is before the first day."))
        if first and first < dt.date.today():
            self.add_error("first_day", _("The date is in the past."))
        return data


class BedStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Bed.Status.choices)


class WaitingForm(forms.Form):
    waiting = forms.IntegerField(label=_("Waiting for admission"), min_value=0, max_value=999)
