from __future__ import annotations

import logging

from kotacerdas.conftest import signed_in  # noqa: F401 - fixtures come from conftest


def _check(client, nik):
    return client.post("/api/v1/nik/", {"nik": nik}, content_type="application/json")


def test_a_valid_nik_is_decoded(client, city):
    response = _check(client, "3274014503180002")

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["birth_date"] == "2018-03-05"
    assert body["sex"] == "F"
    assert body["kecamatan_code"] == "327401"
    assert body["serial"] == "0002"
    assert body["warnings"] == []


def test_an_impossible_nik_is_422_with_reasons(client, city):
    response = _check(client, "3274014513180000")

    assert response.status_code == 422
    body = response.json()
    assert body["valid"] is False
    assert len(body["errors"]) == 2


def test_an_unknown_kecamatan_is_a_warning(client, city):
    body = _check(client, "3274094503180002").json()

    assert body["valid"] is True
    assert body["warnings"]


def test_a_nik_typed_in_groups_is_decoded(client, city):
    body = _check(client, "3274 0145.0318-0002").json()

    assert body["valid"] is True
    assert body["nik"] == "3274014503180002"


def test_a_refused_nik_is_not_logged(client, city, caplog):
    with caplog.at_level(logging.INFO):
        refused = _check(client, "3274014513180000")

    assert refused.status_code == 422
    assert any("Unprocessable" in record.getMessage() for record in caplog.records)
    assert "3274014513180000" not in caplog.text


def test_the_old_address_with_the_nik_in_the_url_is_gone_and_not_logged(client, city, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/api/v1/nik/3274014503180002")

    assert response.status_code in {404, 405}
    assert any("/api/v1/nik/" in record.getMessage() for record in caplog.records)
    assert "3274014503180002" not in caplog.text
