"""Issue 17's pages: dry run then apply, the area mapping screen, the export in
OpenSID's and SIAK's columns. Each works, 404 for another's, 403 for a read-only role."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.people import actions
from kotacerdas.people.models import AreaMapping, ImportJob, LifeEvent, Person
from kotacerdas.people.tests import extracts
from kotacerdas.people.tests.test_import_extracts import people

LIST_URL = "/penduduk/impor/"


def upload(client: Any, content: bytes, **data: Any) -> Any:
    file = io.BytesIO(content)
    file.name = "siak-kejaksan.xlsx"
    client.cookies["django_language"] = "en"
    return client.post(LIST_URL, {"workbook": file, **data})


@pytest.fixture
def officer_client(kelurahan_officer, django_capture_on_commit_callbacks):
    client = signed_in(kelurahan_officer)

    def post(*args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*args, **kwargs)

    client.post_and_run = post  # type: ignore[attr-defined]
    return client


def test_a_dry_run_shows_the_changes_and_apply_writes_them(officer_client):
    client = officer_client
    with_run = client.post_and_run  # type: ignore[attr-defined]
    file = io.BytesIO(extracts.siak_workbook(people()))
    file.name = "siak.xlsx"
    client.cookies["django_language"] = "en"
    response = with_run(LIST_URL, {"workbook": file, "dry_run": "on"})
    dry = ImportJob.objects.get()
    assert response.status_code == 302 and dry.dry_run and dry.rows_imported == 6
    assert not Person.objects.exists()

    page = client.get(reverse("people:import-detail", args=[dry.pk]))
    assert "Dry run: nothing was written." in page.text
    assert "Apply these changes" in page.text

    response = with_run(reverse("people:import-apply", args=[dry.pk]))
    applied = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response.url == reverse("people:import-detail", args=[applied.pk])
    assert (applied.dry_run, applied.rows_imported, Person.objects.count()) == (False, 6, 6)
    assert not LifeEvent.objects.exists()


def test_apply_is_404_for_another_users_job_and_for_a_real_run(
    officer_client, kelurahan_officer, rw_operator, viewer
):
    theirs = ImportJob.objects.create(
        uploaded_by=rw_operator, kelurahan_id=KEJAKSAN, file_name="w.xlsx", content=b"x",
        dry_run=True, status="done",
    )  # fmt: skip
    mine_real = ImportJob.objects.create(
        uploaded_by=kelurahan_officer, kelurahan_id=KEJAKSAN, file_name="w.xlsx", content=b"x",
        status="done",
    )  # fmt: skip
    assert officer_client.post(reverse("people:import-apply", args=[theirs.pk])).status_code == 404
    assert (
        officer_client.post(reverse("people:import-apply", args=[mine_real.pk])).status_code == 404
    )
    assert (
        signed_in(viewer).post(reverse("people:import-apply", args=[theirs.pk])).status_code == 403
    )


def test_the_mapping_screen_maps_a_desa_file_and_checks_it_again(officer_client, rt):
    rows = people()[:3]
    for person in rows:
        person.update(dusun="MANGSIT", rw="-", rt="004")
    client = officer_client
    file = io.BytesIO(extracts.opensid_workbook(rows))
    file.name = "opensid.xlsx"
    client.cookies["django_language"] = "en"
    client.post_and_run(LIST_URL, {"workbook": file})  # type: ignore[attr-defined]
    job = ImportJob.objects.get()
    assert job.rows_rejected == 3

    page = client.get(reverse("people:import-mapping", args=[job.pk]))
    assert page.status_code == 200 and "Dusun MANGSIT, RW -, RT 4" in page.text
    target = rt(KEJAKSAN, 2, 1)
    response = client.post_and_run(  # type: ignore[attr-defined]
        reverse("people:import-mapping", args=[job.pk]), {"area-0": str(target.pk)}
    )
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("people:import-detail", args=[again.pk])
    assert again.dry_run and again.rows_imported == 3 and again.rows_rejected == 0
    assert AreaMapping.objects.get().rt == target
    # Remembered: the mapping screen shows it chosen for the next file.
    assert "selected" in client.get(reverse("people:import-mapping", args=[again.pk])).text


def test_the_mapping_screen_is_404_for_another_and_403_for_read_only(
    kelurahan_officer, rw_operator, viewer
):
    theirs = ImportJob.objects.create(
        uploaded_by=rw_operator, kelurahan_id=KEJAKSAN, file_name="w.xlsx", content=b"x"
    )
    url = reverse("people:import-mapping", args=[theirs.pk])
    assert signed_in(kelurahan_officer).get(url).status_code == 404
    assert signed_in(viewer).get(url).status_code == 403


@pytest.mark.parametrize(("file_format", "header"), [("opensid", "agama_id"), ("siak", "SHDK")])
def test_the_area_exports_in_opensid_and_siak_columns_and_reads_back_unchanged(
    kelurahan_officer, django_capture_on_commit_callbacks, file_format, header
):
    job = ImportJob.objects.create(
        uploaded_by=kelurahan_officer, kelurahan_id=KEJAKSAN, file_name="w.xlsx",
        content=extracts.opensid_workbook(people()),
    )  # fmt: skip
    actions.process_import(job.pk)
    client = signed_in(kelurahan_officer)

    response = client.get(reverse("people:person-export-extract", args=[file_format]))

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert header in rows[0] and len(rows) == 7
    again = ImportJob.objects.create(
        uploaded_by=kelurahan_officer, kelurahan_id=KEJAKSAN, file_name="back.xlsx",
        content=content, language="en",
    )  # fmt: skip
    actions.process_import(again.pk)
    again.refresh_from_db()
    assert (again.error, again.rejected) == ("", [])
    assert (again.file_format, again.rows_unchanged, again.rows_updated) == (file_format, 6, 0)
    assert again.conflicts == []


def test_the_extract_export_is_403_for_read_only_and_404_for_an_unknown_format(
    kelurahan_officer, viewer
):
    url = reverse("people:person-export-extract", args=["siak"])
    assert signed_in(viewer).get(url).status_code == 403
    unknown = reverse("people:person-export-extract", args=["csv"])
    assert signed_in(kelurahan_officer).get(unknown).status_code == 404
