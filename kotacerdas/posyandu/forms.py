from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.inputs import is_digits
from kotacerdas.people.fields import NIKField
from kotacerdas.people.models import Person
from kotacerdas.posyandu.models import Measure, Measurement, ScheduleDose


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DecimalMarkField(forms.DecimalField):
    """A number typed with a decimal comma (Indonesian: "8,75") or a dot ("8.75").

    Shown in the page's language (a comma in Indonesian), in a text input with the
    decimal keypad: a number input refuses a comma in many browsers.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(localize=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value.count(",") + value.count(".") > 1:
                raise ValidationError(
                    _("Type one decimal mark only (a comma or a dot), e.g. 8,75."),
                    code="invalid",
                )
            value = value.replace(",", ".")
        return super().to_python(value)


def _decimal(label: Any, places: int, *, required: bool = False, help_text: Any = "") -> Any:
    field = DecimalMarkField(
        label=label, max_digits=6, decimal_places=places, required=required, help_text=help_text
    )
    field.widget.attrs.update(inputmode="decimal", autocomplete="off")
    return field


class MeasurementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    weight = _decimal(_("Weight (kg)"), 2, required=True, help_text=_("e.g. 8.75"))
    lenhei = _decimal(_("Length or height (cm)"), 1)
    measure = forms.ChoiceField(
        label=_("Measured"),
        choices=Measure.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Under two years: lying. From two years: standing."),
    )
    headc = _decimal(_("Head circumference (cm)"), 1)
    armc = _decimal(_("Arm circumference, LiLA (cm)"), 1)
    vitamin_a = forms.BooleanField(label=_("Vitamin A given"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)
    confirm = forms.BooleanField(
        label=_("I measured again: these values are right"), required=False
    )
    warned = forms.CharField(required=False, widget=forms.HiddenInput)

    # What a correction of this month's weighing starts from: saving replaces the
    # whole month, so a blank form would erase the length, LiLA and vitamin A.
    STORED = ("date", "weight", "lenhei", "measure", "headc", "armc", "vitamin_a", "notes")

    @classmethod
    def initial_from(cls, measurement: Measurement | None) -> dict[str, Any]:
        if measurement is None:
            return {}
        return {name: getattr(measurement, name) for name in cls.STORED}

    def __init__(self, *args: Any, measure: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        # Preselected from the child's age and last visit (posyandu.plausibility):
        # without it the first save of a length failed on the missing method.
        if measure and not self.initial.get("measure"):
            self.initial["measure"] = measure

    def values_key(self) -> str:
        """What the cadre confirms: the values warned about, not any later ones."""
        data = self.cleaned_data
        text = "|".join(
            str(data.get(name) or "")
            for name in ("date", "weight", "lenhei", "measure", "headc", "armc")
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def confirmed(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("confirm")) and data.get("warned") == self.values_key()


def _parents(child: Person, sex: str) -> QuerySet[Person]:
    birth = child.birth_date
    return Person.objects.filter(
        rt__rw_id=child.rt.rw_id,
        sex=sex,
        birth_date__lte=birth - dt.timedelta(days=10 * 365),
        birth_date__gte=birth - dt.timedelta(days=70 * 365),
    ).order_by("name", "pk")


class ParentLabel(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} ({obj.birth_date:%Y}, RT {obj.rt.number:02d})"


class ParentsForm(forms.Form):
    mother = ParentLabel(label=_("Mother"), queryset=Person.objects.none(), required=False)
    father = ParentLabel(label=_("Father"), queryset=Person.objects.none(), required=False)
    has_kia_book = forms.BooleanField(label=_("Has a KIA book (KMS)"), required=False)

    def __init__(self, child: Person, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ParentLabel, self.fields["mother"]).queryset = _parents(child, "F").select_related(
            "rt"
        )
        cast(ParentLabel, self.fields["father"]).queryset = _parents(child, "M").select_related(
            "rt"
        )


class RemoveMeasurementForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why remove it"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kotacerdas.posyandu.actions import REMOVE_REASONS

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reason"]).choices = list(REMOVE_REASONS.items())


class DoseForm(forms.Form):
    dose = forms.ModelChoiceField(label=_("Dose"), queryset=ScheduleDose.objects.none())
    date = forms.DateField(label=_("Date given"), widget=DateInput())

    def __init__(self, doses: QuerySet[ScheduleDose], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["dose"]).queryset = doses
        self.fields["date"].initial = timezone.localdate()


class WomanLabel(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} ({obj.birth_date:%Y}, RT {obj.rt.number:02d})"


class PregnancyForm(forms.Form):
    woman = WomanLabel(label=_("Woman"), queryset=Person.objects.none())
    lmp = forms.DateField(
        label=_("First day of last period (HPHT)"), required=False, widget=DateInput()
    )
    edd = forms.DateField(
        label=_("Expected date of delivery (HPL)"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to compute it from the HPHT (+ 280 days)."),
    )

    def __init__(self, women: QuerySet[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        cast(WomanLabel, self.fields["woman"]).queryset = women.filter(
            birth_date__gte=today - dt.timedelta(days=55 * 365),
            birth_date__lte=today - dt.timedelta(days=10 * 365),
        ).order_by("name", "pk")


class VisitForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    lila = _decimal(_("Upper-arm circumference, LiLA (cm)"), 1)
    systolic = forms.IntegerField(
        label=_("Systolic (mmHg)"), required=False, min_value=50, max_value=260
    )
    diastolic = forms.IntegerField(
        label=_("Diastolic (mmHg)"), required=False, min_value=30, max_value=180
    )
    hb = _decimal(_("Haemoglobin (g/dL)"), 1)
    weight = _decimal(_("Weight (kg)"), 1)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_lila(self) -> Any:
        value = self.cleaned_data["lila"]
        if value is not None and not 10 <= value <= 60:
            raise forms.ValidationError(
                _("A LiLA of %(value)s cm cannot be right.") % {"value": value}
            )
        return value

    def clean_hb(self) -> Any:
        value = self.cleaned_data["hb"]
        if value is not None and not 3 <= value <= 25:
            raise forms.ValidationError(
                _("An Hb of %(value)s g/dL cannot be right.") % {"value": value}
            )
        return value

    def clean_weight(self) -> Any:
        value = self.cleaned_data["weight"]
        if value is not None and not 25 <= value <= 200:
            raise forms.ValidationError(
                _("A weight of %(value)s kg cannot be right.") % {"value": value}
            )
        return value


class EndPregnancyForm(forms.Form):
    ended_on = forms.DateField(label=_("Delivered or ended on"), widget=DateInput())


class AlertForm(forms.Form):
    note = forms.CharField(label=_("Follow-up"), max_length=300)


# No posyandu report before this year (and years 1-5 would break the date arithmetic).
SKDN_FIRST_YEAR = 2000


class MonthField(forms.DateField):
    input_formats = ["%Y-%m"]


class SkdnForm(forms.Form):
    bulan = MonthField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    wilayah = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, areas: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["wilayah"]).choices = areas

    def clean_bulan(self) -> dt.date | None:
        month: dt.date | None = self.cleaned_data["bulan"]
        first = dt.date(SKDN_FIRST_YEAR, 1, 1)
        this_month = timezone.localdate().replace(day=1)
        if month is not None and not first <= month <= this_month:
            raise forms.ValidationError(
                _("Choose a month between %(first)s and %(last)s.")
                % {"first": first.strftime("%m-%Y"), "last": this_month.strftime("%m-%Y")}
            )
        return month


class MotherNikForm(forms.Form):
    """The signed-in mother names herself in the register before seeing children."""

    nik = NIKField(
        label=_("Your NIK (the mother's)"),
        help_text=_("16 digits, from your KTP or family card."),
    )

    def clean_nik(self) -> str:
        nik = self.cleaned_data["nik"]
        if not is_digits(nik, 16):
            raise forms.ValidationError(_("A NIK is 16 digits."))
        return nik
