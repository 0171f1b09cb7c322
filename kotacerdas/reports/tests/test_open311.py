from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.reports import actions
from kotacerdas.reports.models import Category, Open311Client, Report, Stage

KEY = "test-key-for-the-sicantik-app-0123456789"
# Planted in reports: none of these may leave through the public endpoints.
STORY = "Tetangga ZEBRAKUNING memukul anaknya setiap malam."
PLACE = "Gang Melati Ungu nomor 17"
VICTIM = "Rahmadani Puspitasari"
REPORTER = "Wahyuningsih Kartasasmita"
PHONE = "+6281298765432"


@pytest.fixture(autouse=True)
def app_client(db: Any) -> Open311Client:
    return Open311Client.objects.create(name="SiCantik", key_hash=Open311Client.hash_key(KEY))


def _get(name: str, fmt: str, params: dict[str, str] | None = None, **kwargs: str) -> Any:
    # Listing needs a registered app's key; the other reads do not.
    query = {"api_key": KEY, **(params or {})} if name == "requests" else (params or {})
    return Client().get(reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs}), query)


def _post(fmt: str = "json", **data: str) -> Any:
    fields = {
        "api_key": KEY,
        "service_code": "neglect",
        "description": STORY,
        "address_string": PLACE,
        **data,
    }
    # City apps send no CSRF token and no session: the endpoint must not need them.
    client = Client(enforce_csrf_checks=True)
    return client.post(reverse("open311:requests", kwargs={"fmt": fmt}), fields)


def _indonesian(text: str) -> str:
    # Open311 answers in Indonesian, the city's language.
    with translation.override("id"):
        return gettext(text)


def _xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    # Our own response, not untrusted input: the stdlib parser is fine here.
    return ET.fromstring(response.content)  # noqa: S314


def _planted_report(**fields: Any) -> Report:
    return actions.file_report(
        {
            "story": STORY,
            "category_hint": Category.PHYSICAL,
            "kelurahan_id": KEJAKSAN,
            "place": PLACE,
            "victim_name": VICTIM,
            "reporter_name": REPORTER,
            "reporter_phone": PHONE,
            **fields,
        },
        channel=Report.Channel.WEB,
    )


# Services ---------------------------------------------------------------------


def test_it_lists_the_categories_as_services_in_json(dp3a):
    response = _get("services", "json")

    services = response.json()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [s["service_code"] for s in services] == list(Category.values)
    physical = services[0]
    assert physical["service_name"] == "Kekerasan fisik"
    assert physical["group"] == "Wadul Bae"
    assert physical["type"] == "realtime"
    assert physical["metadata"] is True


def test_it_lists_the_services_in_xml(dp3a):
    root = _xml(_get("services", "xml"))

    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    assert [s.findtext("service_code") for s in root] == list(Category.values)
    assert root[0].findtext("metadata") == "true"
    assert root[0].findtext("service_name") == "Kekerasan fisik"


def test_a_service_definition_lists_its_attributes_in_json(dp3a):
    definition = _get("service", "json", service_code="sexual").json()

    assert definition["service_code"] == "sexual"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert list(attributes) == ["kelurahan", "still_happening", "danger_to_life", "age_group"]
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3, 4]
    kelurahan = attributes["kelurahan"]
    assert kelurahan["datatype"] == "singlevaluelist"
    assert len(kelurahan["values"]) == 22
    assert {"key": KEJAKSAN, "name": "Kejaksan"} in kelurahan["values"]
    assert [v["key"] for v in attributes["danger_to_life"]["values"]] == ["true", "false"]
    assert "13-17" in [v["key"] for v in attributes["age_group"]["values"]]


def test_a_service_definition_in_xml(dp3a):
    root = _xml(_get("service", "xml", service_code="sexual"))

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "sexual"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == [
        "kelurahan",
        "still_happening",
        "danger_to_life",
        "age_group",
    ]
    assert len(attributes[0].findall("values/value")) == 22
    assert attributes[1].find("values/value/key") is not None
    assert attributes[1].findtext("variable") == "true"


def test_an_unknown_service_definition_is_404_in_both_formats(dp3a):
    as_json = _get("service", "json", service_code="potholes")
    as_xml = _get("service", "xml", service_code="potholes")

    assert as_json.status_code == 404
    assert as_json.json()[0]["code"] == 404
    assert as_xml.status_code == 404
    root = _xml(as_xml)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"  # type: ignore[union-attr]
    assert "potholes" in root.findtext("error/description", "")


# Creating requests ------------------------------------------------------------


def test_a_city_app_with_a_key_files_a_report_and_gets_its_code(app_client, dp3a):
    response = _post(
        **{
            "attribute[kelurahan]": HARJAMUKTI,
            "attribute[danger_to_life]": "true",
            "attribute[age_group]": "5-12",
            "first_name": "Wahyuningsih",
            "last_name": "Kartasasmita",
            "phone": "0812-9876-5432",
            "email": "someone@example.org",
            "lat": "-6.7320",
            "long": "108.5523",
        }
    )

    report = Report.objects.get()
    assert response.status_code == 200
    assert response.json()[0]["service_request_id"] == report.tracking_code
    assert report.tracking_code in response.json()[0]["service_notice"]
    assert report.channel == Report.Channel.OPEN311
    assert report.story == STORY
    assert report.category_hint == "neglect"
    assert report.kelurahan_id == HARJAMUKTI
    assert report.place == PLACE
    assert report.danger_to_life is True
    assert report.still_happening is False
    assert report.age_group == "5-12"
    assert report.reporter_name == "Wahyuningsih Kartasasmita"
    assert report.reporter_phone == PHONE
    audit = AuditEvent.objects.get(action="open311.request")
    assert audit.details == {"client": app_client.pk}
    assert "example.org" not in json.dumps(audit.details)


def test_a_report_filed_in_xml_answers_in_xml(app_client, dp3a):
    root = _xml(_post("xml"))

    assert root.tag == "service_requests"
    assert root[0].tag == "request"
    assert root.findtext("request/service_request_id") == Report.objects.get().tracking_code


@pytest.mark.parametrize("key", ["", "wrong-key"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_wrong_key_is_refused_and_nothing_stored(app_client, dp3a, key, fmt):
    response = _post(fmt, api_key=key)

    assert response.status_code == 403
    assert Report.objects.count() == 0
    if fmt == "json":
        assert response.json() == [{"code": 403, "description": _indonesian("Invalid api_key")}]
    else:
        root = _xml(response)
        assert [e.tag for e in root] == ["error"]
        assert root.findtext("error/code") == "403"
        assert root.findtext("error/description") == _indonesian("Invalid api_key")


def test_a_deactivated_client_is_refused(app_client, dp3a):
    app_client.active = False
    app_client.save()

    assert _post().status_code == 403
    assert Report.objects.count() == 0


def test_an_unknown_service_is_a_bad_request(app_client, dp3a):
    response = _post(service_code="potholes")

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"service_code": ""}, "service_code"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "4000"),
        ({"address_string": ""}, "address_string"),
        ({"lat": "-6.73"}, "lat"),
        ({"phone": "022-1234567"}, "phone"),
        ({"attribute[kelurahan]": "32.74.99.9999"}, "attribute[kelurahan]"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(app_client, dp3a, fields, words):
    response = _post(**fields)

    assert response.status_code == 400
    assert words in response.json()[0]["description"]
    assert Report.objects.count() == 0


def test_the_kelurahan_alone_is_enough_location(app_client, dp3a):
    response = _post(address_string="", **{"attribute[kelurahan]": KEJAKSAN})

    assert response.status_code == 200
    assert Report.objects.get().kelurahan_id == KEJAKSAN


def test_an_app_has_its_own_hourly_limit_above_a_single_device(app_client, dp3a, settings):
    # An app files for many citizens from one server address.
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "wadul_reports_per_device": (1, 3600),
        "wadul_reports_per_phone": (1, 3600),
        "open311_reports_per_app": (3, 3600),
    }
    codes = [_post().status_code for _ in range(3)]

    response = _post()

    assert codes == [200, 200, 200]
    assert response.status_code == 400
    assert "SAPA 129" in response.json()[0]["description"]
    assert Report.objects.count() == 3


# Reading requests -------------------------------------------------------------


def _assert_nothing_identifying(body: str) -> None:
    for planted in (STORY, "ZEBRAKUNING", PLACE, "Melati", VICTIM, REPORTER, PHONE, "98765432"):
        assert planted not in body


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_listing_never_shows_the_story_place_or_people(dp3a, fmt):
    report = _planted_report()

    response = _get("requests", fmt)

    body = response.content.decode()
    assert response.status_code == 200
    assert report.tracking_code in body
    _assert_nothing_identifying(body)


def test_the_listing_shows_only_the_public_fields_in_json(dp3a):
    report = _planted_report()

    [item] = _get("requests", "json").json()

    assert set(item) == {
        "service_request_id",
        "status",
        "service_code",
        "service_name",
        "agency_responsible",
        "requested_datetime",
        "updated_datetime",
        "address",
    }
    assert item["service_request_id"] == report.tracking_code
    assert item["status"] == "open"
    assert item["service_code"] == "physical"
    assert item["service_name"] == "Kekerasan fisik"
    assert item["address"] == "Kejaksan"
    assert item["agency_responsible"] == "UPTD PPA"
    assert item["requested_datetime"].endswith("+07:00")
    requested = dt.datetime.fromisoformat(item["requested_datetime"])
    assert abs(requested - report.created_at) < dt.timedelta(seconds=1)


def test_the_listing_in_xml(dp3a):
    report = _planted_report()

    root = _xml(_get("requests", "xml"))

    assert root.tag == "service_requests"
    assert [child.tag for child in root] == ["request"]
    assert root.findtext("request/service_request_id") == report.tracking_code
    assert root.findtext("request/status") == "open"
    assert root.findtext("request/address") == "Kejaksan"
    assert root.find("request/description") is None


def test_a_request_by_id_in_both_formats(dp3a):
    report = _planted_report()

    as_json = _get("request", "json", request_id=report.tracking_code)
    as_xml = _get("request", "xml", request_id=report.tracking_code)

    assert [item["service_request_id"] for item in as_json.json()] == [report.tracking_code]
    _assert_nothing_identifying(as_json.content.decode())
    root = _xml(as_xml)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == report.tracking_code
    _assert_nothing_identifying(as_xml.content.decode())


def test_an_unknown_request_id_is_404(dp3a):
    assert _get("request", "json", request_id="WB-AAAAAA").status_code == 404
    assert _get("request", "xml", request_id="not-a-code").status_code == 404
    assert _xml(_get("request", "xml", request_id="WB-AAAAAA")).tag == "errors"


def test_a_token_is_the_tracking_code(dp3a):
    report = _planted_report()

    as_json = _get("token", "json", token_id=report.tracking_code)
    as_xml = _get("token", "xml", token_id=report.tracking_code)
    unknown = _get("token", "json", token_id="WB-AAAAAA")

    assert as_json.json() == [
        {"service_request_id": report.tracking_code, "token": report.tracking_code}
    ]
    root = _xml(as_xml)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == report.tracking_code
    assert unknown.status_code == 404


def test_the_status_is_closed_when_the_case_reaches_selesai(dp3a, officer):
    report = _planted_report()
    case = actions.open_case(
        report, category=Category.PHYSICAL, reason="verified", actor=officer, request=None
    )
    assert _get("request", "json", request_id=report.tracking_code).json()[0]["status"] == "open"

    case = actions.move_stage(case, Stage.SELESAI, reason="done", actor=officer, request=None)

    [item] = _get("request", "json", request_id=report.tracking_code).json()
    assert item["status"] == "closed"
    assert dt.datetime.fromisoformat(item["updated_datetime"]) == case.closed_at.replace(
        microsecond=0
    )
    assert [i["service_request_id"] for i in _get("requests", "json", {"status": "closed"}).json()]
    assert _get("requests", "json", {"status": "open"}).json() == []


def test_a_report_closed_at_triage_is_closed(dp3a, officer):
    report = _planted_report()
    actions.close_report(report, close_reason="spam", note="test", actor=officer, request=None)

    assert _get("request", "json", request_id=report.tracking_code).json()[0]["status"] == "closed"


def test_the_listing_filters_by_status_service_and_dates(dp3a, officer):
    physical = _planted_report()
    neglect = _planted_report(category_hint=Category.NEGLECT)
    unknown_kind = _planted_report(category_hint="")
    actions.close_report(neglect, close_reason="spam", note="test", actor=officer, request=None)
    old = _planted_report()
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=120))

    def codes(**params: str) -> set[str]:
        return {i["service_request_id"] for i in _get("requests", "json", params).json()}

    assert codes() == {physical.tracking_code, neglect.tracking_code, unknown_kind.tracking_code}
    assert codes(status="open") == {physical.tracking_code, unknown_kind.tracking_code}
    assert codes(status="closed") == {neglect.tracking_code}
    assert codes(status="open,closed") == codes()
    assert codes(service_code="neglect,physical") == {
        physical.tracking_code,
        neglect.tracking_code,
    }
    assert codes(service_code="other") == {unknown_kind.tracking_code}
    long_ago = timezone.localtime() - dt.timedelta(days=130)
    assert codes(start_date=long_ago.isoformat()) == {old.tracking_code}
    assert codes(service_request_id=f"{old.tracking_code},{neglect.tracking_code}") == {
        old.tracking_code,
        neglect.tracking_code,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"service_code": "potholes"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-06-01T00:00:00+07:00"},
    ],
)
def test_bad_listing_arguments_are_400(dp3a, params):
    response = _get("requests", "json", params)

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_the_listing_caps_at_1000(dp3a, monkeypatch):
    monkeypatch.setattr("kotacerdas.reports.open311.MAX_REQUESTS", 2)
    for _i in range(3):
        _planted_report(reporter_phone="")

    assert len(_get("requests", "json").json()) == 2


def test_the_listing_query_count_does_not_grow_with_reports(
    dp3a, officer, django_assert_max_num_queries
):
    for i in range(6):
        report = _planted_report(reporter_phone="", kelurahan_id=(KEJAKSAN, HARJAMUKTI)[i % 2])
        if i % 2:
            actions.open_case(
                report, category=Category.PHYSICAL, reason="ok", actor=officer, request=None
            )

    with django_assert_max_num_queries(2):
        response = _get("requests", "xml")

    assert len(_xml(response)) == 6


# Keys ------------------------------------------------------------------------


def test_the_command_prints_a_key_once_and_stores_only_its_hash(dp3a):
    out = io.StringIO()

    call_command("open311_key", "SiCantik Cirebon", stdout=out, stderr=io.StringIO())

    key = out.getvalue().strip()
    client = Open311Client.objects.get(name="SiCantik Cirebon")
    assert client.key_hash == Open311Client.hash_key(key)
    assert key not in client.key_hash
    assert Open311Client.for_key(key) == client


def test_the_command_refuses_a_second_client_of_the_same_name_and_rotates_keys(app_client):
    with pytest.raises(CommandError):
        call_command("open311_key", "SiCantik", stdout=io.StringIO(), stderr=io.StringIO())

    out = io.StringIO()
    call_command("open311_key", "SiCantik", "--rotate", stdout=out, stderr=io.StringIO())

    assert Open311Client.for_key(KEY) is None
    assert Open311Client.for_key(out.getvalue().strip()) == app_client


@pytest.mark.parametrize("key", ["", "wrong-key"])
def test_the_listing_is_only_for_registered_apps(dp3a, key):
    report = _planted_report()

    response = Client().get(reverse("open311:requests", kwargs={"fmt": "json"}), {"api_key": key})

    assert response.status_code == 403
    assert report.tracking_code not in response.content.decode()
