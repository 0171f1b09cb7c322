"""Validation of what staff and citizens type: requests, uploads, template texts, agenda lines."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core.uploads import checked_content_type
from kotacerdas.kelurahan import numbering, sandbox
from kotacerdas.kelurahan.catalogue import PERSON_ROLES, REQUIREMENTS, placeholders_of
from kotacerdas.kelurahan.models import Correspondence, LetterType
from kotacerdas.people.fields import NIKField

UPLOAD_KINDS = ("pdf", "jpg", "jpeg", "png")
# A phone photo of a KK or a scanned page; a larger file is a mistake (a video, a whole album).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class RequestForm(forms.Form):
    """A letter request: the applicant (by NIK for staff, chosen for citizens) and the type's fields."""

    def __init__(
        self, letter_type: LetterType, *args: Any, applicant_choices: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.letter_type = letter_type
        if applicant_choices is None:
            self.fields["nik"] = NIKField(label=gettext_lazy("Applicant's NIK"))
        else:
            self.fields["person"] = forms.ModelChoiceField(
                applicant_choices, label=gettext_lazy("For whom"), empty_label=None
            )
        for role in letter_type.persons:
            self.fields[f"{role}_nik"] = NIKField(
                label=_("NIK of the %(role)s") % {"role": str(PERSON_ROLES[role][1]).lower()},
                required=False,
            )
        for field in letter_type.extra_fields:
            self.fields[field["name"]] = forms.CharField(label=field["label"], max_length=300)

    def extra(self) -> dict[str, str]:
        return {f["name"]: self.cleaned_data[f["name"]] for f in self.letter_type.extra_fields}


class UploadForm(forms.Form):
    requirement = forms.ChoiceField(label=gettext_lazy("Document"))
    file = forms.FileField(label=gettext_lazy("File (PDF, JPG or PNG)"))

    def __init__(self, requirements: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(k, REQUIREMENTS.get(k, k)) for k in requirements]
        self.fields["requirement"].choices = choices  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB).")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        content_type = checked_content_type(upload, UPLOAD_KINDS)
        if content_type is None:
            raise ValidationError(_("Send a PDF, JPG or PNG file."), code="kind")
        upload.checked_content_type = content_type
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class TemplateForm(forms.Form):
    """A new version of a type's text; refused unless the sandbox accepts it."""

    body = forms.CharField(
        label=gettext_lazy("Letter text"), widget=forms.Textarea(attrs={"rows": 16})
    )
    classification = forms.CharField(
        label=gettext_lazy("Archive classification code"), max_length=20
    )
    number_format = forms.CharField(
        label=gettext_lazy("Number format (empty: the kelurahan's default)"),
        max_length=80,
        required=False,
    )
    preview_nik = NIKField(label=gettext_lazy("Preview with the resident of NIK"), required=False)

    def __init__(self, letter_type: LetterType, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.letter_type = letter_type

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        sandbox.check(
            body, placeholders_of(self.letter_type.extra_fields, self.letter_type.persons)
        )
        return body

    def clean_number_format(self) -> str:
        value: str = self.cleaned_data["number_format"].strip()
        if value:
            numbering.check_format(value)
        return value


class CorrespondenceForm(forms.ModelForm):
    class Meta:
        model = Correspondence
        fields = ["direction", "date", "their_number", "counterpart", "subject", "classification"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), max_length=100, required=False)
    direction = forms.ChoiceField(
        label=gettext_lazy("Incoming or outgoing"),
        required=False,
        choices=[("", gettext_lazy("Both")), *list(Correspondence.Direction.choices)],
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100
    )
