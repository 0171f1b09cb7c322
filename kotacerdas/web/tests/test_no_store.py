"""Nothing answered to a signed-in user may be kept by a browser or proxy cache.

Every URL pattern of the site is requested as a member of staff and as a
citizen; whatever the answer (a page, a download, 403, 404, 405, a redirect),
it must say ``no-store``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from kotacerdas.conftest import signed_in
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen

# Views marked public_cacheable: the same answer for everyone.
PUBLIC = {"open311:services", "open311:service"}


def _patterns(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}"


ROUTES = sorted(set(_patterns(get_resolver().url_patterns)))


def _sample_path(route: str, sample_id: int) -> str:
    """A path that this route matches, with ``sample_id`` for every number in it."""
    # Regular-expression routes (the admin's): one alternative of each group, no anchors.
    path = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    samples = {"int": str(sample_id), "open311_format": "json"}
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples.get(m.group(1) or "", "x"), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def _assert_every_answer_is_no_store(client: Client, sample_id: int) -> None:
    leaks = []
    for route, name in ROUTES:
        path = _sample_path(route, sample_id)
        assert resolve(path).route == route.replace("^", ""), f"{path} does not reach {route}"
        response = client.get(path)
        cache_control = response.get("Cache-Control", "")
        if name in PUBLIC:
            assert "no-store" not in cache_control, name
        elif "no-store" not in cache_control or "Cookie" not in response.get("Vary", ""):
            leaks.append(f"{route} ({response.status_code}): {cache_control!r}")
    assert not leaks, "\n".join(leaks)


@pytest.fixture
def resident(rt: Any, make_person: Any) -> Any:
    return make_person(rt("32.74.01.1001", 1, 1), name="Siti Aminah")


def test_every_answer_to_a_member_of_staff_is_no_store(rw_operator, resident):
    client = signed_in(rw_operator)
    client.raise_request_exception = False

    _assert_every_answer_is_no_store(client, resident.pk)


def test_every_answer_to_a_citizen_is_no_store(db, resident):
    citizen = Citizen.objects.create(phone="+6281234567890")
    client = Client(raise_request_exception=False)
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()

    _assert_every_answer_is_no_store(client, resident.pk)


def test_a_residents_page_is_no_store_and_varies_by_cookie(rw_operator, resident):
    response = signed_in(rw_operator).get(f"/penduduk/{resident.pk}/")

    assert response.status_code == 200
    assert "Siti Aminah" in response.text
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_a_stricter_header_of_the_view_is_kept(rw_operator):
    response = signed_in(rw_operator).get("/kode/")  # never_cache

    assert "no-store" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]


def test_an_anonymous_visitor_of_a_public_page_is_left_alone(db):
    response = Client().get("/wadul/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_family_page_and_the_citizen_home_are_no_store(rw_operator, rt, make_family):
    family = make_family(rt("32.74.01.1001", 1, 1))
    staff = signed_in(rw_operator).get(f"/keluarga/{family.pk}/")
    citizen = Citizen.objects.create(phone="+6281234567890")
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    home = client.get("/warga/")

    for response in (staff, home):
        assert response.status_code == 200
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }
