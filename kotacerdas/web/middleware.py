from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kotacerdas.people.access import CITIZEN_SESSION_KEY


class TrustedProxyMiddleware:
    """Behind our reverse proxy, the client is the address the proxy saw.

    Only when the request comes from an address in ``TRUSTED_PROXIES`` is
    the last entry of X-Forwarded-For (the one our proxy appended) taken as
    the client; anything earlier in that header was written by the client
    and is ignored. Lock-outs and audit events then name the real client,
    not the proxy that every request passes through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and request.META.get("REMOTE_ADDR") in self.trusted:
            request.META["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return self.get_response(request)


def public_cacheable[View: Callable[..., Any]](view: View) -> View:
    """Let this view's answers be cached even for a signed-in user.

    Only for pages that are the same for everyone (a list of report
    categories); NoStoreForSignedInMiddleware leaves them alone.
    """
    view.public_cacheable = True  # type: ignore[attr-defined]
    return view


class NoStoreForSignedInMiddleware:
    """Nothing answered to a signed-in user stays in a browser's or a proxy's cache.

    RW computers and kiosks are shared: the next person must not find a
    resident's page, a case or a citizen's bookings in the browser's history
    cache. Every answer to a signed-in member of staff or citizen (errors and
    redirects too) gets ``Cache-Control: private, no-store`` and ``Vary: Cookie``,
    unless the view is marked ``public_cacheable``. A stricter header the view
    set itself (``never_cache``: no-store too) is kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is signed in: the session (and with
        # it Vary: Cookie) is not touched for anonymous visitors of public pages.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and _signed_in(request)
        response = self.get_response(request)
        if getattr(request, "public_cacheable", False):
            return response
        session = getattr(request, "session", None)
        if not signed_in and session is not None and session.accessed:
            signed_in = _signed_in(request)  # whoever signed in during this request
        if signed_in:
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        request.public_cacheable = getattr(view, "public_cacheable", False)  # type: ignore[attr-defined]


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated) or CITIZEN_SESSION_KEY in request.session
    )


class ChosenLanguageMiddleware:
    """Indonesian for everyone, English only for whoever chose it with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a phone
    set to English (common in Indonesia) got an English site with Indonesian
    words from the register and the WHO charts in between. Here the only
    input is the language cookie that ``set_language`` (the header's switch)
    writes; the answer varies by that cookie, not by Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.offered = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.offered else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


SESSION_REFRESHED_KEY = "_refreshed"


class IdleSessionMiddleware:
    """Staff are signed out after ``SESSION_COOKIE_AGE`` without a request, at little cost.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) kept
    the idle time-out exact, but cost a write per request: 14 % of the
    workers' time in a booking rush. Here a session is saved (its expiry moved
    to now + ``SESSION_COOKIE_AGE``) only when the last save is more than
    ``SESSION_REFRESH_SECONDS`` old. A session then ends between
    ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE``
    after its last request: never later than before. Empty sessions (anonymous
    visitors) are not touched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            session = request.session
            now = int(time.time())
            if not session.is_empty() and (
                now - session.get(SESSION_REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS
            ):
                session[SESSION_REFRESHED_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)
