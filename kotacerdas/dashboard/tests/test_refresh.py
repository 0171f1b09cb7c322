"""The hourly and nightly runs copy the services' figures into FigureValue."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from kotacerdas.dashboard.catalogue import figure_catalogue
from kotacerdas.dashboard.models import FigureRun, FigureValue
from kotacerdas.dashboard.refresh import refresh, refresh_one, years_to_refresh
from kotacerdas.dashboard.tests.conftest import KEJAKSAN, YEAR
from kotacerdas.web.figures import Figure

pytestmark = pytest.mark.django_db


def test_the_hourly_run_does_this_year_and_last_year_only_early_in_january(settings: Any) -> None:
    settings.DASHBOARD_YEARS = 3
    assert years_to_refresh(full=False, today=dt.date(2026, 6, 1)) == [2026]
    assert years_to_refresh(full=False, today=dt.date(2026, 1, 5)) == [2025, 2026]
    assert years_to_refresh(full=True, today=dt.date(2026, 6, 1)) == [2024, 2025, 2026]


def test_every_declared_figure_is_in_the_catalogue_with_its_definition_and_source() -> None:
    catalogue = figure_catalogue()

    assert {"births.births_reported", "posyandu.children_weighed", "reports.cases_opened"} <= set(
        catalogue
    )
    weighed = catalogue["posyandu.children_weighed"]
    assert weighed.definition.startswith("D: children weighed")
    assert str(weighed.programme) == "E-Posyandu"
    assert weighed.specific and weighed.small == 11
    assert catalogue["posyandu.children_under_five"].stock


def test_a_refresh_replaces_the_year_of_a_figure_and_records_when() -> None:
    info = figure_catalogue()["births.births_reported"]
    answers = [
        [Figure(KEJAKSAN, dt.date(YEAR, 1, 1), 4), Figure(KEJAKSAN, dt.date(YEAR, 2, 1), 2)],
        [Figure(KEJAKSAN, dt.date(YEAR, 2, 1), 3)],
    ]
    info = replace(info, function=lambda year: answers.pop(0))

    refresh_one(info, YEAR)
    first = FigureRun.objects.get(figure=info.key, year=YEAR).computed_at
    refresh_one(info, YEAR)

    rows = FigureValue.objects.filter(figure=info.key)
    assert [(row.month.month, row.value) for row in rows] == [(2, 3)]
    run = FigureRun.objects.get(figure=info.key, year=YEAR)
    assert run.rows == 1 and run.computed_at >= first and not run.error


def test_a_failing_figure_keeps_its_values_and_records_the_error() -> None:
    info = figure_catalogue()["births.births_reported"]
    refresh_one(info, YEAR)  # nothing yet: a run with no rows
    FigureValue.objects.create(
        figure=info.key,
        kelurahan=KEJAKSAN,
        month=dt.date(YEAR, 1, 1),
        value=9,
        computed_at=FigureRun.objects.get(figure=info.key).computed_at,
    )

    def broken(year: int) -> list[Figure]:
        raise RuntimeError("database gone")

    done = refresh_one(replace(info, function=broken), YEAR)

    assert "database gone" in done.error
    assert FigureValue.objects.get(figure=info.key).value == 9
    assert "database gone" in FigureRun.objects.get(figure=info.key).error


def test_the_commands_compute_every_figure_from_the_services_records(
    make_person: Any, rt: Any
) -> None:
    out = StringIO()
    call_command("dashboard_refresh", stdout=out)
    call_command("dashboard_rebuild", stdout=out)

    assert "figure-years" in out.getvalue()
    assert FigureRun.objects.filter(year=YEAR).count() == len(figure_catalogue())


def test_refresh_reads_the_real_figure_functions() -> None:
    done = refresh([YEAR], ["posyandu.children_under_five"])
    assert [d.figure for d in done] == ["posyandu.children_under_five"]
    assert not done[0].error
