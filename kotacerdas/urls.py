from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kotacerdas.api import api_urls

handler403 = "kotacerdas.web.views.error_403"
handler404 = "kotacerdas.web.views.error_404"
handler500 = "kotacerdas.web.views.error_500"

urlpatterns = [
    path("", include("kotacerdas.web.urls")),
    path("", include("kotacerdas.people.urls")),
    path("", include("kotacerdas.messaging.urls")),
    path("", include("kotacerdas.reports.urls")),
    path("", include("kotacerdas.posyandu.urls")),
    path("", include("kotacerdas.births.urls")),
    path("", include("kotacerdas.hospital.urls")),
    path("api/v1/", api_urls()),
    path("sms/", include("kotacerdas.messaging.gateway_urls")),
    path("open311/v2/", include("kotacerdas.reports.open311_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
