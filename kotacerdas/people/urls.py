from django.urls import path

from kotacerdas.people import views, views_imports, views_proposals, views_stats

app_name = "people"

urlpatterns = [
    path("penduduk/", views.person_list, name="person-list"),
    path("penduduk/tambah/", views.person_create, name="person-create"),
    path("penduduk/<int:person_id>/", views.person_detail, name="person-detail"),
    path("penduduk/<int:person_id>/ubah/", views.person_edit, name="person-edit"),
    path("penduduk/<int:person_id>/peristiwa/", views.life_event_create, name="life-event-create"),
    path(
        "penduduk/<int:person_id>/usul/peristiwa/",
        views_proposals.person_propose_leave,
        name="person-propose-leave",
    ),
    path(
        "penduduk/<int:person_id>/usul/koreksi/",
        views_proposals.person_propose_correction,
        name="person-propose-correction",
    ),
    path("penduduk/usulan/", views_proposals.proposal_list, name="proposal-list"),
    path("penduduk/statistik/", views_stats.population_staff, name="population"),
    path("statistik-penduduk/", views_stats.population_public, name="population-public"),
    path(
        "penduduk/usulan/<int:proposal_id>/",
        views_proposals.proposal_detail,
        name="proposal-detail",
    ),
    path("penduduk/impor/", views.import_list, name="import-list"),
    path("penduduk/impor/templat/", views.import_template, name="import-template"),
    path("penduduk/impor/<int:job_id>/", views.import_detail, name="import-detail"),
    path("penduduk/impor/<int:job_id>/terapkan/", views_imports.import_apply, name="import-apply"),
    path("penduduk/impor/<int:job_id>/peta/", views_imports.import_mapping, name="import-mapping"),
    path(
        "penduduk/impor/konflik/",
        views_imports.import_conflict_list,
        name="import-conflict-list",
    ),
    path(
        "penduduk/impor/<int:job_id>/konflik/",
        views_imports.import_conflicts,
        name="import-conflicts",
    ),
    path(
        "penduduk/impor/<int:job_id>/konflik/<int:index>/",
        views_imports.import_conflict_decide,
        name="import-conflict-decide",
    ),
    path("penduduk/ekspor/", views.person_export, name="person-export"),
    path(
        "penduduk/ekspor/<str:file_format>/",
        views_imports.person_export_extract,
        name="person-export-extract",
    ),
    path("keluarga/", views.family_list, name="family-list"),
    path("keluarga/tambah/", views.family_create, name="family-create"),
    path("keluarga/<int:family_id>/", views.family_detail, name="family-detail"),
    path("keluarga/<int:family_id>/ubah/", views.family_edit, name="family-edit"),
    path(
        "keluarga/<int:family_id>/usul/<slug:change>/",
        views_proposals.family_propose,
        name="family-propose",
    ),
]
