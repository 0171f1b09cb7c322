"""NIKs and phone numbers typed in groups in Wadul Bae's forms."""

from __future__ import annotations

from django.test import RequestFactory

from kotacerdas.conftest import KEJAKSAN
from kotacerdas.reports.forms import CasePersonForm, ReportForm


def test_a_case_person_found_by_a_nik_typed_with_dots(rt, make_person, officer):
    person = make_person(rt(KEJAKSAN, 1, 1), nik="3274014503180002")

    form = CasePersonForm(
        {"part": "victim", "nik": "3274.0145.0318.0002", "age_group": "5-12"},
        actor=officer,
        request=RequestFactory().post("/"),
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == person


def test_the_reporters_number_typed_in_groups(db):
    form = ReportForm(
        {
            "story": "Ada anak dipukul setiap malam.",
            "age_group": "5-12",
            "reporter_phone": "0812 3456-7890",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["reporter_phone"] == "+6281234567890"
