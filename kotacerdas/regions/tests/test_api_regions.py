from __future__ import annotations


def test_the_tree_lists_every_level_with_parent_codes(client, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/regions/")

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert rows["32.74"] == {
        "code": "32.74",
        "level": "kota",
        "name": "Kota Cirebon",
        "parent_code": "32",
    }
    assert rows["32.74.01.1001"]["parent_code"] == "32.74.01"
    assert rows["32.74.01.1001.01"]["level"] == "rw"
    assert rows["32.74.01.1001.01.002"] == {
        "code": "32.74.01.1001.01.002",
        "level": "rt",
        "name": "RT 002",
        "parent_code": "32.74.01.1001.01",
    }
    assert sum(1 for row in rows.values() if row["level"] == "kelurahan") == 22
