from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from kotacerdas.conftest import signed_in


def test_the_home_page_lists_public_services_to_everyone(client, city):
    response = client.get("/")

    assert response.status_code == 200
    assert reverse("api-1.0.0:list_regions") in response.text
    assert reverse("people:person-list") not in response.text
    assert 'lang="id"' in response.text


def test_the_home_page_lists_the_register_to_staff(rw_operator):
    response = signed_in(rw_operator).get("/")

    assert reverse("people:person-list") in response.text


def test_english_can_be_chosen(client, city):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get("/")

    assert 'lang="en"' in response.text
    assert "Public services of Kota Cirebon" in response.text


def test_the_404_page_is_indonesian(client, city):
    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text


def test_the_403_page_is_indonesian(viewer):
    response = signed_in(viewer).get(reverse("people:person-create"))

    assert response.status_code == 403
    assert "tidak boleh" in response.text.lower()


def test_the_500_page_needs_no_database_and_is_indonesian():
    from kotacerdas.web.views import error_500

    response = error_500(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"Maaf, terjadi kesalahan" in response.content


def test_pages_carry_the_security_headers(client, city):
    response = client.get(reverse("web:login"))

    csp = response.headers["Content-Security-Policy"]
    # Scripts only from our origin (a page that needs an inline script gets a nonce).
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_openapi_schema_and_docs_are_published(client, city):
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "post" in paths["/api/v1/nik/"]  # the NIK in the body, never in the URL
    assert not any("{nik}" in path for path in paths)
    assert "/api/v1/regions/" in paths
    assert docs.status_code == 200


def test_my_account_lists_the_units_and_roles(rw_operator):
    response = signed_in(rw_operator).get(reverse("web:my-account"))

    assert "rw-kejaksan-01" in response.text
