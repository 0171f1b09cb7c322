from __future__ import annotations

from django.urls import path

from kotacerdas.dashboard import views, views_partners

app_name = "dashboard"

urlpatterns = [
    path("dasbor/", views.city, name="city"),
    path("dasbor/program/<slug:app>/", views.programme, name="programme"),
    path("dasbor/wilayah/", views.my_area, name="my-area"),
    path("dasbor/kelurahan/<str:code>/", views.kelurahan, name="kelurahan"),
    path("dasbor/unduh/<str:key>/<slug:table>.<str:fmt>", views.download, name="download"),
    path("masterplan-2028/", views_partners.masterplan, name="masterplan"),
    path("dasbor/mitra/", views_partners.partners, name="partners"),
    path("dasbor/mitra/<int:partner_id>/", views_partners.partner, name="partner"),
    path(
        "dasbor/mitra/perjanjian/<int:agreement_id>/dokumen/",
        views_partners.agreement_document,
        name="agreement-document",
    ),
]
