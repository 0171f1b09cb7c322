from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from kotacerdas.api import api_urls
from kotacerdas.web.discovery import url_modules

handler403 = "kotacerdas.web.views.error_403"
handler404 = "kotacerdas.web.views.error_404"
handler500 = "kotacerdas.web.views.error_500"


def build_urlpatterns() -> list[URLPattern | URLResolver]:
    """The floor's URLs, then each service's (its ServiceConfig.url_modules), then the rest."""
    return [
        path("", include("kotacerdas.web.urls")),
        path("", include("kotacerdas.people.urls")),
        path("", include("kotacerdas.messaging.urls")),
        *(path(prefix, include(module)) for prefix, module in url_modules()),
        path("api/v1/", api_urls()),
        path("sms/", include("kotacerdas.messaging.gateway_urls")),
        path("i18n/setlang/", login_not_required(set_language), name="set_language"),
        path("admin/", admin.site.urls),
    ]


urlpatterns = build_urlpatterns()
