from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kotacerdas.accounts.models import Membership
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.core.excel import XLSX_CONTENT_TYPE
from kotacerdas.people import actions, imports
from kotacerdas.people.imports import rows as import_rows
from kotacerdas.people.models import Family, ImportJob, Person
from kotacerdas.regions.models import Region

LIST_URL = "/penduduk/impor/"
HEADERS = [header for _key, header in imports.COLUMNS]
# Male, born 12-06-1990 in Kejaksan; make_person's NIKs are female, born 2018.
NIK = "327401120690{:04d}"
NEW_KK = "327401200520{:04d}"


def row(serial: int = 1, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "nik": NIK.format(serial),
        "name": f"Budi Santoso {serial}",
        "sex": "L",
        "birth_date": dt.datetime(1990, 6, 12),
        "birth_place": "Cirebon",
        "religion": "Islam",
        "education": "SMA",
        "occupation": "Wiraswasta",
        "marital_status": "Kawin",
        "phone": "0812-2345-6789",
        "address": "Jl. Pekiringan No. 7",
        "rt": 1,
        "rw": 1,
        "kk_number": "",
        "relationship": "",
    }
    values.update(overrides)
    return values


def workbook(*rows: dict[str, Any], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet: Any = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values[key] for key, _header in imports.COLUMNS])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, content: bytes, *, name: str = "warga.xlsx", **data: Any):
    file = io.BytesIO(content)
    file.name = name
    client.cookies["django_language"] = "en"  # chosen with the switch, as a person would
    return client.post(LIST_URL, {"workbook": file, **data})


@pytest.fixture
def importer(rw_operator, django_capture_on_commit_callbacks):
    """Uploads as the operator of Kejaksan RW 01 and runs the queued task."""

    def run(content: bytes, **data: Any):
        client = signed_in(rw_operator)
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, content, **data)
        return response

    return run


def only_job() -> ImportJob:
    return ImportJob.objects.get()


def test_valid_rows_are_imported_and_the_job_is_audited_once(importer, rt, make_family):
    family = make_family(rt(KEJAKSAN, 1, 1))
    content = workbook(
        row(1, kk_number=family.kk_number, relationship=1),
        row(
            2,
            name="Siti Aminah",
            sex="P",
            birth_date="05-03-2018",
            relationship="4",
            kk_number=family.kk_number,
            nik="3274014503180009",
            rt="002",
            phone="",
        ),
        row(3, religion="", education="", occupation="", marital_status=""),
    )

    response = importer(content)

    job = only_job()
    assert response.status_code == 302
    assert response.url == reverse("people:import-detail", args=[job.pk])
    assert (job.status, job.rows_total, job.rows_processed) == ("done", 3, 3)
    assert (job.rows_imported, job.rows_rejected, job.rejected) == (3, 0, [])
    budi = Person.objects.get(nik=NIK.format(1))
    assert (budi.name, budi.sex, budi.birth_date) == ("Budi Santoso 1", "M", dt.date(1990, 6, 12))
    assert (budi.religion, budi.education, budi.marital_status) == ("islam", "sma", "married")
    assert budi.phone == "+6281223456789"
    assert (budi.rt, budi.family, budi.relationship) == (rt(KEJAKSAN, 1, 1), family, "1")
    siti = Person.objects.get(nik="3274014503180009")
    assert (siti.sex, siti.birth_date, siti.rt) == ("F", dt.date(2018, 3, 5), rt(KEJAKSAN, 1, 2))
    assert siti.family == family and siti.relationship == "4"
    assert Person.objects.get(nik=NIK.format(3)).religion == ""
    event = AuditEvent.objects.get(action="people.import")
    assert event.object_id == str(job.pk)
    assert event.actor.username == "rw01"
    assert event.details["imported"] == 3 and event.details["rejected"] == 0


def test_a_new_no_kk_registers_the_family_once_in_the_rows_rt(importer, rt):
    kk = NEW_KK.format(1)
    importer(workbook(row(1, kk_number=kk, relationship=1), row(2, kk_number=kk, relationship=3)))

    family = Family.objects.get()
    assert (family.kk_number, family.rt, family.address) == (
        kk,
        rt(KEJAKSAN, 1, 1),
        "Jl. Pekiringan No. 7",
    )
    assert family.members.count() == 2
    assert only_job().families_created == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"nik": "32740112069000"}, "NIK must be exactly 16 digits"),
        ({"nik": "3274011206900O01"}, "NIK may contain digits only"),
        ({"nik": 3274011206900010}, "Excel keeps only 15 digits"),
        ({"name": "  "}, "Nama is empty."),
        ({"sex": "X"}, "Jenis Kelamin (L/P) “X” is not one of: L, P."),
        ({"sex": ""}, "Jenis Kelamin (L/P) is empty."),
        ({"birth_date": None}, "Tanggal Lahir is empty."),
        ({"birth_date": "31-02-1990"}, "“31-02-1990” is not a date"),
        ({"birth_date": dt.datetime(2999, 1, 1)}, "cannot be in the future"),
        ({"birth_date": "01-01-1850"}, "more than 130 years ago"),
        ({"birth_place": ""}, "Tempat Lahir is empty."),
        ({"address": ""}, "Alamat is empty."),
        ({"religion": "Jedi"}, "Agama “Jedi” is not one of"),
        ({"education": "TK"}, "Pendidikan “TK” is not one of"),
        ({"marital_status": "Pacaran"}, "Status Kawin “Pacaran” is not one of"),
        ({"phone": "12345"}, "No. HP:"),
        ({"occupation": "x" * 101}, "Pekerjaan is longer than 100 characters."),
        ({"rw": 2}, "RT 001 / RW 02 of Kejaksan is outside your area."),
        ({"rw": 9}, "There is no RT 001 / RW 09 in Kejaksan."),
        ({"rt": "satu"}, "RT must be a number"),
        ({"rt": None}, "RT is empty."),
        ({"kk_number": "1234", "relationship": 1}, "No. KK must be exactly 16 digits"),
        ({"kk_number": NEW_KK.format(1)}, "Choose the relationship to the head of the family."),
        ({"relationship": 4}, "Enter the No. KK of the family for this relationship."),
        ({"kk_number": NEW_KK.format(1), "relationship": 12}, "Hubungan “12” is not one of"),
    ],
)
def test_each_invalid_row_is_refused_with_its_reason(importer, overrides, reason):
    importer(workbook(row(1, **overrides), row(2)))

    job = only_job()
    assert (job.rows_imported, job.rows_rejected) == (1, 1)
    assert job.rejected[0]["row"] == 2
    assert reason in job.rejected[0]["reason"]
    assert list(Person.objects.values_list("nik", flat=True)) == [NIK.format(2)]


def test_a_row_lists_all_its_problems_at_once(importer):
    importer(workbook(row(1, name="", sex="X", rw=9)))

    reason = only_job().rejected[0]["reason"]
    assert "Nama is empty." in reason and "“X”" in reason and "RW 09" in reason


def test_a_nik_already_in_the_register_is_refused(importer, make_person, rt):
    existing = make_person(rt(KEJAKSAN, 1, 1))

    importer(
        workbook(row(1, nik=existing.nik, name="Someone Else", sex="P", birth_date="05-03-2018"))
    )

    job = only_job()
    assert job.rejected[0]["reason"] == "A person with this NIK is already in the register."
    assert Person.objects.count() == 1


def test_a_nik_written_on_two_rows_refuses_both(importer):
    importer(workbook(row(1), row(2), row(1, name="Budi Again")))

    job = only_job()
    assert [r["row"] for r in job.rejected] == [2, 4]
    assert "rows 2, 4" in job.rejected[0]["reason"]
    assert list(Person.objects.values_list("nik", flat=True)) == [NIK.format(2)]


def test_a_family_registered_outside_the_area_is_refused(importer, make_family, rt):
    elsewhere = make_family(rt(KEJAKSAN, 2, 1))

    importer(workbook(row(1, kk_number=elsewhere.kk_number, relationship=1)))

    # The brief of issue 11: the refusal does not say that the No. KK exists.
    reason = only_job().rejected[0]["reason"]
    assert "cannot be used in your area" in reason and "registered" not in reason
    assert not Person.objects.exists()


def test_without_a_nik_a_known_name_and_birth_date_is_refused(importer, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name="Bayi Baru", nik=None, birth_date=dt.date(2025, 1, 2))
    baby = {"nik": "", "name": "bayi  baru", "birth_date": "02-01-2025", "sex": "P"}

    importer(
        workbook(
            row(1, **baby),
            row(2, **{**baby, "name": "Bayi Lain"}),
            row(3, **{**baby, "name": "Bayi Lain"}),
        )
    )

    job = only_job()
    assert [r["row"] for r in job.rejected] == [2, 4]
    assert "no NIK" in job.rejected[0]["reason"]
    assert Person.objects.filter(name="Bayi Lain", nik=None).count() == 1


def test_warnings_do_not_refuse_a_row_but_are_noted(importer):
    # The NIK says born 12-06-1990; the row says 13-06-1990.
    importer(workbook(row(1, birth_date="13/06/1990")))

    job = only_job()
    assert job.rows_imported == 1
    assert job.notes[0]["row"] == 2
    assert "12-06-1990" in job.notes[0]["note"]


def test_headers_match_whatever_the_case_spacing_and_order(importer):
    headers = [
        " nik",
        "NAMA",
        "jenis  kelamin (l/p)",
        "tanggal lahir",
        "TEMPAT LAHIR",
        "alamat",
        "rt",
        "Rw",
        "no kk",
        "HUBUNGAN",
        "Catatan",
    ]
    book = Workbook()
    sheet: Any = book.active
    sheet.append(headers)
    sheet.append(
        [
            NIK.format(1),
            "Budi",
            "l",
            "12-06-1990",
            "Cirebon",
            "Jl. A",
            "001",
            "01",
            NEW_KK.format(1),
            "Kepala Keluarga",
            "any note",
        ]
    )
    output = io.BytesIO()
    book.save(output)

    importer(output.getvalue())

    person = Person.objects.get()
    assert (person.sex, person.family.kk_number, person.relationship) == (
        "M",
        NEW_KK.format(1),
        "1",
    )


def test_reasons_are_written_in_the_uploaders_language(
    rw_operator, django_capture_on_commit_callbacks
):
    client = signed_in(rw_operator)
    file = io.BytesIO(workbook(row(1, nik="123")))
    file.name = "warga.xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST_URL, {"workbook": file})

    job = only_job()
    assert job.language == "id"
    assert "harus" in job.rejected[0]["reason"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"NIK;Nama\n3274;Budi\n", "not an Excel workbook"),
        (b"\x00" * 100, "not an Excel workbook"),
        (workbook(headers=[]), "The workbook is empty"),
        (workbook(headers=HEADERS), "no residents below them"),
        (
            workbook(row(1), headers=["NIK", "Name", "Sex", *HEADERS[3:]]),
            "missing: Nama, Jenis Kelamin (L/P)",
        ),
        (workbook(row(1), headers=[*HEADERS[:-1], "nik"]), "“NIK” appears twice"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_changes(
    rw_operator, city, content, message
):
    response = upload(signed_in(rw_operator), content)

    assert response.status_code == 200
    assert message in response.context["form"].errors["workbook"][0]
    assert message in response.text
    assert not ImportJob.objects.exists()
    assert not Person.objects.exists()


def test_the_template_names_the_columns_and_its_example_row_is_not_imported(rw_operator, importer):
    response = signed_in(rw_operator).get(reverse("people:import-template"))

    content = response.content
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 2
    importer(content)
    assert "template's example row" in only_job().rejected[0]["reason"]
    assert not Person.objects.exists()


def test_an_editor_of_two_kelurahan_chooses_where_the_rt_numbers_are(
    rw_operator, other_rw_operator, rt, django_capture_on_commit_callbacks
):
    Membership.objects.create(
        user=rw_operator, unit=other_rw_operator.memberships.get().unit, role="rw_operator"
    )
    client = signed_in(rw_operator)

    assert upload(client, workbook(row(1))).context["form"].errors["kelurahan"]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, workbook(row(1)), kelurahan=HARJAMUKTI)

    assert Person.objects.get().rt == rt(HARJAMUKTI, 1, 1)


# Progress, resuming, running twice


def test_progress_is_saved_chunk_by_chunk_and_an_interrupted_job_resumes(
    rw_operator, rt, monkeypatch
):
    monkeypatch.setattr(actions.imports, "CHUNK_SIZE", 2)
    content = workbook(*(row(n) for n in range(1, 6)))
    kejaksan = Region.objects.get(code=KEJAKSAN)
    # As if a worker stopped after the first chunk had committed.
    job = ImportJob.objects.create(
        uploaded_by=rw_operator,
        kelurahan=kejaksan,
        language="en",
        file_name="w.xlsx",
        content=content,
        status="running",
        rows_processed=2,
        rows_imported=2,
    )
    for n in (1, 2):
        Person.objects.create(**{**_person_fields(rt), "nik": NIK.format(n)})
    seen: list[int] = []
    write_chunk = actions.imports._write_chunk
    monkeypatch.setattr(
        actions.imports,
        "_write_chunk",
        lambda job, rows, ctx: seen.append(len(rows)) or write_chunk(job, rows, ctx),
    )

    result = actions.process_import(job.pk)

    job.refresh_from_db()
    assert seen == [2, 1]
    assert result["status"] == "done"
    assert (job.rows_total, job.rows_processed, job.rows_imported, job.rows_rejected) == (
        5,
        5,
        5,
        0,
    )
    assert Person.objects.count() == 5


def test_running_a_finished_job_again_changes_nothing(importer):
    importer(workbook(row(1)))
    job = only_job()

    actions.process_import(job.pk)

    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(action="people.import").count() == 1


def test_an_unexpected_error_marks_the_job_failed(rw_operator, city, monkeypatch):
    job = ImportJob.objects.create(
        uploaded_by=rw_operator,
        kelurahan_id=KEJAKSAN,
        language="en",
        file_name="w.xlsx",
        content=workbook(row(1)),
    )
    monkeypatch.setattr(import_rows, "check_row", lambda *args: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        actions.process_import(job.pk)

    job.refresh_from_db()
    assert job.status == "failed" and "error in the system" in job.error
    assert AuditEvent.objects.get(action="people.import").details["status"] == "failed"


def _person_fields(rt) -> dict[str, Any]:
    return {
        "name": "Imported Earlier",
        "sex": "M",
        "birth_date": dt.date(1990, 6, 12),
        "birth_place": "Cirebon",
        "rt": rt(KEJAKSAN, 1, 1),
        "address": "Jl. A",
    }


# The job page and the list


def test_a_running_job_shows_its_progress_and_reloads_itself(rw_operator, city):
    job = ImportJob.objects.create(
        uploaded_by=rw_operator,
        kelurahan_id=KEJAKSAN,
        file_name="warga.xlsx",
        content=b"x",
        status="running",
        rows_total=400,
        rows_processed=200,
    )

    response = signed_in(rw_operator).get(reverse("people:import-detail", args=[job.pk]))

    assert response.status_code == 200
    assert '<progress id="import-progress" class="progress" max="400" value="200">' in response.text
    assert '<meta http-equiv="refresh" content="3">' in response.text
    assert response["Refresh"] == "3"


def test_a_finished_job_shows_counts_and_refused_rows_with_a_masked_nik(importer):
    importer(workbook(row(1), row(2, name=""), row(3, rw=2)))
    job = only_job()

    client = signed_in(job.uploaded_by)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("people:import-detail", args=[job.pk]))

    assert response.status_code == 200
    assert "refresh" not in response.text and not response.has_header("Refresh")
    assert "<strong>1</strong> residents imported" in response.text
    assert "<strong>2</strong> rows refused" in response.text
    assert "Nama is empty." in response.text and "outside your area" in response.text
    assert "3274••••••••0002" in response.text
    assert NIK.format(2) not in response.text and NIK.format(3) not in response.text


def test_another_users_job_is_not_found(other_rw_operator, rw_operator, city):
    job = ImportJob.objects.create(
        uploaded_by=rw_operator, kelurahan_id=KEJAKSAN, file_name="w.xlsx", content=b"x"
    )

    response = signed_in(other_rw_operator).get(reverse("people:import-detail", args=[job.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["people:import-list", "people:import-template"])
def test_the_import_pages_work_for_an_editor(rw_operator, name):
    response = signed_in(rw_operator).get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_a_read_only_member_may_not_import(request, persona, rw_operator, city):
    job = ImportJob.objects.create(
        uploaded_by=rw_operator, kelurahan_id=KEJAKSAN, file_name="w.xlsx", content=b"x"
    )
    client = signed_in(request.getfixturevalue(persona))

    assert client.get(reverse("people:import-list")).status_code == 403
    assert client.get(reverse("people:import-template")).status_code == 403
    assert client.get(reverse("people:import-detail", args=[job.pk])).status_code == 403
    assert upload(client, workbook(row(1))).status_code == 403
    assert not Person.objects.exists()


def test_the_list_shows_only_the_users_imports_in_few_queries(
    rw_operator, other_rw_operator, city, django_assert_max_num_queries
):
    for n in range(25):
        ImportJob.objects.create(
            uploaded_by=rw_operator,
            kelurahan_id=KEJAKSAN,
            file_name=f"mine-{n}.xlsx",
            content=b"x" * 1000,
            status="done",
            rows_imported=n,
        )
    ImportJob.objects.create(
        uploaded_by=other_rw_operator,
        kelurahan_id=HARJAMUKTI,
        file_name="theirs.xlsx",
        content=b"x",
    )
    client = signed_in(rw_operator)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:import-list"))

    assert response.text.count("mine-") == 25
    assert "theirs.xlsx" not in response.text
