"""The Satu Data workflow: the agency drafts, the walidata reviews, the Daftar Data publishes."""

from __future__ import annotations

import pytest
from django.test import Client

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import signed_in
from kotacerdas.opendata.build import build
from kotacerdas.opendata.models import DataList, Dataset
from kotacerdas.opendata.tests.conftest import YEAR

WEIGHED = "posyandu-children-weighed-bulanan"
REPORTS = "reports-reports-received-bulanan"
METADATA = {
    "title": "Balita ditimbang per kelurahan per bulan",
    "concept": "Balita yang ditimbang (D).",
    "definition": "Jumlah balita yang ditimbang di posyandu.",
    "unit": "anak",
    "frequency": "Bulanan",
    "coverage": "Kota Cirebon",
    "method": "Agregat dari E-Posyandu.",
    "classification": "publik",
    "sensitivity": "spesifik",
}


@pytest.fixture
def built(filled):
    build([YEAR])


def published_names() -> set[str]:
    return set(Client().get("/api/3/action/package_list").json()["result"])


def test_only_an_approved_public_dataset_in_an_approved_list_is_published(built, dinkes, steward):
    agency, walidata = signed_in(dinkes), signed_in(steward)

    saved = agency.post(f"/data/kelola/{WEIGHED}/", {**METADATA, "submit": "1"})
    assert saved.status_code == 302
    dataset = Dataset.objects.get(name=WEIGHED)
    assert dataset.status == "submitted" and dataset.unit == "ANAK"
    assert WEIGHED not in published_names()

    approved = walidata.post(f"/data/kelola/{WEIGHED}/tinjau/", {"decision": "approve"})
    assert approved.status_code == 302
    assert WEIGHED not in published_names()  # not in an approved Daftar Data yet

    listed = walidata.post(f"/data/kelola/daftar/{YEAR}/", {"datasets": [dataset.pk]})
    assert listed.status_code == 302
    assert DataList.objects.get(year=YEAR).approved_by == steward
    assert published_names() == {WEIGHED}

    limited = agency.post(f"/data/kelola/{WEIGHED}/", {**METADATA, "classification": "terbatas"})
    assert limited.status_code == 302
    assert published_names() == set()  # back to draft, and limited
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "opendata.submitted",
        "opendata.approved",
        "opendata.list_approved",
        "opendata.drafted",
    } <= actions


def test_the_walidata_returns_a_dataset_with_a_reason(built, steward):
    Dataset.objects.filter(name=WEIGHED).update(status="submitted")
    walidata = signed_in(steward)

    without = walidata.post(
        f"/data/kelola/{WEIGHED}/tinjau/", {"decision": "return", "reason": " "}
    )
    returned = walidata.post(
        f"/data/kelola/{WEIGHED}/tinjau/",
        {"decision": "return", "reason": "Definisi kurang jelas."},
    )

    assert without.status_code == 400 and "alasan" in without.content.decode()
    assert returned.status_code == 302
    dataset = Dataset.objects.get(name=WEIGHED)
    assert dataset.status == "returned" and dataset.returned_reason == "Definisi kurang jelas."
    page = walidata.get(f"/data/kelola/{WEIGHED}/").content.decode()
    assert "Definisi kurang jelas." in page


def test_a_draft_cannot_be_approved_nor_listed(built, steward):
    walidata = signed_in(steward)
    draft = Dataset.objects.get(name=WEIGHED)

    approve = walidata.post(f"/data/kelola/{WEIGHED}/tinjau/", {"decision": "approve"})
    listed = walidata.post(f"/data/kelola/daftar/{YEAR}/", {"datasets": [draft.pk]})

    assert approve.status_code == 400 and "diajukan" in approve.content.decode()
    assert listed.status_code == 200  # the draft is not a choice of the list
    assert not DataList.objects.filter(approved_at__isnull=False).exists()


def test_bad_metadata_changes_nothing(built, dinkes):
    before = Dataset.objects.get(name=WEIGHED)

    response = signed_in(dinkes).post(
        f"/data/kelola/{WEIGHED}/", {**METADATA, "title": "", "sensitivity": "umum"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "data spesifik" in text
    after = Dataset.objects.get(name=WEIGHED)
    assert (after.title, after.status, after.metadata_modified) == (
        before.title,
        before.status,
        before.metadata_modified,
    )


# Each staff view: works, 404 outside the member's datasets, 403 without a role.


def test_work_page(built, dinkes, steward, rw_operator):
    mine = signed_in(dinkes).get("/data/kelola/")
    everything = signed_in(steward).get("/data/kelola/")

    assert mine.status_code == 200 and WEIGHED in mine.content.decode()
    assert REPORTS not in mine.content.decode()
    assert REPORTS in everything.content.decode() and "Daftar Data" in everything.content.decode()
    assert signed_in(rw_operator).get("/data/kelola/").status_code == 403


def test_edit_page(built, dinkes, rw_operator):
    assert signed_in(dinkes).get(f"/data/kelola/{WEIGHED}/").status_code == 200
    assert signed_in(dinkes).get(f"/data/kelola/{REPORTS}/").status_code == 404
    assert signed_in(dinkes).get("/data/kelola/no-such-dataset/").status_code == 404
    assert signed_in(rw_operator).get(f"/data/kelola/{WEIGHED}/").status_code == 403


def test_review_page(built, steward, dinkes, rw_operator):
    assert signed_in(steward).get(f"/data/kelola/{WEIGHED}/tinjau/").status_code == 200
    assert signed_in(steward).get("/data/kelola/no-such-dataset/tinjau/").status_code == 404
    assert signed_in(dinkes).get(f"/data/kelola/{WEIGHED}/tinjau/").status_code == 403
    assert signed_in(rw_operator).get(f"/data/kelola/{WEIGHED}/tinjau/").status_code == 403


def test_data_list_page(built, steward, dinkes):
    assert signed_in(steward).get(f"/data/kelola/daftar/{YEAR}/").status_code == 200
    assert signed_in(steward).get("/data/kelola/daftar/1999/").status_code == 404
    assert signed_in(dinkes).get(f"/data/kelola/daftar/{YEAR}/").status_code == 403


def test_a_producer_of_another_agency_does_not_see_the_health_datasets(built, dp3a):
    client = signed_in(dp3a, verified=True)  # protection officers pass the second factor

    assert client.get(f"/data/kelola/{REPORTS}/").status_code == 200
    assert client.get(f"/data/kelola/{WEIGHED}/").status_code == 404
