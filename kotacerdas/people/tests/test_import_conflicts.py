"""Issue 17: the kelurahan operator decides each conflict of a monthly extract.

"Take the file's value" goes through the register actions (life event, audit);
"keep the platform's value" changes nothing and is not asked again for the same
extract value. Works, 404 for another kelurahan's conflict, 403 for a role that
does not decide; a conflict decided already is refused with a clear message.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.people import actions
from kotacerdas.people.imports.monthly import KEPT
from kotacerdas.people.models import ImportedValues, ImportJob, LifeEvent, Person
from kotacerdas.people.tests import extracts
from kotacerdas.people.tests.test_import_extracts import people


@pytest.fixture
def extract(city: Any, tmp_path: Path) -> Any:
    """Runs a SIAK extract of Kejaksan through ``import_residents`` (Disdukcapil's
    batch, not the operator's upload); returns the job."""

    def run(rows: list[dict[str, Any]]) -> ImportJob:
        path = tmp_path / f"siak-{ImportJob.objects.count()}.xlsx"
        path.write_bytes(extracts.siak_workbook(rows))
        call_command("import_residents", str(path), kelurahan=KEJAKSAN, stdout=io.StringIO())
        return ImportJob.objects.latest("pk")

    return run


@pytest.fixture
def conflicted(extract: Any, kelurahan_officer: Any) -> ImportJob:
    """Siti's name corrected in the platform; the next extract still says the old one."""
    extract(people())
    siti = Person.objects.get(name="Siti Aminah")
    actions.correct_person(
        siti, changes={"name": "Siti Aminah Zahra"}, reason="KTP", actor=kelurahan_officer
    )
    job = extract(people())
    assert [c["fields"] for c in job.conflicts] == [[["name", "Siti Aminah Zahra", "Siti Aminah"]]]
    return job


def decide(client: Any, job: ImportJob, decision: str, index: int = 0) -> Any:
    url = reverse("people:import-conflict-decide", args=[job.pk, index])
    return client.post(url, {"keputusan": decision}, follow=True)


def test_the_operator_finds_the_batchs_conflicts_and_takes_the_files_value(
    conflicted, kelurahan_officer
):
    client = signed_in(kelurahan_officer)
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("people:import-conflict-list"))
    assert listing.status_code == 200 and conflicted.file_name in listing.text
    page = client.get(reverse("people:import-conflicts", args=[conflicted.pk]))
    assert page.status_code == 200
    assert "Siti Aminah Zahra" in page.text and "Take the file's value" in page.text

    response = decide(client, conflicted, "file")

    assert "The conflict is decided." in response.text
    siti = Person.objects.get(nik=people()[1]["nik"])
    assert siti.name == "Siti Aminah"
    event = LifeEvent.objects.get(person=siti, source="import:decision")
    assert event.kind == LifeEvent.Kind.CORRECTION
    conflicted.refresh_from_db()
    assert conflicted.conflicts[0]["decision"] == "file"
    audit = AuditEvent.objects.get(action="people.import_conflict")
    assert (audit.actor, audit.object_id, audit.details["decision"]) == (
        kelurahan_officer, str(siti.pk), "file",
    )  # fmt: skip


def test_a_conflict_decided_already_is_refused_and_nothing_changes(conflicted, kelurahan_officer):
    client = signed_in(kelurahan_officer)
    client.cookies["django_language"] = "en"
    decide(client, conflicted, "platform")
    events, audits = LifeEvent.objects.count(), AuditEvent.objects.count()

    response = decide(client, conflicted, "file")

    assert "This conflict was decided already; nothing was changed." in response.text
    assert Person.objects.get(nik=people()[1]["nik"]).name == "Siti Aminah Zahra"
    assert (LifeEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
    conflicted.refresh_from_db()
    assert conflicted.conflicts[0]["decision"] == "platform"


def test_keeping_the_platforms_value_is_not_asked_again_for_the_same_extract(
    conflicted, extract, kelurahan_officer
):
    client = signed_in(kelurahan_officer)
    decide(client, conflicted, "platform")
    siti = Person.objects.get(nik=people()[1]["nik"])
    assert siti.name == "Siti Aminah Zahra"
    assert ImportedValues.objects.get(person=siti).values[KEPT] == {"name": "Siti Aminah"}

    assert extract(people()).conflicts == []  # the same extract: decided
    rows = people()
    rows[1]["nama"] = "Siti Aminah Binti Ahmad"  # Dukcapil's own new value: asked again
    again = extract(rows)
    assert [c["fields"] for c in again.conflicts] == [
        [["name", "Siti Aminah Zahra", "Siti Aminah Binti Ahmad"]]
    ]


def test_a_bad_decision_changes_nothing(conflicted, kelurahan_officer):
    client = signed_in(kelurahan_officer)
    client.cookies["django_language"] = "en"
    response = decide(client, conflicted, "both")
    assert "Choose whether to take the file&#x27;s value or keep" in response.text
    conflicted.refresh_from_db()
    assert "decision" not in conflicted.conflicts[0]
    assert not AuditEvent.objects.filter(action="people.import_conflict").exists()


def test_the_files_status_brings_back_a_resident_recorded_as_moved(extract, kelurahan_officer):
    extract(people())
    rina = Person.objects.get(name="Rina Susilo")
    actions.record_move_out(rina, date=rina.birth_date.replace(year=2024), actor=None)
    job = extract(people())
    assert [c["status"] for c in job.conflicts] == ["alive"]

    decide(signed_in(kelurahan_officer), job, "file")

    rina.refresh_from_db()
    assert rina.status == Person.Status.ALIVE
    assert LifeEvent.objects.filter(person=rina, kind=LifeEvent.Kind.MOVE_IN).exists()


def test_conflicts_are_404_for_another_kelurahan_and_403_for_who_does_not_decide(
    conflicted, kelurahan_officer, rw_operator, viewer
):
    theirs = ImportJob.objects.create(
        uploaded_by=kelurahan_officer, kelurahan_id=HARJAMUKTI, file_name="h.xlsx",
        content=b"x", status="done", conflicts=conflicted.conflicts,
    )  # fmt: skip
    dry = ImportJob.objects.create(
        uploaded_by=kelurahan_officer, kelurahan_id=KEJAKSAN, file_name="d.xlsx",
        content=b"x", status="done", dry_run=True, conflicts=conflicted.conflicts,
    )  # fmt: skip
    officer = signed_in(kelurahan_officer)
    for job in (theirs, dry):
        assert officer.get(reverse("people:import-conflicts", args=[job.pk])).status_code == 404
        assert decide(officer, job, "file").status_code == 404
    assert decide(officer, conflicted, "file", index=1).status_code == 404
    for user in (rw_operator, viewer):
        client = signed_in(user)
        assert client.get(reverse("people:import-conflict-list")).status_code == 403
        url = reverse("people:import-conflicts", args=[conflicted.pk])
        assert client.get(url).status_code == 403
        assert decide(client, conflicted, "file").status_code == 403
    assert Person.objects.get(nik=people()[1]["nik"]).name == "Siti Aminah Zahra"
    assert "h.xlsx" not in officer.get(reverse("people:import-conflict-list")).text
