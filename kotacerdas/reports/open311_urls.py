"""Open311 GeoReport v2, under /open311/v2/: every endpoint as .json and .xml."""

from __future__ import annotations

from django.urls import path, register_converter

from kotacerdas.reports import open311


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"

urlpatterns = [
    path("services.<open311_format:fmt>", open311.service_list, name="services"),
    path(
        "services/<slug:service_code>.<open311_format:fmt>",
        open311.service_definition,
        name="service",
    ),
    path("requests.<open311_format:fmt>", open311.service_requests, name="requests"),
    path(
        "requests/<slug:request_id>.<open311_format:fmt>",
        open311.service_request,
        name="request",
    ),
    path("tokens/<slug:token_id>.<open311_format:fmt>", open311.token, name="token"),
]
