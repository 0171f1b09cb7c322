from __future__ import annotations

from django.urls import path

from kotacerdas.opendata import views, views_api, views_staff

app_name = "opendata"

urlpatterns = [
    path("data/", views.catalogue, name="catalogue"),
    path("data/kelola/", views_staff.work, name="work"),
    path("data/kelola/daftar/<int:year>/", views_staff.data_list, name="data-list"),
    path("data/kelola/<slug:name>/", views_staff.edit, name="edit"),
    path("data/kelola/<slug:name>/tinjau/", views_staff.review, name="review"),
    path("data/<slug:name>/", views.dataset, name="dataset"),
    path(
        "data/<slug:name>/berkas/<str:resource_id>/unduh/<str:filename>",
        views.download,
        name="download",
    ),
    path("catalog.<str:fmt>", views.catalog, name="catalog"),  # ttl or jsonld
    path("api/3/action/<str:name>", views_api.action, name="action"),
    path("api/action/<str:name>", views_api.action, name="action-unversioned"),
]
