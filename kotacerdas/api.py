"""The JSON API under /api/v1/: one NinjaAPI, a router per app."""

from __future__ import annotations

from ninja import NinjaAPI

from kotacerdas.people.api import router as people_router
from kotacerdas.regions.api import router as regions_router
from kotacerdas.web.discovery import api_routers

api = NinjaAPI(
    title="Kota Cerdas Cirebon API",
    version="1.0.0",
    description="Public and staff endpoints of the Kota Cerdas Cirebon platform.",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/regions/", regions_router)
api.add_router("/", people_router)
# Each service's routers, as its ServiceConfig declares them.
for prefix, router in api_routers():
    api.add_router(prefix, router)


def _without_login_redirect(patterns: list) -> list:  # type: ignore[type-arg]
    """The API answers 401/403 itself (ninja's auth); LoginRequiredMiddleware,
    which redirects pages to the sign-in form, must leave it alone."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _without_login_redirect(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


def api_urls() -> tuple[list, str, str]:  # type: ignore[type-arg]
    patterns, app_name, namespace = api.urls
    return _without_login_redirect(patterns), app_name, namespace
