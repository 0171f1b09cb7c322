from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Unit, User
from kotacerdas.core.uploads import checked_content_type
from kotacerdas.messaging.phones import normalise_mobile
from kotacerdas.people.actions import LookupRefused, look_up_nik
from kotacerdas.people.fields import NIKField, PhoneField
from kotacerdas.people.identity import check_nik
from kotacerdas.people.lookups import too_many_message
from kotacerdas.people.models import Person
from kotacerdas.regions.models import RW, Region
from kotacerdas.reports.codes import normalise_code
from kotacerdas.reports.models import (
    AgeGroup,
    Case,
    CaseEvent,
    CasePerson,
    Category,
    PupilReporter,
    Report,
    Stage,
)
from kotacerdas.reports.roles import ReportsRole

MAX_RW = 99  # RW numbers of a kelurahan run from 1; none has a hundred


def check_story(story: str) -> str:
    """The one rule for a report's story on every route (web form, Open311, SMS).

    The story stripped; ValidationError when it is too short to act on or
    longer than WADUL_MAX_STORY.
    """
    story = story.strip()
    if len(story) < 10:
        raise ValidationError(_("Please tell a little more about what happened."))
    if len(story) > settings.WADUL_MAX_STORY:
        raise ValidationError(
            _(
                "The story is too long (%(count)s characters; at most %(max)s). Tell the main things; an officer will ask for more."
            )
            % {"count": len(story), "max": settings.WADUL_MAX_STORY}
        )
    return story


class ReportForm(forms.ModelForm):
    """The public form: calm, short, and nothing required but the story."""

    class Meta:
        model = Report
        fields = [
            "story",
            "category_hint",
            "kelurahan",
            "rw_number",
            "school",
            "place",
            "happened",
            "age_group",
            "victim_name",
            "still_happening",
            "danger_to_life",
            "reporter_name",
            "reporter_phone",
        ]
        field_classes = {"reporter_phone": PhoneField}
        widgets = {
            "story": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "story": gettext_lazy("What happened?"),
            "category_hint": gettext_lazy("What kind of harm? (if you know)"),
            "place": gettext_lazy("Where? (street, landmark, or school)"),
            "happened": gettext_lazy("When? (for example: yesterday evening)"),
            "victim_name": gettext_lazy("Name of the child or mother (if you want to tell)"),
            "still_happening": gettext_lazy("It is still happening"),
            "danger_to_life": gettext_lazy("Someone's life is in danger"),
            "reporter_name": gettext_lazy("Your name (you may leave it empty)"),
            "reporter_phone": gettext_lazy("Your mobile number, to get SMS updates (optional)"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"] = forms.ModelChoiceField(
            queryset=Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name"),
            label=_("Kelurahan"),
            empty_label=_("I don't know"),
            required=False,
        )
        self.fields["school"] = forms.ModelChoiceField(
            queryset=Unit.objects.filter(kind=Unit.Kind.SCHOOL).order_by("name"),
            label=_("School (if it happened at a school)"),
            empty_label=_("Not at a school"),
            required=False,
        )
        self.fields["rw_number"] = forms.IntegerField(
            label=_("RW"),
            min_value=1,
            max_value=MAX_RW,
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        self.fields["reporter_phone"].widget.attrs.update(inputmode="tel", placeholder="0812…")

    def clean_story(self) -> str:
        return check_story(self.cleaned_data["story"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kelurahan, rw_number = data.get("kelurahan"), data.get("rw_number")
        if kelurahan is not None and rw_number is not None:
            # Where the region tree knows the kelurahan's RWs, the number must be one of them.
            known = set(RW.objects.filter(kelurahan=kelurahan).values_list("number", flat=True))
            if known and rw_number not in known:
                self.add_error(
                    "rw_number",
                    _("Kelurahan %(name)s has no RW %(rw)02d.")
                    % {"name": kelurahan.name, "rw": rw_number},
                )
        return data

    def clean_reporter_phone(self) -> str:
        phone = self.cleaned_data["reporter_phone"].strip()
        return normalise_mobile(phone) if phone else ""


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Tracking code"), max_length=20)

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(_("A tracking code looks like WB-7K3Q9P."))
        return code


class OpenCaseForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachForm(forms.Form):
    case_number = forms.CharField(label=gettext_lazy("Case number"), max_length=20)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases

    def clean_case_number(self) -> Case:
        case = self.cases.filter(number=self.cleaned_data["case_number"].strip().upper()).first()
        if case is None:
            raise ValidationError(_("No case with this number in your unit."))
        return case


class CloseForm(forms.Form):
    close_reason = forms.ChoiceField(label=gettext_lazy("Why"), choices=Report.CloseReason.choices)
    note = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=gettext_lazy("Move to stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=gettext_lazy("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    referred_to = forms.ChoiceField(
        label=gettext_lazy("Referral (optional)"),
        choices=[("", gettext_lazy("No referral, a note")), *CaseEvent.ReferredTo.choices],
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PupilForm(forms.Form):
    school = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("School"))
    name = forms.CharField(label=gettext_lazy("Pupil's name"), max_length=150)
    class_name = forms.CharField(label=gettext_lazy("Class"), max_length=20, required=False)
    phone = PhoneField(
        label=gettext_lazy("Pupil's (or parent's) mobile number"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812…"}),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()

    def clean_phone(self) -> str:
        phone = normalise_mobile(self.cleaned_data["phone"])
        if PupilReporter.objects.filter(phone=phone, active=True).exists():
            # Says nothing of which school has it.
            raise ValidationError(_("This number cannot be registered as a pupil reporter."))
        return phone


class CasePersonForm(forms.Form):
    part = forms.ChoiceField(
        label=gettext_lazy("Part in the case"), choices=CasePerson.Part.choices
    )
    nik = NIKField(
        label=gettext_lazy("NIK, if known (links the person in the register)"), required=False
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    age_group = forms.ChoiceField(label=gettext_lazy("Age group"), choices=AgeGroup.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: User, request: HttpRequest, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.request = request

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        nik = "".join((data.get("nik") or "").split())
        data["person"] = None
        if nik and not check_nik(nik).valid:
            self.add_error("nik", check_nik(nik).errors)
        elif nik:
            data["person"] = self._look_up(nik)
        if not nik and not data.get("name"):
            raise ValidationError(_("Give a NIK or a name."))
        return data

    def _look_up(self, nik: str) -> Person | None:
        """Officers have no register scope: each look-up is limited and audited
        (a decision for DP3A and Disdukcapil, docs/operations.md)."""
        try:
            person = look_up_nik(nik, actor=self.actor, purpose="wadul.case", request=self.request)
        except LookupRefused:
            self.add_error("nik", too_many_message())
            return None
        if person is None:
            self.add_error("nik", _("No resident with this NIK is in the register."))
        return person


DOCUMENT_TYPES = {"pdf", "jpg", "jpeg", "png", "docx", "odt"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150)
    file = forms.FileField(label=gettext_lazy("File (PDF, photo or document, at most 10 MB)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        # By content, not by name: an HTML page renamed .pdf is refused.
        if checked_content_type(upload, DOCUMENT_TYPES) is None:
            raise ValidationError(_("Only PDF, JPG, PNG, DOCX or ODT files can be added."))
        return upload


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        queryset=User.objects.none(), label=gettext_lazy("Officer handling the case")
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__unit=case.unit,
            memberships__role=ReportsRole.PROTECTION_OFFICER,
            is_active=True,
        ).order_by("username")
        self.fields["officer"].initial = case.officer_id
