"""The SKDN page's tables from the shared cache: per area seen, and for a bounded time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.conftest import signed_in
from kotacerdas.posyandu import actions
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def _weigh(child, posyandu, cadre):
    actions.record_measurement(
        child, posyandu, {"date": months_ago(0, 1), "weight": Decimal("7.5")}, user=cadre
    )


def _tables(client) -> str:
    """The page's form and tables (the rest carries a per-visitor CSRF token)."""
    page = client.get("/posyandu/skdn/").content.decode()
    start = page.index('<form method="get"')
    return page[start : page.index("</main>", start)]


def test_a_second_look_is_served_from_the_cache_until_it_expires(
    cadre, posyandu, make_child, settings
):
    settings.POSYANDU_SKDN_CACHE_SECONDS = 60
    client = signed_in(cadre)
    client.get("/posyandu/")
    _weigh(make_child("Anak Satu", birth_date=months_ago(5, 1)), posyandu, cadre)
    with CaptureQueriesContext(connection) as first:
        before = _tables(client)
    with CaptureQueriesContext(connection) as second:
        assert _tables(client) == before
    assert len(second) < len(first)
    assert "Anak" not in before  # figures, never names

    _weigh(make_child("Anak Dua", birth_date=months_ago(7, 1)), posyandu, cadre)
    assert _tables(client) == before  # within the minute
    cache.clear()  # the minute has passed
    assert _tables(client) != before


def test_areas_do_not_share_tables(cadre, other_cadre, posyandu, make_child, settings):
    """A cadre of another posyandu never gets the first cadre's cached tables."""
    _weigh(make_child("Anak Satu", birth_date=months_ago(5, 1)), posyandu, cadre)
    mine = _tables(signed_in(cadre))
    theirs = _tables(signed_in(other_cadre))
    settings.POSYANDU_SKDN_CACHE_SECONDS = 0
    assert theirs == _tables(signed_in(other_cadre))
    assert mine != theirs


def test_the_cache_can_be_turned_off(cadre, posyandu, make_child, settings):
    settings.POSYANDU_SKDN_CACHE_SECONDS = 0
    client = signed_in(cadre)
    before = _tables(client)
    _weigh(make_child("Anak Satu", birth_date=months_ago(5, 1)), posyandu, cadre)
    assert _tables(client) != before
