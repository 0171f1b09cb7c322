from django.urls import path

from kotacerdas.births import views, views_registry, views_steps

app_name = "births"

urlpatterns = [
    path("kelahiran/", views.start, name="start"),
    path("kelahiran/baru/", views_steps.new_declaration, name="new"),
    path("kelahiran/daftar/", views.declaration_list, name="list"),
    path("kelahiran/<int:declaration_id>/", views.declaration_detail, name="detail"),
    path("kelahiran/<int:declaration_id>/ubah/", views_steps.edit_declaration, name="edit"),
    path(
        "kelahiran/<int:declaration_id>/langkah/<slug:step>/",
        views_steps.declaration_step,
        name="step",
    ),
    path("kelahiran/<int:declaration_id>/klaim/", views.claim_declaration, name="claim"),
    path("kelahiran/<int:declaration_id>/kirim-ulang/", views.reopen_claim, name="reopen-claim"),
    path("kelahiran/<int:declaration_id>/dokumen/", views.upload_document, name="upload"),
    path(
        "kelahiran/<int:declaration_id>/dokumen/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path(
        "kelahiran/<int:declaration_id>/dokumen/<int:document_id>/hapus/",
        views.remove_document,
        name="document-remove",
    ),
    path("kelahiran/<int:declaration_id>/kirim/", views.submit_declaration, name="submit"),
    path("kelahiran/<int:declaration_id>/akta.pdf", views.certificate_pdf, name="certificate"),
    path("kelahiran/<int:declaration_id>/pembetulan/", views.request_correction, name="correction"),
    # Disdukcapil
    path("kelahiran/antrean/", views_registry.queues, name="queues"),
    path("kelahiran/dasbor/", views_registry.dashboard, name="dashboard"),
    path("kelahiran/<int:declaration_id>/validasi/", views_registry.validate, name="validate"),
    path("kelahiran/<int:declaration_id>/kembalikan/", views_registry.send_back, name="send-back"),
    path("kelahiran/<int:declaration_id>/duplikat/", views_registry.duplicates, name="duplicates"),
    path(
        "kelahiran/<int:declaration_id>/setujui-terlambat/",
        views_registry.approve_late,
        name="approve-late",
    ),
    path("kelahiran/<int:declaration_id>/catat/", views_registry.register, name="register"),
    path("kelahiran/<int:declaration_id>/nik-anak/", views_registry.child_nik, name="child-nik"),
    path("kelahiran/<int:declaration_id>/cetak/", views_registry.mark_printed, name="print"),
    path("kelahiran/<int:declaration_id>/cabut/", views_registry.revoke, name="revoke"),
    path(
        "kelahiran/<int:declaration_id>/pembetulan/<int:correction_id>/putuskan/",
        views_registry.decide_correction,
        name="decide-correction",
    ),
    # Public: what the certificate's QR opens.
    path("akta/v/", views_registry.verify_form, name="verify-form"),
    path("akta/v/<str:token>/", views_registry.verify, name="verify"),
]
