from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "sample"


@login_not_required
def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sample page")


def desk(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sample desk")


urlpatterns = [path("", page, name="page"), path("meja/", desk, name="desk")]
