"""Public pages served for a few seconds from the shared cache.

A page that many people open at once and that says the same to all of them
(the hospital's free beds, what a certificate's QR code opens) need not be
built for each of them. :func:`shared_for` keeps the finished page in the
``default`` cache (Redis in production, so every worker and machine shares
it) for ``settings.PAGE_CACHE_SECONDS[name]`` seconds, per URL and language.

What is cached is only ever what an anonymous visitor sees:

- only GET and HEAD requests with no cookie but the CSRF and language ones (a
  signed-in officer or citizen, or a visitor with a message waiting, gets a
  page built for them, never from or into the cache);
- every page carries forms with a CSRF token (the language switch): the token
  is stored as a placeholder and each visitor gets their own, so one visitor's
  token is never shown to another;
- only answers 200 that set no cookie (a 404 or a 429 is built each time, so
  a rate limit in the view still counts every try);
- the key is a hash of the host, path and query string and the language, so a
  token in a URL never sits in the cache's keys.

A change (a bed taken, a certificate revoked) therefore shows within the
stated seconds at most; the pages and docs/architecture.md say so. The age of
an entry is checked on reading (not only by the cache's own expiry), so the
bound holds even if the cache keeps entries a little longer.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import add_never_cache_headers

View = Callable[..., HttpResponse]
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_PLACEHOLDER = b"@@csrf-token@@"


def seconds(name: str) -> int:
    """How long pages of ``name`` are served from the cache (0: not cached)."""
    return int(settings.PAGE_CACHE_SECONDS.get(name, 0))


def _now() -> float:
    return time.time()


def _key(name: str, request: HttpRequest) -> str:
    url = f"{request.get_host()}{request.get_full_path()}|{translation.get_language()}"
    return f"page:{name}:{hashlib.sha256(url.encode()).hexdigest()}"


def _cacheable_request(request: HttpRequest) -> bool:
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= harmless


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
    )


def _without_token(content: bytes) -> bytes:
    """The page with its visitor's CSRF token (one per rendering) as a placeholder."""
    found = _TOKEN.search(content)
    return content.replace(found.group(1), _PLACEHOLDER) if found else content


def _served(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    content = stored["content"]
    if _PLACEHOLDER in content:
        # This visitor's own token; CsrfViewMiddleware sets its cookie if new.
        content = content.replace(_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, content_type=stored["content_type"])
    # As the view itself answers (never_cache): browsers ask again each time,
    # and it is this shared cache, not theirs, that bounds the staleness.
    add_never_cache_headers(response)
    return response


def shared_for(name: str) -> Callable[[View], View]:
    """Serve the decorated public view from the shared cache for ``seconds(name)``."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ttl = seconds(name)
            if ttl <= 0 or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(name, request)
            stored = cache.get(key)
            if stored is not None and _now() - stored["at"] < ttl:
                return _served(request, stored)
            response = view(request, *args, **kwargs)
            if _cacheable_response(response):
                content_type = response.get("Content-Type", "text/html; charset=utf-8")
                content = _without_token(response.content)
                entry = {"at": _now(), "content": content, "content_type": content_type}
                cache.set(key, entry, ttl)
            return response

        return wrapper

    return decorate
