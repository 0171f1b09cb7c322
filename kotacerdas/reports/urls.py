from django.urls import path

from kotacerdas.reports import views, views_stats

app_name = "reports"

urlpatterns = [
    path("wadul/", views.report_form, name="report"),
    path("wadul/terkirim/", views.report_sent, name="sent"),
    path("wadul/cek/", views.status, name="status"),
    path("wadul/triase/", views.triage_queue, name="triage"),
    path("wadul/laporan/<int:report_id>/", views.report_detail, name="report-detail"),
    path("wadul/kasus/", views.case_list, name="cases"),
    path("wadul/kasus/<int:case_id>/", views.case_detail, name="case"),
    path("wadul/kasus/<int:case_id>/tahap/", views.case_stage, name="case-stage"),
    path("wadul/kasus/<int:case_id>/catatan/", views.case_note, name="case-note"),
    path("wadul/kasus/<int:case_id>/petugas/", views.case_assign, name="case-assign"),
    path("wadul/kasus/<int:case_id>/orang/", views.case_person, name="case-person"),
    path("wadul/kasus/<int:case_id>/dokumen/", views.case_document, name="case-document"),
    path(
        "wadul/kasus/<int:case_id>/dokumen/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path("wadul/sekolah/", views.school_home, name="school"),
    path(
        "wadul/sekolah/pelapor/<int:pupil_id>/nonaktif/",
        views.pupil_deactivate,
        name="pupil-deactivate",
    ),
    path("wadul/statistik/", views_stats.show_statistics, name="stats"),
    path("wadul/statistik/ekspor.xlsx", views_stats.export_statistics, name="stats-export"),
    path("wadul/statistik/simfoni.xlsx", views_stats.export_simfoni, name="stats-simfoni"),
]
