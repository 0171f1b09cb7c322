from __future__ import annotations

from django.urls import path

from kotacerdas.kelurahan import views_citizen, views_letters, views_office, views_staff

app_name = "kelurahan"

urlpatterns = [
    path("surat/", views_staff.queue, name="queue"),
    path("surat/baru/", views_staff.new_request, name="new"),
    path("surat/terlambat/", views_staff.late_list, name="late"),
    path("surat/<int:request_id>/", views_staff.request_detail, name="request"),
    path("surat/<int:request_id>/lampiran/", views_staff.upload, name="upload"),
    path(
        "surat/<int:request_id>/lampiran/<int:attachment_id>/",
        views_staff.attachment,
        name="attachment",
    ),
    path("surat/<int:request_id>/<slug:step>/", views_staff.act, name="act"),
    path("surat/terbit/<int:letter_id>/pdf/", views_letters.letter_pdf, name="letter-pdf"),
    path("surat/terbit/<int:letter_id>/cabut/", views_letters.revoke, name="revoke"),
    path("surat/terbit/<int:letter_id>/perbaiki/", views_letters.correct, name="correct"),
    path("surat/terbit/<int:letter_id>/pindaian/", views_letters.attach_scan, name="scan"),
    path("surat/jenis/", views_office.letter_types, name="types"),
    path("surat/jenis/<slug:code>/", views_office.edit_type, name="edit-type"),
    path("surat/agenda/", views_office.agenda, name="agenda"),
    path("surat/statistik/", views_office.statistics_page, name="stats"),
    path("cek-surat/", views_letters.verify, name="verify-form"),
    path("cek-surat/<str:token>/", views_letters.verify, name="verify"),
    path("warga/surat/", views_citizen.my_letters, name="citizen-list"),
    path("warga/surat/baru/", views_citizen.citizen_new, name="citizen-new"),
    path("warga/surat/<str:code>/", views_citizen.citizen_request, name="citizen-request"),
    path("warga/surat/<str:code>/pdf/", views_citizen.citizen_pdf, name="citizen-pdf"),
    path("warga/surat/<str:code>/<slug:step>/", views_citizen.citizen_act, name="citizen-act"),
]
