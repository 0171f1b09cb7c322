"""Open data fixtures: services' figures stood in by fixed tables, and published datasets.

``fake_figures`` replaces the services' figure functions that open data finds
(``catalogue.stats_functions``) with functions returning fixed rows, so a test
chooses each count; the real functions are exercised in test_build.py
(the register's residents) and by the services' own tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kotacerdas.accounts.models import Unit, User
from kotacerdas.accounts.roles import Role
from kotacerdas.opendata import catalogue
from kotacerdas.opendata.build import build
from kotacerdas.opendata.models import DataList, Dataset
from kotacerdas.web.figures import Figure

KEJAKSAN = "32.74.01.1001"
HARJAMUKTI = "32.74.03.1002"
KESAMBI = "32.74.04.1001"
YEAR = timezone.localdate().year
MONTH = timezone.localdate().month


class Figures:
    """{figure key: {(kelurahan, year, month): value}} that the fake functions answer from."""

    def __init__(self) -> None:
        self.values: dict[str, dict[tuple[str, int, int], int]] = {
            "posyandu.children_weighed": {},
            "reports.reports_received": {},
            "literacy.wifi_sessions": {},
        }

    def set(self, key: str, kelurahan: str, month: int, value: int, year: int = YEAR) -> None:
        self.values[key][(kelurahan, year, month)] = value

    def function(self, key: str) -> Callable[[int], list[Figure]]:
        def figure(year: int) -> list[Figure]:
            return [
                Figure(kelurahan, dt.date(y, m, 1), value)
                for (kelurahan, y, m), value in sorted(self.values[key].items())
                if y == year
            ]

        figure.__name__ = key.split(".")[1]
        figure.__doc__ = f"{key} per kelurahan and month."
        return figure

    def functions(self) -> dict[str, dict[str, Callable[[int], list[Figure]]]]:
        found: dict[str, dict[str, Callable[[int], list[Figure]]]] = {}
        for key in self.values:
            app, name = key.split(".")
            found.setdefault(app, {})[name] = self.function(key)
        return found


@pytest.fixture
def fake_figures(city: Any, monkeypatch: pytest.MonkeyPatch) -> Figures:
    figures = Figures()
    monkeypatch.setattr(catalogue, "stats_functions", figures.functions)
    return figures


@pytest.fixture
def filled(fake_figures: Figures) -> Figures:
    """Weighings (specific data, threshold 11) and WiFi sessions (general, 5), with small cells."""
    for month in range(1, MONTH + 1):
        fake_figures.set("posyandu.children_weighed", KEJAKSAN, month, 40 + month)
        fake_figures.set("posyandu.children_weighed", HARJAMUKTI, month, 30)
        fake_figures.set("literacy.wifi_sessions", KEJAKSAN, month, 100 + month)
        fake_figures.set("literacy.wifi_sessions", KESAMBI, month, 60)
    fake_figures.set("posyandu.children_weighed", KESAMBI, 1, 3)  # below 11
    fake_figures.set("literacy.wifi_sessions", HARJAMUKTI, 1, 2)  # below 5
    fake_figures.set("reports.reports_received", KEJAKSAN, 1, 7)
    fake_figures.set("posyandu.children_weighed", KEJAKSAN, 5, 25, year=YEAR - 1)
    return fake_figures


def publish_all(year: int = YEAR) -> list[Dataset]:
    """Approve every dataset and list them in an approved Daftar Data (straight to the tables)."""
    approver = User.objects.get_or_create(username="walidata-fixture")[0]
    Dataset.objects.update(status=Dataset.Status.APPROVED)
    data_list, _ = DataList.objects.get_or_create(year=year)
    data_list.datasets.set(Dataset.objects.all())
    data_list.approved_at = timezone.now()
    data_list.approved_by = approver
    data_list.save()
    return list(Dataset.objects.all())


@pytest.fixture
def published(filled: Figures) -> list[Dataset]:
    build([YEAR - 1, YEAR])
    return publish_all()


def _unit(code: str, kind: str = "agency") -> Unit:
    return Unit.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": code, "region_id": "32.74"}
    )[0]


@pytest.fixture
def steward(make_member: Callable[..., User]) -> User:
    return make_member("walidata", Role.DATA_STEWARD, _unit("dkis"))


@pytest.fixture
def dinkes(make_member: Callable[..., User]) -> User:
    """A Dinkes officer: produces the health datasets (posyandu, hospital)."""
    return make_member("dinkes", "health_officer", _unit("dinkes"))


@pytest.fixture
def dp3a(make_member: Callable[..., User]) -> User:
    """A protection officer of DP3A: produces Wadul Bae's datasets, not Dinkes'."""
    return make_member("dp3a", "protection_officer", _unit("dp3a"))
