"""The register's figures for the city dashboard (web/stats.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.web import stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents(make_person, rt):
    year = timezone.localdate().year
    here = rt(KEJAKSAN, 1, 1)
    for name, sex, age in (
        ("Ani", "F", 3),
        ("Budi", "M", 34),
        ("Cici", "F", 31),
        ("Dodi", "M", 80),
    ):
        make_person(here, name, sex=sex, birth_date=dt.date(year - age, 5, 1))
    make_person(rt(HARJAMUKTI, 1, 1), "Euis", sex="F", birth_date=dt.date(year - 20, 5, 1))


def test_the_dashboard_figures(residents):
    year = timezone.localdate().year
    month = timezone.localdate().replace(day=1)

    by_sex = {(f.kelurahan, f.group): f.value for f in stats.residents(year)}
    by_age = {(f.kelurahan, f.group): f.value for f in stats.residents_by_age(year)}

    assert by_sex == {(KEJAKSAN, "F"): 2, (KEJAKSAN, "M"): 2, (HARJAMUKTI, "F"): 1}
    assert by_age[(KEJAKSAN, "30–34")] == 2
    assert {f.month for f in stats.residents(year)} == {month}
    assert stats.residents(year - 1) == []
