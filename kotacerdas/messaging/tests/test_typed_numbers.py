"""The citizen's number typed with spaces, dots or dashes."""

from __future__ import annotations

from kotacerdas.messaging.forms import PhoneForm


def test_a_number_typed_in_groups_signs_in():
    for typed in ("0812 3456 7890", "0812.3456.7890", "+62 812-3456-7890"):
        form = PhoneForm({"phone": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["phone"] == "+6281234567890"
