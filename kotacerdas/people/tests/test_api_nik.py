from __future__ import annotations

from kotacerdas.conftest import signed_in  # noqa: F401 - fixtures come from conftest


def test_a_valid_nik_is_decoded(client, city):
    response = client.get("/api/v1/nik/3274014503180002")

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["birth_date"] == "2018-03-05"
    assert body["sex"] == "F"
    assert body["kecamatan_code"] == "327401"
    assert body["serial"] == "0002"
    assert body["warnings"] == []


def test_an_impossible_nik_is_422_with_reasons(client, city):
    response = client.get("/api/v1/nik/3274014513180000")

    assert response.status_code == 422
    body = response.json()
    assert body["valid"] is False
    assert len(body["errors"]) == 2


def test_an_unknown_kecamatan_is_a_warning(client, city):
    body = client.get("/api/v1/nik/3274094503180002").json()

    assert body["valid"] is True
    assert body["warnings"]
