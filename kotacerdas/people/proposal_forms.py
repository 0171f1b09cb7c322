"""The forms an RW operator fills in to propose a register change.

They check what can be checked at the RW (a real date, a NIK's shape, a field
that changed); the register actions check the rest when the kelurahan approves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.people.actions import CORRECTABLE_FIELDS
from kotacerdas.people.fields import KKField, NIKField
from kotacerdas.people.identity import check_kk, check_nik
from kotacerdas.people.models import Person, Relationship, Sex

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON = forms.CharField(
    label=gettext_lazy("Reason or note for the kelurahan"),
    max_length=300,
    required=False,
    widget=forms.Textarea(attrs={"rows": 2}),
)


def _not_future(value: dt.date) -> dt.date:
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return value


def _nik(value: str, *, required: bool) -> str:
    number = "".join(value.split())
    if not number:
        if required:
            raise ValidationError(_("The NIK is missing."))
        return ""
    check = check_nik(number)
    if not check.valid:
        raise ValidationError(check.errors)
    return number


class LeaveProposalForm(forms.Form):
    """A death or a move out of the city, proposed from the person's page."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Event"),
        choices=[("death", gettext_lazy("Death")), ("move_out", gettext_lazy("Moved out"))],
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    reason = REASON

    def clean_date(self) -> dt.date:
        return _not_future(self.cleaned_data["date"])


class BirthProposalForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Child's full name"), max_length=150)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), widget=DATE_INPUT)
    birth_place = forms.CharField(label=gettext_lazy("Place of birth"), max_length=100)
    nik = NIKField(label=gettext_lazy("NIK (if already issued)"), required=False)
    reason = REASON

    def clean_birth_date(self) -> dt.date:
        return _not_future(self.cleaned_data["birth_date"])

    def clean_nik(self) -> str:
        return _nik(self.cleaned_data["nik"], required=False)


class MoveInProposalForm(forms.Form):
    """Someone from outside the city joins this family card."""

    nik = NIKField(label=gettext_lazy("NIK"))
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), widget=DATE_INPUT)
    birth_place = forms.CharField(label=gettext_lazy("Place of birth"), max_length=100)
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship in the family card"),
        choices=[(v, label) for v, label in Relationship.choices if v != Relationship.HEAD],
    )
    date = forms.DateField(label=gettext_lazy("Date of moving in"), widget=DATE_INPUT)
    reason = REASON

    def clean_nik(self) -> str:
        return _nik(self.cleaned_data["nik"], required=True)

    def clean_birth_date(self) -> dt.date:
        return _not_future(self.cleaned_data["birth_date"])

    def clean_date(self) -> dt.date:
        return _not_future(self.cleaned_data["date"])


class SplitProposalForm(forms.Form):
    """Some members leave for a new family card (pecah KK) at the same address."""

    kk_number = KKField(label=gettext_lazy("New family card number (No. KK)"))
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Members who move to the new card"),
        widget=forms.CheckboxSelectMultiple,
    )
    head = forms.ChoiceField(label=gettext_lazy("Head of the new family"))
    reason = REASON

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in members}
        choices = [(str(p.pk), p.name) for p in members]
        self.fields["members"].choices = choices  # type: ignore[attr-defined]
        self.fields["head"].choices = choices  # type: ignore[attr-defined]

    def clean_kk_number(self) -> str:
        number = "".join(self.cleaned_data["kk_number"].split())
        check = check_kk(number)
        if not check.valid:
            raise ValidationError(check.errors)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, head = data.get("members") or [], data.get("head")
        if chosen and head and head not in chosen:
            self.add_error("head", _("The head must be one of the members who move."))
        if chosen and len(chosen) == len(self.people):
            self.add_error(
                "members", _("Leave at least one member on the old card, or change its number.")
            )
        return data

    def relationships(self) -> dict[str, str]:
        """Each moving member's relationship on the new card (the old head becomes a relative)."""
        head = self.cleaned_data["head"]
        found = {}
        for pk in self.cleaned_data["members"]:
            relationship = self.people[pk].relationship
            if pk == head:
                relationship = Relationship.HEAD
            elif relationship == Relationship.HEAD:
                relationship = Relationship.OTHER_RELATIVE
            found[pk] = str(relationship)
        return found


class CorrectionProposalForm(forms.ModelForm):
    """The details a correction may change, filled with what the register holds now."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Person
        # The NIK and phone have their own checks in the full form; the kelurahan corrects them.
        fields = sorted(CORRECTABLE_FIELDS - {"nik", "phone"})
        widgets = {"birth_date": DATE_INPUT}

    def clean_birth_date(self) -> dt.date:
        return _not_future(self.cleaned_data["birth_date"])

    def changes(self) -> dict[str, Any]:
        found = {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}
        if not found:
            raise ValidationError(_("Nothing was changed: change the data that is wrong."))
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in found.items()}
