from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.core.excel import XLSX_CONTENT_TYPE
from kotacerdas.people import imports
from kotacerdas.people.models import ImportJob, Person

URL = "/penduduk/ekspor/"
HEADERS = [header for _key, header in imports.COLUMNS]


def rows_of(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_the_export_holds_the_current_residents_of_the_area_in_the_template_columns(
    rw_operator, make_person, make_family, rt
):
    family = make_family(rt(KEJAKSAN, 1, 2))
    make_person(
        rt(KEJAKSAN, 1, 2),
        name="Ani Lengkap",
        family=family,
        relationship="3",
        religion="katolik",
        education="s1",
        marital_status="married",
        phone="+6281223456789",
        occupation="Guru",
        address="Jl. Kartini 5",
    )
    make_person(rt(KEJAKSAN, 1, 1), name="Bayi Tanpa NIK", nik=None)
    make_person(rt(KEJAKSAN, 1, 1), name="Almarhum", status=Person.Status.DEAD)
    make_person(rt(KEJAKSAN, 2, 1), name="Other RW")
    make_person(rt(HARJAMUKTI, 1, 1), name="Other Kelurahan")

    response = signed_in(rw_operator).get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="penduduk-')
    assert "no-store" in response["Cache-Control"]
    header, *rows = rows_of(response)
    assert list(header) == HEADERS
    by_name = {row[1]: row for row in rows}
    assert sorted(by_name) == ["Ani Lengkap", "Bayi Tanpa NIK"]
    assert by_name["Ani Lengkap"] == (
        "3274014503180001",
        "Ani Lengkap",
        "P",
        dt.datetime(2018, 3, 5),
        "Cirebon",
        "Katolik",
        "S1",
        "Guru",
        "Kawin",
        "+6281223456789",
        "Jl. Kartini 5",
        2,
        1,
        family.kk_number,
        3,
    )
    assert by_name["Bayi Tanpa NIK"][0] is None and by_name["Bayi Tanpa NIK"][13] is None


def test_every_export_is_audited_with_its_row_count(rw_operator, make_person, rt):
    for n in range(3):
        make_person(rt(KEJAKSAN, 1, 1), name=f"Warga {n}")

    rows_of(signed_in(rw_operator).get(URL))

    event = AuditEvent.objects.get(action="people.export")
    assert event.actor == rw_operator
    assert event.details == {"count": 3}


def test_text_that_looks_like_a_formula_stays_text(rw_operator, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name='=HYPERLINK("http://evil.example","klik")')

    response = signed_in(rw_operator).get(URL)

    content = b"".join(response.streaming_content)
    cell = load_workbook(io.BytesIO(content)).worksheets[0]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil.example","klik")'


def test_an_exported_workbook_imports_back_with_the_same_checks(
    rw_operator, make_person, make_family, rt, django_capture_on_commit_callbacks
):
    family = make_family(rt(KEJAKSAN, 1, 1))
    make_person(rt(KEJAKSAN, 1, 1), family=family, relationship="1", religion="islam")
    client = signed_in(rw_operator)
    content = b"".join(client.get(URL).streaming_content)
    file = io.BytesIO(content)
    file.name = "ekspor.xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        client.cookies["django_language"] = "en"
        client.post(reverse("people:import-list"), {"workbook": file})

    job = ImportJob.objects.get()
    assert job.rejected == [
        {
            "row": 2,
            "nik": "3274••••••••0001",
            "reason": "A person with this NIK is already in the register.",
        }
    ]


def test_the_export_query_count_does_not_grow_with_residents(
    rw_operator, make_person, make_family, rt, django_assert_max_num_queries
):
    for n in range(30):
        make_person(rt(KEJAKSAN, 1, 1), name=f"Warga {n}", family=make_family(rt(KEJAKSAN, 1, 1)))
    client = signed_in(rw_operator)

    # One query for the residents; the rest is the session and the audit chain.
    with django_assert_max_num_queries(16):
        response = client.get(URL)
        rows = rows_of(response)

    assert len(rows) == 31


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_a_member_who_cannot_edit_may_not_export(request, persona, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1))

    response = signed_in(request.getfixturevalue(persona)).get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="people.export").exists()


def test_another_rw_exports_only_its_own_residents(other_rw_operator, make_person, rt):
    make_person(rt(KEJAKSAN, 1, 1), name="Kejaksan Resident")
    make_person(rt(HARJAMUKTI, 1, 1), name="Harjamukti Resident")

    rows = rows_of(signed_in(other_rw_operator).get(URL))

    assert [row[1] for row in rows[1:]] == ["Harjamukti Resident"]


def test_the_register_links_to_import_and_export_for_editors_only(rw_operator, viewer):
    links = (f'href="{reverse("people:import-list")}"', f'href="{URL}"')

    editor_page = signed_in(rw_operator).get(reverse("people:person-list")).text
    viewer_page = signed_in(viewer).get(reverse("people:person-list")).text

    assert all(link in editor_page for link in links)
    assert not any(link in viewer_page for link in links)
