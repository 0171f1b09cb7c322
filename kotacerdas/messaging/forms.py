from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core.inputs import is_digits
from kotacerdas.messaging.models import Message
from kotacerdas.messaging.phones import normalise_mobile
from kotacerdas.people.fields import PhoneField


class PhoneForm(forms.Form):
    phone = PhoneField(
        label=gettext_lazy("Mobile number"),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0812…"}
        ),
    )

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from the SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not is_digits(code):
            raise ValidationError(_("The code is six digits."))
        return code


class LogFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[("", gettext_lazy("All")), *Message.Direction.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *Message.Status.choices],
        required=False,
    )
