"""Wadul Bae's lines on the "my work" page: reports to triage and cases, late ones counted."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from kotacerdas.conftest import signed_in
from kotacerdas.reports import work
from kotacerdas.reports.models import Report


def english(label: object) -> str:
    with override("en"):
        return str(label)


def _report() -> Report:
    Client().post(
        reverse("reports:report"), {"story": "Anak dipukul setiap malam.", "age_group": "5-12"}
    )
    return Report.objects.latest("pk")


def test_an_officer_sees_the_reports_to_triage_and_how_many_are_late(officer):
    _report()
    late = _report()
    Report.objects.filter(pk=late.pk).update(verify_due=dt.date(2020, 1, 6))

    items = {english(item.label): item for item in work.protection_work(officer)}
    page = signed_in(officer, verified=True).get(reverse("web:my-work")).text

    assert (items["Reports to triage"].count, items["Reports to triage"].late) == (2, 1)
    assert items["Cases waiting for a first step"].count == 0
    assert "Laporan untuk ditriase" in page and reverse("reports:triage") in page


def test_another_unit_and_the_head_see_no_reports_to_triage(other_officer, head_of_service, dp3a):
    _report()

    others = {english(item.label): item.count for item in work.protection_work(other_officer)}
    head = [english(item.label) for item in work.protection_work(head_of_service)]

    assert others["Reports to triage"] == 0
    assert head == ["Cases waiting for a first step"]  # read-only: no triage line


def test_someone_outside_the_protection_unit_gets_no_line(rw_operator, dp3a):
    _report()

    assert work.protection_work(rw_operator) == []
    assert work.school_work(rw_operator) == []
