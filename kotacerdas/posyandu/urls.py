from django.urls import path

from kotacerdas.posyandu import views

app_name = "posyandu"

urlpatterns = [
    path("posyandu/", views.home, name="home"),
    path("posyandu/<int:posyandu_id>/", views.posyandu_day, name="day"),
    path("posyandu/<int:posyandu_id>/imunisasi/", views.immunisation_due, name="immunisation-due"),
    path("posyandu/<int:posyandu_id>/ibu-hamil/", views.pregnancies, name="pregnancies"),
    path("posyandu/anak/<int:child_id>/", views.child_detail, name="child"),
    path("posyandu/anak/<int:child_id>/timbang/", views.weigh, name="weigh"),
    path(
        "posyandu/anak/<int:child_id>/timbang/hapus/", views.remove_weighing, name="remove-weighing"
    ),
    path("posyandu/anak/<int:child_id>/hasil/", views.weighed, name="weighed"),
    path("posyandu/anak/<int:child_id>/grafik/", views.growth_chart, name="chart"),
    path("posyandu/anak/<int:child_id>/orang-tua/", views.parents, name="parents"),
    path("posyandu/anak/<int:child_id>/imunisasi/", views.give_dose, name="give-dose"),
    path("posyandu/ibu-hamil/<int:pregnancy_id>/", views.pregnancy_detail, name="pregnancy"),
    path(
        "posyandu/ibu-hamil/<int:pregnancy_id>/kunjungan/",
        views.pregnancy_visit,
        name="pregnancy-visit",
    ),
    path(
        "posyandu/ibu-hamil/<int:pregnancy_id>/selesai/", views.pregnancy_end, name="pregnancy-end"
    ),
    path("posyandu/peringatan/", views.alert_list, name="alerts"),
    path("posyandu/peringatan/<int:alert_id>/tangani/", views.alert_handle, name="alert-handle"),
    path("posyandu/skdn/", views.skdn_report, name="skdn"),
    path("posyandu/skdn.xlsx", views.skdn_export, name="skdn-export"),
    path("posyandu/stunting/", views.stunting, name="stunting"),
    path("posyandu/anak-saya/", views.my_children, name="mine"),
    path("posyandu/anak-saya/<int:child_id>/", views.my_child_chart, name="mine-child"),
]
