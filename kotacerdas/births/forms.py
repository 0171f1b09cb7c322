from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.births.models import (
    BirthPlaceType,
    Declaration,
    DocumentKind,
    ReporterRelation,
)
from kotacerdas.core.inputs import is_digits, strip_separators
from kotacerdas.core.uploads import checked_content_type
from kotacerdas.messaging.phones import normalise_mobile
from kotacerdas.people.fields import KKField, NIKField, PhoneField
from kotacerdas.people.forms import known_prefixes
from kotacerdas.people.identity import check_kk, check_nik
from kotacerdas.people.models import Family
from kotacerdas.regions.models import RT, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DIGITS = {"inputmode": "numeric", "autocomplete": "off"}

CHILD_FIELDS = [
    "child_name",
    "child_sex",
    "birth_date",
    "birth_time",
    "birth_place_type",
    "birth_place",
    "birth_facility",
    "birth_type",
    "birth_order",
    "attendant",
    "weight_kg",
    "length_cm",
]
MOTHER_FIELDS = [
    "mother_nik",
    "mother_name",
    "mother_birth_date",
    "mother_occupation",
    "mother_citizenship",
]
FATHER_FIELDS = [
    "father_nik",
    "father_name",
    "father_birth_date",
    "father_occupation",
    "father_citizenship",
    "marriage_date",
]
FAMILY_FIELDS = ["kk_number", "head_name", "address"]
PLACE_FIELDS = ["kelurahan", "rw_number", "rt_number"]
REPORTER_FIELDS = [
    "reporter_nik",
    "reporter_name",
    "reporter_relation",
    "parent_phone",
    "witness1_nik",
    "witness1_name",
    "witness2_nik",
    "witness2_name",
]
NIK_FIELDS = {
    "mother_nik": gettext_lazy("Mother's NIK"),
    "father_nik": gettext_lazy("Father's NIK"),
    "reporter_nik": gettext_lazy("Reporter's NIK"),
    "witness1_nik": gettext_lazy("First witness's NIK"),
    "witness2_nik": gettext_lazy("Second witness's NIK"),
}


class DeclarationForm(forms.ModelForm):
    """F-2.01, the birth block. ``as_parent`` is the parent's own form (signed in
    with their number): they are the reporter, and the number is theirs."""

    kelurahan = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=Region.Level.KELURAHAN),
        label=gettext_lazy("Kelurahan"),
        required=False,
        help_text=gettext_lazy("Only needed when the family card is not in the register yet."),
    )
    rw_number = forms.IntegerField(label=gettext_lazy("RW"), min_value=1, required=False)
    rt_number = forms.IntegerField(label=gettext_lazy("RT"), min_value=1, required=False)
    # New reports only: the same key twice (a double click) saves one draft.
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Declaration
        fields = CHILD_FIELDS + MOTHER_FIELDS + FATHER_FIELDS + FAMILY_FIELDS + REPORTER_FIELDS
        widgets = {
            "birth_date": DATE,
            "mother_birth_date": DATE,
            "father_birth_date": DATE,
            "marriage_date": DATE,
            "birth_time": TIME,
            **{name: forms.TextInput(attrs=DIGITS) for name in [*NIK_FIELDS, "kk_number"]},
            "parent_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            # A list that wraps on a phone: a select cut the long labels at 360 px.
            "birth_place_type": forms.RadioSelect,
            "reporter_relation": forms.RadioSelect,
        }
        field_classes = {
            **dict.fromkeys(NIK_FIELDS, NIKField),
            "kk_number": KKField,
            "parent_phone": PhoneField,
        }
        help_texts = {
            "mother_nik": gettext_lazy("16 digits, from the mother's KTP or family card."),
            "father_nik": gettext_lazy("Leave the father's part empty if he is not known."),
            "kk_number": gettext_lazy("The family card the baby will be added to."),
            "witness1_nik": gettext_lazy(
                "Two witnesses are needed when there is no birth notice from a midwife, "
                "puskesmas or hospital."
            ),
        }

    def __init__(
        self,
        *args: Any,
        as_parent: bool = False,
        partial: bool = False,
        for_citizen: bool = False,
        only: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``partial``: a midwife's start, which the parent completes (family card
        and address may wait); everyone else saves a report that can be sent.
        ``for_citizen``: filled in by a citizen, who always gives the family's
        kelurahan, RW and RT, so the form answers alike whether or not the
        family card is in the register (no probing of No. KK).
        ``only``: one step of the report (``births.steps``): the other fields are
        left out, and the checks across steps read their saved values."""
        super().__init__(*args, **kwargs)
        self.as_parent = as_parent
        self.partial = partial
        self.for_citizen = for_citizen
        if for_citizen:
            self.fields["kelurahan"].help_text = gettext_lazy(
                "Where the family lives, with its RW and RT."
            )
        if not partial:
            self.fields["kk_number"].required = True
            self.fields["address"].required = True
        self.family: Family | None = None
        self.rt: RT | None = None
        if self.instance.pk is None:
            self.fields["submission_key"].initial = secrets.token_urlsafe(24)
        else:
            del self.fields["submission_key"]
        if as_parent:
            del self.fields["parent_phone"]
            cast(forms.ChoiceField, self.fields["reporter_relation"]).choices = [
                (ReporterRelation.MOTHER, ReporterRelation.MOTHER.label),
                (ReporterRelation.FATHER, ReporterRelation.FATHER.label),
            ]
        if (
            self.instance.pk is not None
            and (self.instance.family_id is None or for_citizen)
            and self.instance.rt
        ):
            rt = self.instance.rt
            self.initial.update(
                kelurahan=rt.rw.kelurahan_id, rw_number=rt.rw.number, rt_number=rt.number
            )
        # Radio lists need no empty "---------".
        if "birth_place_type" in self.fields:
            cast(
                forms.ChoiceField, self.fields["birth_place_type"]
            ).choices = BirthPlaceType.choices
        if "reporter_relation" in self.fields and not as_parent:
            cast(
                forms.ChoiceField, self.fields["reporter_relation"]
            ).choices = ReporterRelation.choices
        if only is not None:
            for name in [n for n in self.fields if n not in only and n != "submission_key"]:
                del self.fields[name]

    def _value(self, data: dict[str, Any], name: str) -> Any:
        """The value typed on this page, or the one saved from another step."""
        return data.get(name) if name in self.fields else getattr(self.instance, name)

    def _flag(self, name: str, message: str) -> None:
        """The error next to its field; at the top when the field is on another step."""
        self.add_error(name if name in self.fields else None, message)

    # Single fields ---------------------------------------------------------

    def clean_birth_date(self) -> dt.date:
        born: dt.date = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise ValidationError(
                _("The date of birth is in the future. Enter the day the baby was born.")
            )
        if born.year < 1900:
            raise ValidationError(_("The date of birth is too long ago."))
        return born

    def clean_parent_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["parent_phone"])

    def clean_kk_number(self) -> str:
        number = self.cleaned_data["kk_number"]
        if not number:
            return number
        check = check_kk(number, known_prefixes=known_prefixes())
        if check.errors:
            raise ValidationError(check.errors)
        return number

    def clean_weight_kg(self) -> Any:
        weight = self.cleaned_data.get("weight_kg")
        if weight is not None and not 0.3 <= weight <= 7:
            raise ValidationError(_("A newborn weighs between 0.3 and 7 kg."))
        return weight

    def clean_length_cm(self) -> Any:
        length = self.cleaned_data.get("length_cm")
        if length is not None and not 20 <= length <= 70:
            raise ValidationError(_("A newborn is between 20 and 70 cm long."))
        return length

    # The whole form ----------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        self._check_niks(data)
        self._check_parents(data)
        self._check_reporter(data)
        self._find_place(data)
        return data

    def _check_niks(self, data: dict[str, Any]) -> None:
        prefixes = known_prefixes()
        expected_sex = {"mother_nik": "F", "father_nik": "M"}
        for name, label in NIK_FIELDS.items():
            number = strip_separators(data.get(name))
            if name in data:
                data[name] = number
            if not number:
                continue
            check = check_nik(number, known_prefixes=prefixes)
            for error in check.errors:
                self.add_error(name, f"{label}: {error}")
            if check.valid and name in expected_sex and check.sex != expected_sex[name]:
                self.add_error(
                    name,
                    _("%(label)s is a man's NIK (day of birth below 41); check the number.")
                    % {"label": label}
                    if name == "mother_nik"
                    else _("%(label)s is a woman's NIK (day of birth above 40); check the number.")
                    % {"label": label},
                )

    def _check_parents(self, data: dict[str, Any]) -> None:
        born = self._value(data, "birth_date")
        if "mother_birth_date" in self.fields:
            mother_nik = check_nik(data.get("mother_nik") or "")
            if not data.get("mother_birth_date") and mother_nik.valid:
                data["mother_birth_date"] = mother_nik.birth_date
        mother_born = self._value(data, "mother_birth_date")
        if (
            {"birth_date", "mother_birth_date"} & set(self.fields)
            and born
            and mother_born
            and (born - mother_born).days < 9 * 365
        ):
            self._flag(
                "mother_birth_date",
                _("The mother's date of birth cannot be right: she would be under 9 years old."),
            )
        if "father_nik" in self.fields:
            father = [data.get(name) for name in ("father_nik", "father_name")]
            if any(father) and not all(father):
                self.add_error(
                    "father_name" if father[0] else "father_nik",
                    _("Enter both the father's NIK and name, or leave both empty."),
                )
        for number, name in (("witness1_nik", "witness1_name"), ("witness2_nik", "witness2_name")):
            if name in self.fields and bool(data.get(number)) != bool(data.get(name)):
                self.add_error(name, _("Enter both the witness's NIK and name."))

    def _check_reporter(self, data: dict[str, Any]) -> None:
        if not self.as_parent or "reporter_nik" not in self.fields:
            return
        relation = data.get("reporter_relation")
        parent_nik = self._value(
            data, "mother_nik" if relation == ReporterRelation.MOTHER else "father_nik"
        )
        if data.get("reporter_nik") and data.get("reporter_nik") != parent_nik:
            self.add_error(
                "reporter_nik",
                _(
                    "As a parent reporting online, your NIK must be the mother's or the "
                    "father's NIK given above."
                ),
            )

    def _find_place(self, data: dict[str, Any]) -> None:
        """The family card decides the RT; without it in the register, the RT entered."""
        if "kk_number" not in self.fields:
            return
        kk = data.get("kk_number")
        if not kk:
            if self.partial and any(data.get(n) for n in ("kelurahan", "rw_number", "rt_number")):
                self.add_error("kk_number", _("Enter the family card number too."))
            return
        self.family = Family.objects.select_related("rt__rw").filter(kk_number=kk).first()
        if self.family is not None and not self.for_citizen:
            self.rt = self.family.rt
            return
        kelurahan, rw_number, rt_number = (
            data.get("kelurahan"),
            data.get("rw_number"),
            data.get("rt_number"),
        )
        if not (kelurahan and rw_number and rt_number):
            self.add_error(
                "kelurahan",
                _("Choose the family's kelurahan, RW and RT.")
                if self.for_citizen
                else _(
                    "This family card is not in the register yet: choose the family's "
                    "kelurahan, RW and RT."
                ),
            )
            return
        self.rt = (
            RT.objects.select_related("rw")
            .filter(rw__kelurahan=kelurahan, rw__number=rw_number, number=rt_number)
            .first()
        )
        if self.rt is None:
            self.add_error(
                "rt_number",
                _("Kelurahan %(name)s has no RW %(rw)02d / RT %(rt)03d.")
                % {"name": kelurahan.name, "rw": rw_number, "rt": rt_number},
            )


# Documents -------------------------------------------------------------------

DOCUMENT_TYPES = {"pdf", "jpg", "jpeg", "png"}


class DocumentForm(forms.Form):
    # A list that wraps: a select cut the long names of the documents at 360 px.
    kind = forms.ChoiceField(
        label=gettext_lazy("Document"), choices=DocumentKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label=gettext_lazy("File (PDF, JPG or PNG)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.BIRTHS_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "The file is %(size)s MB; at most %(limit)s MB is accepted. Send a smaller scan or photo."
                )
                % {"size": f"{upload.size / 1_048_576:.0f}", "limit": f"{limit / 1_048_576:.0f}"}
            )
        content_type = checked_content_type(upload, DOCUMENT_TYPES)
        if content_type is None:
            raise ValidationError(_("Only PDF, JPG or PNG files are accepted."))
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        self.content_type = content_type
        self.sha256 = digest.hexdigest()
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Reference, child's name or mother's NIK"),
        required=False,
        max_length=100,
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


# Registrar decisions -----------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What must be changed"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to the declarant in their account (not sent by SMS)."),
    )


class RegisterForm(forms.Form):
    child_nik = NIKField(
        label=gettext_lazy("Child's NIK from Dukcapil (SIAK)"),
        required=False,
        help_text=gettext_lazy("May be left empty and entered later."),
    )

    def clean_child_nik(self) -> str:
        number = self.cleaned_data["child_nik"]
        if not number:
            return ""
        check = check_nik(number, known_prefixes=known_prefixes())
        if check.errors:
            raise ValidationError(check.errors)
        from kotacerdas.people.models import Person

        if Person.objects.filter(nik=number).exists():
            raise ValidationError(_("This NIK already belongs to someone in the register."))
        return number


class ChildNikForm(RegisterForm):
    def clean_child_nik(self) -> str:
        number = super().clean_child_nik()
        if not number:
            raise ValidationError(_("Enter the NIK."))
        return number


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("not_duplicate", "not_duplicate"), ("duplicate", "duplicate")]
    )
    duplicate_of = forms.IntegerField(required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


CORRECTABLE = ["child_name", "child_sex", "birth_date", "birth_time", "mother_name", "father_name"]


class CorrectionForm(forms.ModelForm):
    reason = forms.CharField(
        label=gettext_lazy("Why must it be corrected?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Declaration
        fields = CORRECTABLE
        widgets = {"birth_date": DATE, "birth_time": TIME}

    def clean_birth_date(self) -> dt.date:
        return DeclarationForm.clean_birth_date(self)  # type: ignore[arg-type]

    def changes(self) -> dict[str, list[str]]:
        """{field: [old, new]} as text, for the fields the request changes."""
        original = Declaration.objects.get(pk=self.instance.pk)
        found = {}
        for name in CORRECTABLE:
            old, new = getattr(original, name), self.cleaned_data.get(name)
            if old != new:
                found[name] = [_as_text(old), _as_text(new)]
        return found


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


class ClaimForm(forms.Form):
    """The parent shows they are the parent before a staff-started report opens."""

    nik = NIKField(
        label=gettext_lazy("The mother's or the father's NIK"),
        help_text=gettext_lazy("16 digits, from the KTP or the family card."),
    )

    def clean_nik(self) -> str:
        nik = self.cleaned_data["nik"]
        if not is_digits(nik, 16):
            raise ValidationError(_("A NIK is 16 digits."))
        return nik
