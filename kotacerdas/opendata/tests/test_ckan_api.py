"""The CKAN-compatible Action API: CKAN's envelopes, statuses and the harvester's queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.opendata.models import Dataset, Resource

API = "/api/3/action/"


def call(name: str, method: str = "get", prefix: str = API, **params):
    client = Client(raise_request_exception=False)
    if method == "post":
        return client.post(prefix + name, json.dumps(params), content_type="application/json")
    return client.get(prefix + name, params)


def test_package_list_names_only_the_published_datasets(published):
    Dataset.objects.filter(name="literacy-wifi-sessions-tahunan").update(
        status=Dataset.Status.RETURNED
    )

    response = call("package_list")

    body = response.json()
    assert response.status_code == 200 and body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_list")
    assert "posyandu-children-weighed-bulanan" in body["result"]
    assert "literacy-wifi-sessions-tahunan" not in body["result"]
    assert body["result"] == sorted(body["result"])


def test_both_paths_and_both_methods_answer_the_same(published):
    answers = [
        call("package_show", id="literacy-wifi-sessions-bulanan").json()["result"],
        call("package_show", "post", id="literacy-wifi-sessions-bulanan").json()["result"],
        call("package_show", prefix="/api/action/", id="literacy-wifi-sessions-bulanan").json()[
            "result"
        ],
    ]

    assert answers[0] == answers[1] == answers[2]
    package = answers[0]
    assert package["organization"]["name"] == "dkis"
    assert [r["format"] for r in package["resources"]] == ["CSV", "JSON"]
    assert package["resources"][0]["url"].startswith("http://testserver/data/")
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["satuan"] == "SESI" and extras["ketepatan_waktu"] == "tepat waktu"


def test_package_show_by_id_and_a_download_of_its_resource(published):
    dataset = Dataset.objects.get(name="posyandu-children-weighed-bulanan")
    package = call("package_show", id=str(dataset.uuid)).json()["result"]

    download = Client().get(package["resources"][0]["url"].removeprefix("http://testserver"))

    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert bytes(download.content).startswith(b"id,kode_provinsi,nama_provinsi")
    resource = call("resource_show", id=package["resources"][0]["id"]).json()["result"]
    assert resource["package_id"] == str(dataset.uuid)


def test_package_search_pages_the_harvesters_way(published):
    first = call("package_search", rows=3, start=0, sort="id asc").json()["result"]
    second = call("package_search", rows=3, start=3, sort="id asc").json()["result"]

    total = Dataset.objects.published().count()
    assert first["count"] == second["count"] == total
    ids = [p["id"] for p in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 6
    beyond = call("package_search", rows=100, start=total).json()["result"]
    assert beyond["results"] == []


def test_package_search_q_and_fq_filters(published):
    by_word = call("package_search", q="WiFi").json()["result"]
    by_org = call("package_search", fq="organization:dinkes").json()["result"]
    excluded = call("package_search", fq="-organization:dinkes", rows=1000).json()["result"]
    grouped = call("package_search", fq="groups:kesehatan").json()["result"]
    either = call(
        "package_search", fq="organization:dinkes OR organization:dkis metadata_modified:[* TO NOW]"
    ).json()["result"]

    assert {p["organization"]["name"] for p in by_word["results"]} == {"dkis"}
    assert by_org["count"] >= 2 and {p["organization"]["name"] for p in by_org["results"]} == {
        "dinkes"
    }
    assert "dinkes" not in {p["organization"]["name"] for p in excluded["results"]}
    assert by_org["count"] + excluded["count"] == Dataset.objects.published().count()
    assert grouped["count"] == by_org["count"]
    assert {p["organization"]["name"] for p in either["results"]} == {"dinkes", "dkis"}
    usual = call("package_search", fq="+dataset_type:dataset +state:active capacity:public")
    assert usual.json()["result"]["count"] == Dataset.objects.published().count()


def test_the_harvesters_metadata_modified_range_returns_only_what_changed(published):
    old = timezone.now() - dt.timedelta(days=3)
    Dataset.objects.update(metadata_modified=old)
    Dataset.objects.filter(name="literacy-wifi-sessions-bulanan").update(
        metadata_modified=timezone.now()
    )
    since = (
        (timezone.now() - dt.timedelta(hours=1)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    )

    changed = call("package_search", fq=f"metadata_modified:[{since}Z TO *]").json()["result"]
    by_now = call("package_search", fq="metadata_modified:[NOW-1DAY TO NOW]").json()["result"]
    until = call("package_search", fq=f"metadata_modified:[* TO {since}Z}}").json()["result"]

    assert [p["name"] for p in changed["results"]] == ["literacy-wifi-sessions-bulanan"]
    assert by_now["count"] == 1
    assert until["count"] == Dataset.objects.published().count() - 1


@pytest.mark.parametrize(
    ("params", "status", "kind"),
    [
        ({"fq": "metadata_modified:[yesterday TO *]"}, 400, "Search Query Error"),
        ({"fq": "metadata_modified:[2025-01-01T00:00:00Z TO"}, 400, "Search Query Error"),
        ({"fq": "color:blue"}, 400, "Search Query Error"),
        ({"fq": "metadata_modified:[NOW-1FORTNIGHT TO *]"}, 400, "Search Query Error"),
        ({"sort": "colour asc"}, 400, "Search Query Error"),
        ({"fq": "OR organization:dinkes"}, 400, "Search Query Error"),
        ({"q": "name:(unbalanced"}, 400, "Search Query Error"),
        ({"rows": "1000000000000"}, 409, "Validation Error"),
        ({"rows": "ten"}, 409, "Validation Error"),
        ({"start": "-1"}, 409, "Validation Error"),
        ({"start": str(10**30)}, 409, "Validation Error"),
        ({"rows": "9" * 5000}, 409, "Validation Error"),
    ],
)
def test_bad_search_input_gets_ckans_error_envelope(published, params, status, kind):
    for method in ("get", "post"):
        response = call("package_search", method, **params)

        assert response.status_code == status, (method, response.content)
        body = response.json()
        assert body["success"] is False and body["error"]["__type"] == kind
        assert body["error"]["message"]
        assert body["help"].endswith("help_show?name=package_search")


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("package_show", {"id": "no-such-dataset"}),
        ("package_show", {"id": "00000000-0000-0000-0000-000000000000"}),
        ("resource_show", {"id": "00000000-0000-0000-0000-000000000000"}),
        ("resource_show", {"id": "not-a-uuid"}),
        ("organization_show", {"id": "no-such-agency"}),
        ("group_show", {"id": "no-such-group"}),
    ],
)
def test_an_unknown_id_is_a_not_found_error(published, name, params):
    response = call(name, **params)

    assert response.status_code == 404
    assert response.json()["error"]["__type"] == "Not Found Error"


def test_a_dataset_not_yet_approved_is_not_found(published):
    Dataset.objects.filter(name="literacy-wifi-sessions-bulanan").update(
        status=Dataset.Status.SUBMITTED
    )

    response = call("package_show", id="literacy-wifi-sessions-bulanan")

    assert response.status_code == 404


def test_missing_id_unknown_action_and_a_body_that_is_not_json(published):
    missing = call("package_show")
    unknown = call("package_create", "post", title="x")
    client = Client(raise_request_exception=False)
    not_json = client.post(API + "package_show", "{", content_type="application/json")
    a_list = client.post(API + "package_show", "[1]", content_type="application/json")
    put = client.put(API + "package_show")

    assert missing.status_code == 409 and missing.json()["error"]["id"]
    assert (
        unknown.status_code == 400 and "Action name not known" in unknown.json()["error"]["message"]
    )
    assert not_json.status_code == 400 and not_json.json()["success"] is False
    assert a_list.status_code == 400
    assert put.status_code == 405


def test_the_help_link_of_every_answer_answers(published):
    help_url = call("package_search").json()["help"]

    found = Client().get(help_url.removeprefix("http://testserver"))
    unknown = Client().get(API + "help_show", {"name": "package_create"})

    assert found.status_code == 200 and found.json()["success"] is True
    assert isinstance(found.json()["result"], str) and found.json()["result"].strip()
    assert unknown.status_code == 404
    assert unknown.json()["error"]["__type"] == "Not Found Error"


def test_organizations_and_groups(published):
    names = call("organization_list").json()["result"]
    full = call("organization_list", all_fields="true").json()["result"]
    dinkes = call("organization_show", id="dinkes", include_datasets="true").json()["result"]
    groups = call("group_list").json()["result"]

    assert {"dinkes", "dkis", "dp3a"} <= set(names)
    assert {o["name"]: o["package_count"] for o in full}["dkis"] == 2
    assert dinkes["is_organization"] is True and dinkes["package_count"] == 2
    assert {p["name"] for p in dinkes["packages"]} == {
        "posyandu-children-weighed-bulanan",
        "posyandu-children-weighed-tahunan",
    }
    assert "kesehatan" in groups


def test_search_answers_with_a_fixed_number_of_queries(published, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = call("package_search", rows=1000)

    assert response.status_code == 200
    assert len(response.json()["result"]["results"]) == Dataset.objects.published().count()


@pytest.mark.django_db(transaction=True)
def test_ckanapi_harvests_everything_then_only_what_changed(published, live_server, filled):
    from ckanapi import NotFound, RemoteCKAN, SearchQueryError, ValidationError

    from kotacerdas.opendata.build import build
    from kotacerdas.opendata.tests.conftest import KEJAKSAN, YEAR

    portal = RemoteCKAN(live_server.url, user_agent="kotacerdas-test/1.0")
    names = portal.action.package_list()
    assert names == sorted(Dataset.objects.published().values_list("name", flat=True))
    found = portal.action.package_search(q="*:*", rows=100, start=0, sort="id asc")
    assert found["count"] == len(names)
    for name in names:
        package = portal.action.package_show(id=name)
        assert package["name"] == name and package["num_resources"] == 2
    package = portal.action.package_show(id="literacy-wifi-sessions-bulanan")
    csv_file = portal.session.get(package["resources"][0]["url"], timeout=10)
    assert csv_file.status_code == 200 and csv_file.text.startswith("id,kode_provinsi")
    assert (
        Resource.objects.get(uuid=package["resources"][0]["id"]).sha256
        in package["resources"][0]["hash"]
    )
    with pytest.raises(NotFound):
        portal.action.package_show(id="no-such-dataset")
    with pytest.raises(SearchQueryError):
        portal.action.package_search(fq="metadata_modified:[nonsense TO *]")
    with pytest.raises(ValidationError):
        portal.action.package_search(start=-1)

    harvested_at = timezone.now()
    filled.set("literacy.wifi_sessions", KEJAKSAN, 1, 999)
    build([YEAR])
    since = harvested_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    again = portal.action.package_search(fq=f"metadata_modified:[{since}Z TO *]", rows=100)

    assert sorted(p["name"] for p in again["results"]) == [
        "literacy-wifi-sessions-bulanan",
        "literacy-wifi-sessions-tahunan",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-31T10:00:00Z", dt.datetime(2025, 1, 31, 10, tzinfo=dt.UTC)),
        ("2025-01-31T10:00:00.123456", dt.datetime(2025, 1, 31, 10, 0, 0, 123456, tzinfo=dt.UTC)),
        ("NOW", dt.datetime(2026, 3, 31, 13, 45, 10, 999, tzinfo=dt.UTC)),
        ("NOW-1DAY", dt.datetime(2026, 3, 30, 13, 45, 10, 999, tzinfo=dt.UTC)),
        ("NOW/DAY", dt.datetime(2026, 3, 31, tzinfo=dt.UTC)),
        ("NOW-1MONTH", dt.datetime(2026, 2, 28, 13, 45, 10, 999, tzinfo=dt.UTC)),
        ("NOW/MONTH-1HOUR", dt.datetime(2026, 2, 28, 23, tzinfo=dt.UTC)),
        ("NOW-2YEARS/YEAR", dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_times_and_solr_date_math(text, expected):
    from kotacerdas.opendata.ckan_query import parse_time

    now = dt.datetime(2026, 3, 31, 13, 45, 10, 999, tzinfo=dt.UTC)

    assert parse_time(text, now) == expected


def test_a_warm_search_is_one_query_and_a_changed_dataset_is_answered_anew(
    published, django_assert_num_queries
):
    call("package_search", rows=100)  # warms this process's package dicts
    with django_assert_num_queries(1):
        warm = call("package_search", rows=100)
    assert warm.json()["result"]["count"] == Dataset.objects.published().count()

    Dataset.objects.filter(name="literacy-wifi-sessions-bulanan").update(
        title="Sesi WiFi (judul baru)",
        metadata_modified=timezone.now(),
        next_release=dt.date(2020, 1, 5),
    )
    result = call("package_search", fq="name:literacy-wifi-sessions-bulanan").json()["result"]

    package = result["results"][0]
    assert package["title"] == "Sesi WiFi (judul baru)"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["ketepatan_waktu"] == "terlambat"
    assert extras["jadwal_rilis_berikutnya"] == "2020-01-05"
