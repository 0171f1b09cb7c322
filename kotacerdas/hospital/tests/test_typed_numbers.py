"""The patient's NIK and phone typed in groups at the counter or online."""

from __future__ import annotations

from kotacerdas.hospital.forms import PatientForm
from kotacerdas.hospital.models import Booking


def test_a_nik_and_phone_typed_with_separators_are_accepted():
    form = PatientForm(
        {
            "nik": "3274.0145.0318-0002",
            "visit_type": Booking.VisitType.INTERNAL,
            "phone": "0812 3456-7890",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["nik"] == "3274014503180002"
    assert form.cleaned_data["phone"] == "+6281234567890"
    assert 'maxlength="32"' in str(form["nik"])
