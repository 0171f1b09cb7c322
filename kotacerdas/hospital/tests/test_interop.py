"""FHIR R4 reads validated with fhir.resources, and the BPJS Antrean-shaped endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.location import Location

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Bed, Booking, Session
from kotacerdas.hospital.tests.conftest import NIK, NIK2
from kotacerdas.people.models import Citizen

pytestmark = pytest.mark.django_db
TOKEN = "bridge-token-for-tests"


def fhir(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"/fhir/r4/{path}", params)
    assert response["Content-Type"] == "application/fhir+json"
    return response


def test_schedule_and_slots_validate(client: Client, session: Session) -> None:
    schedules = fhir(client, "Schedule").json()
    Bundle.model_validate(schedules)
    assert schedules["total"] == 1
    slots = fhir(client, "Slot", status="free", **{"service-type": "INT"}).json()
    bundle = Bundle.model_validate(slots)
    assert bundle.type == "searchset" and slots["total"] == 1
    slot = slots["entry"][0]["resource"]
    assert slot["extension"][0]["valueInteger"] == 30
    assert fhir(client, "Slot", status="busy").json()["total"] == 0
    assert fhir(client, "Slot", date=f"ge{session.date}").json()["total"] == 1
    assert fhir(client, "Slot", date=f"lt{session.date}").json()["total"] == 0
    assert fhir(client, f"Slot/{session.pk}").json()["status"] == "free"
    assert fhir(client, "Slot", date="soon").status_code == 400


def test_a_patient_reads_only_their_own_appointments(
    citizen: Citizen, citizen_web: Client, client: Client, session: Session
) -> None:
    mine = actions.book(session.pk, actions.Patient(nik=NIK), channel="web", citizen=citizen)
    other = Citizen.objects.create(phone="+6281300000001")
    theirs = actions.book(session.pk, actions.Patient(nik=NIK2), channel="web", citizen=other)
    bundle = fhir(citizen_web, "Appointment", status="booked").json()
    Bundle.model_validate(bundle)
    assert [e["resource"]["id"] for e in bundle["entry"]] == [mine.code]
    assert fhir(citizen_web, f"Appointment/{mine.code}").status_code == 200
    assert fhir(citizen_web, f"Appointment/{theirs.code}").status_code == 404
    assert fhir(client, "Appointment").status_code == 401
    assert fhir(citizen_web, "Appointment", status="cancelled").json()["total"] == 0


def test_beds_as_fhir_locations(client: Client, beds: list[Bed]) -> None:
    actions.set_bed_status(beds[0], Bed.Status.OCCUPIED)
    bundle = fhir(client, "Location", **{"physical-type": "bd", "operational-status": "O"}).json()
    Bundle.model_validate(bundle)
    assert bundle["total"] == 1
    location = Location.model_validate(bundle["entry"][0]["resource"])
    assert location.physicalType is not None and location.physicalType.coding
    assert location.physicalType.coding[0].code == "bd"
    assert location.operationalStatus is not None and location.operationalStatus.code == "O"
    assert fhir(client, "Location", **{"physical-type": "bd"}).json()["total"] == len(beds)


def bpjs(client: Client, name: str, body: dict[str, Any], token: str = TOKEN) -> Any:
    return client.post(
        reverse(name), body, content_type="application/json", headers={"x-token": token}
    ).json()


def test_bpjs_status_and_remaining(client: Client, today_session: Session, settings: Any) -> None:
    settings.HOSPITAL_BPJS_TOKEN = TOKEN
    first = actions.book(
        today_session.pk, actions.Patient(nik=NIK, medical_record="RM1"), channel="counter"
    )
    second = actions.book(today_session.pk, actions.Patient(nik=NIK2), channel="counter")
    actions.check_in(first.code)
    actions.call_next(today_session)
    status = bpjs(
        client,
        "hospital:bpjs-status",
        {
            "kodepoli": "INT",
            "kodedokter": 12345,
            "tanggalperiksa": today_session.date.isoformat(),
            "jampraktek": today_session.hours,
        },
    )
    assert status["metadata"] == {"code": 200, "message": "Ok"}
    assert status["response"]["antreanpanggil"] == "INT-1"
    assert status["response"]["sisakuotanonjkn"] == 8
    assert status["response"]["totalantrean"] == 2 and status["response"]["sisaantrean"] == 1
    remaining = bpjs(client, "hospital:bpjs-remaining", {"kodebooking": second.code})
    assert remaining["response"]["nomorantrean"] == "INT-2"
    assert remaining["response"]["sisaantrean"] == 0
    unknown = bpjs(client, "hospital:bpjs-remaining", {"kodebooking": "GJNOPE"})
    assert unknown["metadata"]["code"] == 201 and "kode" in unknown["metadata"]["message"]
    refused = bpjs(client, "hospital:bpjs-remaining", {"kodebooking": second.code}, token="bad")
    assert refused["metadata"]["code"] == 201 and "response" not in refused
    assert Booking.objects.count() == 2


def test_searchsets_page_with_a_true_total_and_links(
    client: Client, make_session: Any, session: Session
) -> None:
    """``total`` counts every match; ``_count`` pages; ``next`` carries the search on."""
    import datetime as dt

    for days in range(3, 8):  # five more sessions in the window, all free
        make_session(date=session.date + dt.timedelta(days=days - 2))
    first = fhir(client, "Slot", status="free", _count="2").json()
    Bundle.model_validate(first)
    assert first["total"] == 6 and len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "previous" not in links and "status=free" in links["next"]
    seen = [e["resource"]["id"] for e in first["entry"]]
    url: str | None = links["next"]
    while url:
        page = client.get(url).json()
        seen += [e["resource"]["id"] for e in page.get("entry", [])]
        url = next((ln["url"] for ln in page["link"] if ln["relation"] == "next"), None)
    assert len(seen) == len(set(seen)) == 6
    assert fhir(client, "Slot", _count="lots").status_code == 400


def test_slot_status_is_filtered_before_paging(
    client: Client, make_session: Any, session: Session
) -> None:
    """A full session ahead of free ones: the first page of status=free is still full."""
    import datetime as dt

    full = make_session(date=session.date - dt.timedelta(days=1), quota_jkn=1, quota_non_jkn=0)
    actions.book(full.pk, actions.Patient(nik=NIK, bpjs_card="0001234567890"), channel="web")
    free = fhir(client, "Slot", status="free", _count="1").json()
    assert free["total"] == 1 and free["entry"][0]["resource"]["id"] == str(session.pk)
    busy = fhir(client, "Slot", status="busy").json()
    assert busy["total"] == 1 and busy["entry"][0]["resource"]["status"] == "busy"


def test_slot_start_compares_the_time_of_day(client: Client, session: Session) -> None:
    day = session.date.isoformat()  # the session runs 08:00-12:00
    assert fhir(client, "Slot", start=f"ge{day}T07:00").json()["total"] == 1
    assert fhir(client, "Slot", start=f"ge{day}T09:00").json()["total"] == 0
    assert fhir(client, "Slot", start=f"lt{day}T09:00:00+07:00").json()["total"] == 1
    assert fhir(client, "Slot", start=f"ge{day}T25:00").status_code == 400


@pytest.mark.parametrize("raw", ["²", "١", "1²", "-1", "9" * 5000])
def test_paging_numbers_other_than_ascii_digits_are_a_400(
    client: Client, session: Session, raw: str
) -> None:
    """``"²".isdigit()`` is true but ``int("²")`` fails: an outcome, never a 500."""
    for name in ("_count", "_offset"):
        response = fhir(client, "Slot", **{name: raw})
        assert response.status_code == 400
        assert response.json()["resourceType"] == "OperationOutcome"


def test_a_slot_id_that_is_not_ascii_digits_is_not_found(client: Client, session: Session) -> None:
    for resource_id in ("²", "1²", "١"):
        response = fhir(client, f"Slot/{resource_id}")
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"


def test_appointments_are_never_cached(
    citizen: Citizen, citizen_web: Client, client: Client, session: Session
) -> None:
    mine = actions.book(session.pk, actions.Patient(nik=NIK), channel="web", citizen=citizen)
    for path in ("Appointment", f"Appointment/{mine.code}", "Appointment/nope"):
        cache = fhir(citizen_web, path)["Cache-Control"]
        assert "private" in cache and "no-store" in cache
    assert "no-store" in fhir(client, "Appointment")["Cache-Control"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kodedokter", "²"),  # str.isdigit() says yes, int() says no
        ("kodedokter", "١٢٣٤٥"),  # Arabic-Indic digits
        ("kodedokter", "99999999999999999999999"),  # past any database integer
        ("kodedokter", "12 345"),
        ("jampraktek", "08:00+07:00-12:00+07:00"),  # with a time zone
        ("jampraktek", "08:00:00.5-12:00"),
        ("jampraktek", "8-12"),
        ("tanggalperiksa", "20261202"),
    ],
)
def test_bpjs_status_answers_bad_input_in_bpjs_shape(
    client: Client, today_session: Session, settings: Any, field: str, value: str
) -> None:
    settings.HOSPITAL_BPJS_TOKEN = TOKEN
    body = {
        "kodepoli": "INT",
        "kodedokter": "12345",
        "tanggalperiksa": today_session.date.isoformat(),
        "jampraktek": today_session.hours,
        field: value,
    }

    answer = bpjs(client, "hospital:bpjs-status", body)

    assert answer["metadata"]["code"] == 201
    assert field in answer["metadata"]["message"]
    assert "response" not in answer
