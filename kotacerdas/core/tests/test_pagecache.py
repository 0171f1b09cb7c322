"""The shared page cache: what it keeps, for whom, and for how long."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kotacerdas.core import pagecache

calls: list[str] = []


@pagecache.shared_for("toy")
def toy(request: HttpRequest) -> HttpResponse:
    calls.append(request.path)
    if request.GET.get("status"):
        return HttpResponse("not here", status=int(request.GET["status"]))
    response = HttpResponse(f"page {len(calls)}")
    if request.GET.get("cookie"):
        response.set_cookie("flavour", "kretek")
    return response


def _get(path: str, **cookies: str) -> HttpResponse:
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    return toy(request)


def setup_function() -> None:
    calls.clear()


def test_an_anonymous_page_is_built_once_within_its_seconds(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = {"toy": 5}
    first, second = _get("/toy/"), _get("/toy/")
    assert first.content == second.content == b"page 1" and calls == ["/toy/"]
    assert "no-store" in second["Cache-Control"]  # browsers ask again; only we cache
    assert _get("/toy/?other=1").content == b"page 2"  # per URL


def test_an_entry_older_than_the_stated_seconds_is_built_again(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = {"toy": 5}
    assert _get("/toy/").content == b"page 1"
    now = pagecache._now()
    with mock.patch.object(pagecache, "_now", return_value=now + 4.9):
        assert _get("/toy/").content == b"page 1"
    with mock.patch.object(pagecache, "_now", return_value=now + 5.1):
        assert _get("/toy/").content == b"page 2"


def test_signed_in_visitors_errors_and_cookies_are_never_cached(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = {"toy": 5}
    _get("/toy/", sessionid="abc")
    _get("/toy/", sessionid="abc")
    assert len(calls) == 2
    _get("/toy/?status=404")
    _get("/toy/?status=404")
    assert len(calls) == 4
    _get("/toy/?cookie=1")
    _get("/toy/?cookie=1")
    assert len(calls) == 6
    assert _get("/toy/").content == b"page 7"  # the signed-in page did not go in


def test_zero_seconds_turns_the_cache_off(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = {"toy": 0}
    _get("/toy/")
    _get("/toy/")
    assert len(calls) == 2


def test_the_url_is_hashed_in_the_key(settings: Any) -> None:
    request = RequestFactory().get("/akta/v/SECRETTOKEN/")
    assert "SECRETTOKEN" not in pagecache._key("toy", request)
