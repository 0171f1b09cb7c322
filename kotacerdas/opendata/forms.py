"""The workflow's forms: the agency's metadata, the walidata's review, the Daftar Data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kotacerdas.opendata.models import Dataset


class MetadataForm(forms.ModelForm[Dataset]):
    class Meta:
        model = Dataset
        fields = [
            "title",
            "concept",
            "definition",
            "unit",
            "frequency",
            "coverage",
            "method",
            "classification",
            "sensitivity",
        ]
        widgets = {
            "concept": forms.Textarea(attrs={"rows": 3}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_unit(self) -> str:
        return str(self.cleaned_data["unit"]).strip().upper()

    def clean_sensitivity(self) -> str:
        value = str(self.cleaned_data["sensitivity"])
        if self.instance.app in self._specific_apps() and value != Dataset.Sensitivity.SPECIFIC:
            raise forms.ValidationError(
                _(
                    "Health and children's data are specific data (UU 27/2022): this cannot be changed."
                )
            )
        return value

    @staticmethod
    def _specific_apps() -> set[str]:
        return set(settings.OPENDATA_SPECIFIC_DATA_APPS)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return to the producer"))],
    )
    reason = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("Write the reason for returning it to the producer."))
        return data


class DataListForm(forms.Form):
    datasets = forms.ModelMultipleChoiceField(
        label=_("Datasets in the Daftar Data"),
        queryset=Dataset.objects.filter(status=Dataset.Status.APPROVED).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
