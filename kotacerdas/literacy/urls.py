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
    path("melet/gangguan/<int:outage_id>/selesai/", views.outage_close, name="outage-close"),
]
