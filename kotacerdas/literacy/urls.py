from django.urls import path

from kotacerdas.literacy import views

app_name = "literacy"

urlpatterns = [
    path("melet/wifi/", views.wifi_map, name="wifi"),
    path("melet/wifi/<str:code>/lapor-mati/", views.report_down, name="report-down"),
    path("melet/wifi/<str:code>/terlapor/", views.reported_down, name="reported-down"),
    path("melet/titik/", views.point_list, name="points"),
    path("melet/titik/baru/", views.point_add, name="point-add"),
    path("melet/titik/<int:point_id>/", views.point_detail, name="point"),
    path("melet/titik/<int:point_id>/ubah/", views.point_edit, name="point-edit"),
    path("melet/titik/<int:point_id>/gangguan/", views.outage_open, name="outage-open"),
    path("melet/bukti/", views.evidence_pack, name="evidence"),
    path("melet/bukti.pdf", views.evidence_pdf, name="evidence-pdf"),
    path("melet/bukti.xlsx", views.evidence_xlsx, name="evidence-xlsx"),
    path("melet/kelas/", views.class_list, name="classes"),
    path("melet/kelas/<int:session_id>/", views.class_detail, name="class"),
    path("melet/tiket/", views.my_tickets, name="my-tickets"),
    path("melet/tiket/<str:code>/", views.ticket, name="ticket"),
    path("melet/tiket/<str:code>/batal/", views.ticket_cancel, name="ticket-cancel"),
    path("melet/tiket/<str:code>/sertifikat.pdf", views.certificate_pdf, name="certificate"),
    path("melet/tiket/<str:code>/kuis/<int:quiz_id>/", views.quiz_take, name="quiz"),
    path("melet/cek-sertifikat/", views.certificate_verify_form, name="certificate-verify-form"),
    path("melet/cek-sertifikat/<str:token>/", views.certificate_verify, name="certificate-verify"),
    path("melet/indeks/", views.literacy_index, name="index"),
    path("melet/kelola/kelas/", views.class_staff_list, name="class-staff-list"),
    path("melet/kelola/kelas/baru/", views.class_add, name="class-add"),
    path("melet/kelola/kelas/<int:session_id>/", views.class_staff_detail, name="class-staff"),
    path("melet/kelola/kelas/<int:session_id>/ubah/", views.class_edit, name="class-edit"),
    path("melet/kelola/kelas/<int:session_id>/daftar/", views.door_register, name="door-register"),
    path("melet/kelola/kelas/<int:session_id>/pindai/", views.checkin_page, name="checkin"),
    path(
        "melet/kelola/kelas/<int:session_id>/pindai/kirim/",
        views.checkin_sync,
        name="checkin-sync",
    ),
    path("melet/gangguan/<int:outage_id>/selesai/", views.outage_close, name="outage-close"),
]
