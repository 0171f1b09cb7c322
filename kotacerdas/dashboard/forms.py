from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.dashboard.catalogue import figure_catalogue
from kotacerdas.dashboard.pages import offered_years


class YearForm(forms.Form):
    """The year a dashboard page shows (a GET form: it works without JavaScript)."""

    tahun = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["tahun"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in offered_years()]
        field.error_messages["invalid_choice"] = _(
            "The dashboard has no figures for year %(value)s: choose one of the years in the list."
        )

    def year(self) -> int:
        if self.is_valid() and self.cleaned_data["tahun"]:
            return int(self.cleaned_data["tahun"])
        return offered_years()[0]


class MapForm(YearForm):
    figur = forms.ChoiceField(label=_("Colour the kelurahan by"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["figur"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (info.key, f"{info.programme}: {info.title}") for info in figure_catalogue().values()
        ]
        field.error_messages["invalid_choice"] = _(
            "There is no figure %(value)s: choose one from the list."
        )

    def figure(self) -> str | None:
        return (self.cleaned_data.get("figur") or None) if self.is_valid() else None
