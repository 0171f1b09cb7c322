from django.urls import path

from kotacerdas.messaging import views

app_name = "messaging"

urlpatterns = [
    path("pesan/", views.message_log, name="log"),
    path("pesan/gagal/", views.failed_messages, name="failed"),
    path("pesan/<int:message_id>/kirim-ulang/", views.resend, name="resend"),
    path("pesan/berkas/", views.file_outbox, name="file-outbox"),
    path("warga/masuk/", views.citizen_sign_in, name="citizen-sign-in"),
    path("warga/kode/", views.citizen_code, name="citizen-code"),
    path("warga/", views.citizen_home, name="citizen-home"),
    path("warga/keluar/", views.citizen_sign_out, name="citizen-sign-out"),
]
