from django.urls import path

from kotacerdas.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.sign_in, name="login"),
    path("keluar/", views.sign_out, name="logout"),
    path("kode/", views.second_factor, name="second-factor"),
    path("akun/", views.my_account, name="my-account"),
    path("kerja/", views.my_work, name="my-work"),
    path("healthz", views.healthz, name="healthz"),
    path("halo", views.hello_world, name="hello_world"),
]
