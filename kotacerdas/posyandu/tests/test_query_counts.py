"""Query-count guards on the list pages the earlier guards left out: the count
must not grow with the number of children, pregnancies or weighings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotacerdas.conftest import signed_in
from kotacerdas.posyandu import actions
from kotacerdas.posyandu.models import AntenatalVisit, Pregnancy
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx)


def _add(n, make_child, make_person, rt, cadre, posyandu, start):
    today = timezone.localdate()
    for i in range(start, start + n):
        child = make_child(f"Anak {i}", birth_date=months_ago(3 + i, 1))
        actions.record_measurement(
            child, posyandu, {"date": months_ago(0, 1), "weight": Decimal("7.5")}, user=cadre
        )
        woman = make_person(
            rt("32.74.01.1001", 1, 2), f"Ibu {i}", sex="F", birth_date=dt.date(1995, 1, 1)
        )
        pregnancy = Pregnancy.objects.create(
            woman=woman,
            posyandu=posyandu,
            lmp=today - dt.timedelta(weeks=12),
            edd=today + dt.timedelta(weeks=28),
            recorded_by=cadre,
        )
        AntenatalVisit.objects.create(pregnancy=pregnancy, date=today, lila=22, recorded_by=cadre)


def test_list_pages_do_not_grow_with_their_rows(
    cadre, nutrition_officer, posyandu, make_child, make_person, rt
):
    _add(2, make_child, make_person, rt, cadre, posyandu, 0)
    p = posyandu.pk
    urls = [
        "/posyandu/",
        f"/posyandu/{p}/",
        f"/posyandu/{p}/imunisasi/",
        f"/posyandu/{p}/ibu-hamil/",
        "/posyandu/peringatan/",
        "/posyandu/skdn/",
        "/posyandu/stunting/",
    ]
    clients = [signed_in(cadre), signed_in(nutrition_officer)]
    for client in clients:  # a session's first request writes it (SessionKeepAliveMiddleware)
        client.get("/posyandu/")
    few = [_queries(c, u) for c in clients for u in urls]
    _add(8, make_child, make_person, rt, cadre, posyandu, 2)
    cache.clear()  # the SKDN tables come from the cache for a minute: count their making
    many = [_queries(c, u) for c in clients for u in urls]
    assert many == few, list(zip([u for _c in clients for u in urls], few, many, strict=True))
    assert max(many) <= 16
