"""The upload form: refuses at once a file that is not a residents workbook."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core.excel import XLSX_CONTENT_TYPE
from kotacerdas.people.imports.sheet import ImportFileError, check_upload
from kotacerdas.regions.models import Region

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_COMMAND_BYTES = 200 * 1024 * 1024  # a whole kecamatan's extract, read by the command


class KelurahanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:  # type: ignore[override]
        return obj.name


class ImportForm(forms.Form):
    """The upload. ``content`` holds the file's bytes once the form is valid."""

    workbook = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx or .xls)"),
        help_text=gettext_lazy(
            "The first sheet, with the column headers in row 1: the template, an OpenSID "
            "residents export or a SIAK extract."
        ),
    )
    kelurahan = KelurahanChoiceField(
        queryset=Region.objects.none(),
        label=gettext_lazy("Kelurahan"),
        help_text=gettext_lazy("The RT and RW numbers in the file are read in this kelurahan."),
    )

    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Dry run: only show what would change"),
        help_text=gettext_lazy(
            "Nothing is written. For a monthly extract, check the changes, then apply them."
        ),
    )

    def __init__(self, *args: Any, kelurahan: QuerySet[Region], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.content = b""
        options = list(kelurahan)
        self.fixed_kelurahan: Region | None = None
        if len(options) == 1:
            # An RW operator or a kelurahan office has nothing to choose.
            self.fixed_kelurahan = options[0]
            del self.fields["kelurahan"]
        else:
            self.fields["kelurahan"].queryset = kelurahan  # type: ignore[attr-defined]
        self.fields["workbook"].widget.attrs.update(accept=".xlsx,.xls," + XLSX_CONTENT_TYPE)

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB: split it into several workbooks.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        content = upload.read()
        try:
            check_upload(content)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        self.content = content
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.fixed_kelurahan is not None:
            data["kelurahan"] = self.fixed_kelurahan
        return data
