"""Forms of the WiFi register: every error names the field and says what is wrong."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.literacy.models import Outage, Point
from kotacerdas.regions.models import Region

CODE = re.compile(r"[A-Z0-9]{3,12}")
# Kota Cirebon and a margin: a point outside is a typing mistake (swapped or mis-signed).
LATITUDES = (Decimal("-6.85"), Decimal("-6.65"))
LONGITUDES = (Decimal("108.45"), Decimal("108.65"))


class PointForm(forms.ModelForm[Point]):
    class Meta:
        model = Point
        fields = [
            "code",
            "name",
            "kind",
            "address",
            "kelurahan",
            "latitude",
            "longitude",
            "provider",
            "ssid",
            "nas_id",
            "installed_on",
            "status",
        ]
        widgets = {"installed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kelurahan = self.fields["kelurahan"]
        assert isinstance(kelurahan, forms.ModelChoiceField)
        kelurahan.queryset = Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name")
        kelurahan.required = True
        kelurahan.label_from_instance = lambda region: region.name  # type: ignore[method-assign,assignment]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not CODE.fullmatch(code):
            raise forms.ValidationError(
                _("The code is 3 to 12 letters and digits, no spaces (e.g. KJS01).")
            )
        return code

    def clean_nas_id(self) -> str | None:
        return self.cleaned_data["nas_id"].strip() or None

    def clean_latitude(self) -> Decimal | None:
        return _within(self.cleaned_data["latitude"], LATITUDES, _("latitude"))

    def clean_longitude(self) -> Decimal | None:
        return _within(self.cleaned_data["longitude"], LONGITUDES, _("longitude"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


def _within(value: Decimal | None, bounds: tuple[Decimal, Decimal], name: Any) -> Decimal | None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise forms.ValidationError(
            _("The %(name)s is outside Kota Cirebon (between %(low)s and %(high)s).")
            % {"name": name, "low": bounds[0], "high": bounds[1]}
        )
    return value


class OutageForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause"), choices=Outage.Cause.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
