"""The mother's NIK typed as it is printed on her KTP."""

from __future__ import annotations

from kotacerdas.posyandu.forms import MotherNikForm


def test_the_mothers_nik_is_accepted_with_spaces_dots_and_dashes():
    for typed in ("3274 0145 0318 0002", "3274.0145.0318.0002", "3274-0145-0318-0002"):
        form = MotherNikForm({"nik": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["nik"] == "3274014503180002"


def test_digits_that_are_not_0_to_9_are_refused():
    assert not MotherNikForm({"nik": "327401450318000²"}).is_valid()
