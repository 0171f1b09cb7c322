"""Form fields for the numbers of the register, shared by every service's forms.

Each accepts the number typed with spaces, dots or dashes (core.inputs) and
leaves room for them; the form's own clean_<field> then checks the digits
(check_nik, check_kk, normalise_mobile) as before.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kotacerdas.core.inputs import TYPED_MAX_LENGTH, strip_separators


class NumberField(forms.CharField):
    """Digits typed in groups. A model field's max_length (16) is not used: it
    would cut "3274 0141 0892 0001" in the browser; the check of the digits
    keeps the stored value to its length."""

    input_mode = "numeric"

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_length=TYPED_MAX_LENGTH, **kwargs)
        self.widget.attrs.update(inputmode=self.input_mode, autocomplete="off")

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return strip_separators(value) or self.empty_value


class NIKField(NumberField):
    """A NIK (16 digits) as typed."""


class KKField(NumberField):
    """A No. KK (16 digits) as typed."""


class PhoneField(forms.CharField):
    """A phone number as typed ("0812-3456-7890", "+62 812 3456 7890"); the
    form normalises it (phonenumbers reads the separators itself)."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_length=TYPED_MAX_LENGTH, **kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
