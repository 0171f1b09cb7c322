from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import User
from kotacerdas.people.fields import KKField, NIKField, PhoneField
from kotacerdas.people.identity import check_kk, check_nik
from kotacerdas.people.lookups import refusal_outside
from kotacerdas.people.models import Family, LifeEvent, Person
from kotacerdas.regions.models import RT, Region


def known_prefixes() -> frozenset[str]:
    """The 6-digit prefixes of the kecamatan in the register (one small query)."""
    codes = Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", flat=True)
    return frozenset(code.replace(".", "") for code in codes)


def normalise_phone(raw: str) -> str:
    """An Indonesian phone number in E.164 (+62…), or ValidationError."""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number) or number.country_code != 62:
        raise ValidationError(_("This is not a valid Indonesian phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class RTChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RT) -> str:  # type: ignore[override]
        return f"{obj.rw.kelurahan.name} · RW {obj.rw.number:02d} · RT {obj.number:03d}"


class PersonForm(forms.ModelForm):
    """A resident. ``warnings`` lists what should be looked at before saving."""

    kk_number = KKField(
        label=gettext_lazy("Family card number (No. KK)"),
        required=False,
        help_text=gettext_lazy("Optional: the family this person belongs to, if registered."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the notes above; save anyway."), required=False
    )

    class Meta:
        model = Person
        fields = [
            "nik",
            "name",
            "sex",
            "birth_date",
            "birth_place",
            "religion",
            "education",
            "occupation",
            "marital_status",
            "phone",
            "rt",
            "address",
            "relationship",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"nik": NIKField, "phone": PhoneField}

    def __init__(
        self,
        *args: Any,
        rts: QuerySet[RT],
        families: QuerySet[Family],
        visible: QuerySet[Person],
        user: User,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.families = families
        self.warnings: list[str] = []
        self.duplicates: list[Person] = []
        # Matches outside the user's area are counted, never shown: the form
        # must not tell an RW operator where someone else lives.
        self.duplicates_elsewhere = 0
        self.visible = visible
        self.fields["rt"] = RTChoiceField(queryset=rts, label=_("RT / RW"))
        self.fields["phone"].widget.attrs.update(placeholder="08…")
        if self.instance.pk and self.instance.family_id:
            self.initial.setdefault("kk_number", self.instance.family.kk_number)

    def clean_nik(self) -> str | None:
        nik = self.cleaned_data["nik"]
        if not nik:
            return None
        check = check_nik(nik)
        if not check.valid:
            raise ValidationError(check.errors)
        if self.instance.pk and self.instance.nik == nik:
            return nik  # unchanged: nothing is looked up
        duplicate = Person.objects.filter(nik=nik).exclude(pk=self.instance.pk)
        # Only a duplicate in the user's own area is named as one; any other
        # number gets the same refusal whether or not it is registered elsewhere.
        if self.visible.filter(pk__in=duplicate.values("pk")).exists():
            raise ValidationError(_("A person with this NIK is already in the register."))
        refusal = refusal_outside(self.user, "nik", elsewhere=duplicate.exists())
        if refusal:
            raise ValidationError(refusal)
        return nik

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_birth_date(self) -> dt.date:
        birth_date: dt.date = self.cleaned_data["birth_date"]
        if birth_date > dt.date.today():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if birth_date.year < dt.date.today().year - 130:
            raise ValidationError(_("The date of birth is more than 130 years ago."))
        return birth_date

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean_kk_number(self) -> Family | None:
        kk = self.cleaned_data["kk_number"]
        if not kk:
            return None
        family = self.families.filter(kk_number=kk).first()
        if family is None:
            raise ValidationError(
                _(
                    "No family with this No. KK is registered in your area. Register the family first."
                )
            )
        return family

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        family = data.get("kk_number")
        if family is not None and not data.get("relationship"):
            self.add_error("relationship", _("Choose the relationship to the head of the family."))
        if family is None and data.get("relationship"):
            self.add_error("kk_number", _("Enter the No. KK of the family for this relationship."))
        if self.errors:
            return data
        if data.get("nik"):
            check = check_nik(
                data["nik"],
                known_prefixes=known_prefixes(),
                birth_date=data.get("birth_date"),
                sex=data.get("sex"),
            )
            self.warnings.extend(check.warnings)
        matches = possible_duplicates(
            name=data["name"],
            birth_date=data["birth_date"],
            family=family,
            exclude=self.instance.pk,
        )
        shown = set(
            self.visible.filter(pk__in=[p.pk for p in matches]).values_list("pk", flat=True)
        )
        self.duplicates = [p for p in matches if p.pk in shown]
        self.duplicates_elsewhere = len(matches) - len(self.duplicates)
        if (self.warnings or matches) and not data.get("confirm"):
            raise ValidationError(
                _("Please check the notes below, then tick the box to save."), code="confirm"
            )
        return data

    def save(self, commit: bool = True) -> Person:
        person: Person = super().save(commit=False)
        person.family = self.cleaned_data.get("kk_number")
        if commit:
            person.save()
        return person


def possible_duplicates(
    *, name: str, birth_date: dt.date, family: Family | None, exclude: int | None = None
) -> list[Person]:
    """Same name and birth date anywhere, or the same name in the same family."""
    same = Person.objects.filter(name__iexact=name, birth_date=birth_date)
    if family is not None:
        same = same | Person.objects.filter(name__iexact=name, family=family)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    return list(same.select_related("rt__rw__kelurahan")[:5])


class FamilyForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = ["kk_number", "rt", "address"]
        field_classes = {"kk_number": KKField}

    def __init__(self, *args: Any, rts: QuerySet[RT], user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.rts = rts
        self.warnings: list[str] = []
        self.fields["rt"] = RTChoiceField(queryset=rts, label=_("RT / RW"))

    def clean_kk_number(self) -> str:
        kk = self.cleaned_data["kk_number"]
        check = check_kk(kk, known_prefixes=known_prefixes())
        if not check.valid:
            raise ValidationError(check.errors)
        self.warnings = check.warnings
        if self.instance.pk and self.instance.kk_number == kk:
            return kk  # unchanged: nothing is looked up
        duplicate = Family.objects.filter(kk_number=kk).exclude(pk=self.instance.pk)
        if duplicate.filter(rt__in=self.rts).exists():
            raise ValidationError(_("A family with this No. KK is already registered."))
        refusal = refusal_outside(self.user, "kk", elsewhere=duplicate.exists())
        if refusal:
            raise ValidationError(refusal)
        return kk


class LifeEventForm(forms.Form):
    # Joining a family and corrections have their own actions, not this form.
    kind = forms.ChoiceField(
        label=gettext_lazy("Event"),
        choices=[
            (kind, label)
            for kind, label in LifeEvent.Kind.choices
            if kind not in (LifeEvent.Kind.FAMILY, LifeEvent.Kind.CORRECTION)
        ],
    )
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date > dt.date.today():
            raise ValidationError(_("The date cannot be in the future."))
        return date


class CitizenLinkForm(forms.Form):
    """A signed-in citizen names herself or himself in the register by NIK
    (``people.actions.link_citizen`` checks it against the account's number)."""

    nik = forms.CharField(
        label=gettext_lazy("Your NIK"),
        max_length=20,
        help_text=gettext_lazy("16 digits, from your KTP or family card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_nik(self) -> str:
        nik = "".join(self.cleaned_data["nik"].split())
        if not nik.isdigit() or len(nik) != 16:
            raise ValidationError(_("A NIK is 16 digits."))
        return nik


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or NIK"), required=False, max_length=100)
