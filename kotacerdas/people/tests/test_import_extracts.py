"""Issue 17: the register loaded from OpenSID exports and SIAK extracts, and again monthly."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.people import actions
from kotacerdas.people.models import (
    AreaMapping,
    Family,
    ImportedValues,
    ImportJob,
    LifeEvent,
    Person,
)
from kotacerdas.people.tests import extracts
from kotacerdas.people.tests.extracts import resident
from kotacerdas.regions.models import Region

KK1, KK2, KK3, KK4 = (f"32740120052000{n:02d}" for n in range(1, 5))


def people() -> list[dict[str, Any]]:
    """Three families of Kejaksan, chosen so every code table is read."""
    budi = resident(1, "Budi Santoso", kk=KK1, shdk=1, pendidikan_kk_id=8, pekerjaan_id=5,
                    golongan_darah_id=11)  # fmt: skip
    siti = resident(2, "Siti Aminah", kk=KK1, shdk=3, sex=2, born=dt.date(1988, 7, 21),
                    pendidikan_kk_id=7, pekerjaan_id=2, golongan_darah_id=1)  # fmt: skip
    andi = resident(3, "Andi Santoso", kk=KK1, shdk=4, born=dt.date(2015, 2, 10),
                    pendidikan_kk_id=2, pendidikan_sedang_id=4, pekerjaan_id=3,
                    ayah_nik=budi["nik"], ibu_nik=siti["nik"],
                    akta_lahir="3274-LT-10022015-0001")  # fmt: skip
    joko = resident(4, "Joko Susilo", kk=KK2, shdk=1, born=dt.date(1970, 1, 15), rt=2,
                    agama_id=2, pendidikan_kk_id=10, pekerjaan_id=15, status_kawin=3,
                    warganegara_id=3, golongan_darah_id=9)  # fmt: skip
    rina = resident(5, "Rina Susilo", kk=KK2, shdk=4, sex=2, born=dt.date(2000, 9, 30), rt=2,
                    agama_id=3, pendidikan_kk_id=6, pendidikan_sedang_id=11, pekerjaan_id=3,
                    golongan_darah_id=6)  # fmt: skip
    wati = resident(6, "Wati Rahayu", kk=KK3, shdk=1, sex=2, born=dt.date(1955, 12, 1), rw=2,
                    agama_id=4, pendidikan_kk_id=9, pekerjaan_id=84, status_kawin=4,
                    warganegara_id=2, golongan_darah_id=2, ktp_el=1)  # fmt: skip
    return [budi, siti, andi, joko, rina, wati]


@pytest.fixture
def run(city, kelurahan_officer):
    """Runs a file through the engine as the kelurahan's operator; returns the job."""

    def go(
        content: bytes, *, dry_run: bool = False, name: str = "warga.xlsx", language: str = "en"
    ) -> ImportJob:
        job = ImportJob.objects.create(
            uploaded_by=kelurahan_officer,
            kelurahan=Region.objects.get(code=KEJAKSAN),
            file_name=name,
            content=content,
            dry_run=dry_run,
            language=language,
        )
        actions.process_import(job.pk)
        job.refresh_from_db()
        return job

    return go


def by_name() -> dict[str, Person]:
    return {p.name: p for p in Person.objects.select_related("family", "rt__rw")}


def check_translated(found: dict[str, Person], *, child_card: str = "kia") -> None:
    """Every code table spot-checked on the imported people."""
    budi, siti, andi = found["Budi Santoso"], found["Siti Aminah"], found["Andi Santoso"]
    joko, rina, wati = found["Joko Susilo"], found["Rina Susilo"], found["Wati Rahayu"]
    assert (budi.sex, siti.sex) == ("M", "F")
    assert [p.religion for p in (budi, joko, rina, wati)] == [
        "islam",
        "kristen",
        "katolik",
        "hindu",
    ]
    assert [p.education for p in (budi, siti, andi, joko, rina, wati)] == [
        "s1", "diploma", "none", "s3", "diploma", "s2",
    ]  # fmt: skip
    assert budi.occupation == "Pegawai Negeri Sipil (PNS)"
    assert (siti.occupation, joko.occupation, wati.occupation) == (
        "Mengurus Rumah Tangga", "Karyawan Swasta", "Pedagang",
    )  # fmt: skip
    assert [p.marital_status for p in (andi, budi, joko, wati)] == [
        "single", "married", "divorced", "widowed",
    ]  # fmt: skip
    assert [p.relationship for p in (budi, siti, andi)] == ["1", "3", "4"]
    assert [p.blood_type for p in (budi, siti, joko, rina, wati)] == ["O+", "A", "AB+", "A-", "B"]
    assert [p.identity_card for p in (budi, andi)] == ["ktp_el", child_card]
    assert [p.status for p in found.values()] == ["alive"] * 6
    assert andi.birth_certificate_number == "3274-LT-10022015-0001"
    assert (andi.father, andi.mother) == (budi, siti)
    assert (andi.father_name, andi.mother_name) == ("Ayah Andi", "Ibu Andi")
    assert andi.birth_date == dt.date(2015, 2, 10)
    assert (budi.rt.rw.number, budi.rt.number, joko.rt.number, wati.rt.rw.number) == (1, 1, 2, 2)
    assert budi.family is not None and budi.family.kk_number == KK1
    assert andi.family == budi.family


def test_an_opensid_export_is_imported_with_its_codes_translated(run):
    job = run(extracts.opensid_workbook(people()))

    assert (job.status, job.file_format, job.rows_imported, job.rows_rejected) == (
        "done", "opensid", 6, 0,
    )  # fmt: skip
    assert job.families_created == 3
    found = by_name()
    check_translated(found)
    assert found["Andi Santoso"].schooling == "Sedang SD/sederajat"
    assert found["Rina Susilo"].schooling == "Sedang S-1/sederajat"
    assert [p.citizenship for p in (found["Budi Santoso"], found["Joko Susilo"])] == ["wni", "dual"]
    assert found["Wati Rahayu"].citizenship == "wna"
    assert found["Wati Rahayu"].identity_card == "none"
    # What the register has no place for is listed, not silently dropped.
    assert job.unplaced_columns == ["dokumen_pasport", "cacat_id", "status_rekam", "suku"]
    # The first load writes no life events: the people were there already.
    assert not LifeEvent.objects.exists()
    assert ImportedValues.objects.count() == 6


@pytest.mark.parametrize("serial_dates", [True, False])
def test_a_siak_extract_is_imported_with_its_text_values(run, serial_dates):
    job = run(extracts.siak_workbook(people(), serial_dates=serial_dates))

    assert (job.status, job.file_format, job.rows_imported, job.rows_rejected) == (
        "done", "siak", 6, 0,
    )  # fmt: skip
    check_translated(by_name(), child_card="")  # SIAK's "Cetak KTP" says nothing of a KIA
    assert "Petugas Entri" in job.unplaced_columns and "Cacat" in job.unplaced_columns


def edited(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Next month: Wati died, Rina moved away, a child born to Budi, Joko moved house."""
    rows = [dict(p) for p in rows]
    names = {p["nama"]: p for p in rows}
    names["Wati Rahayu"]["status_dasar"] = 2
    names["Rina Susilo"]["status_dasar"] = 3
    names["Joko Susilo"]["alamat"] = "Jl. Kartini No. 40"
    born = dt.date.today() - dt.timedelta(days=20)
    rows.append(
        resident(7, "Bayi Santoso", kk=KK1, shdk=4, sex=2, born=born,
                 ayah_nik=names["Budi Santoso"]["nik"], ibu_nik=names["Siti Aminah"]["nik"])
    )  # fmt: skip
    return rows


@pytest.mark.parametrize("write", [extracts.opensid_workbook, extracts.siak_workbook])
def test_monthly_reimport_changes_exactly_what_changed(run, write):
    run(write(people()))
    again = run(write(people()))
    assert (again.rows_imported, again.rows_updated, again.rows_left, again.rows_unchanged) == (
        0, 0, 0, 6,
    )  # fmt: skip
    assert again.changes == [] and again.conflicts == [] and not LifeEvent.objects.exists()

    dry = run(write(edited(people())), dry_run=True)
    assert (dry.rows_imported, dry.rows_updated, dry.rows_left) == (1, 1, 2)
    assert sorted(change["kind"] for change in dry.changes) == ["birth", "dead", "moved", "update"]
    update = next(change for change in dry.changes if change["kind"] == "update")
    assert update["fields"] == [["address", "Jl. Pekiringan No. 4", "Jl. Kartini No. 40"]]
    assert Person.objects.count() == 6 and not LifeEvent.objects.exists()  # nothing written

    job = run(write(edited(people())))
    assert (job.rows_imported, job.rows_updated, job.rows_left, job.rows_unchanged) == (1, 1, 2, 3)
    events = {(e.person.name, e.kind) for e in LifeEvent.objects.select_related("person")}
    assert events == {
        ("Wati Rahayu", "death"),
        ("Rina Susilo", "move_out"),
        ("Bayi Santoso", "birth"),
        ("Joko Susilo", "correct"),
    }
    found = by_name()
    assert (found["Wati Rahayu"].status, found["Rina Susilo"].status) == ("dead", "moved")
    assert found["Joko Susilo"].address == "Jl. Kartini No. 40"
    assert found["Bayi Santoso"].family == found["Budi Santoso"].family
    assert found["Bayi Santoso"].mother == found["Siti Aminah"]
    assert Person.objects.count() == 7  # nobody duplicated, nobody deleted

    last = run(write(edited(people())))
    assert (last.rows_imported, last.rows_updated, last.rows_left) == (0, 0, 0)
    assert LifeEvent.objects.count() == 4


def test_a_change_made_in_the_platform_is_a_conflict_not_overwritten(run, kelurahan_officer):
    run(extracts.siak_workbook(people()))
    siti = Person.objects.get(name="Siti Aminah")
    actions.correct_person(
        siti, changes={"name": "Siti Aminah Zahra"}, reason="KTP", actor=kelurahan_officer
    )
    rows = people()
    rows[1]["pekerjaan_id"] = 15  # Dukcapil changed her occupation meanwhile

    job = run(extracts.siak_workbook(rows))

    siti.refresh_from_db()
    assert siti.name == "Siti Aminah Zahra"  # kept
    assert siti.occupation == "Karyawan Swasta"  # Dukcapil's own change applied
    assert [c["fields"] for c in job.conflicts] == [[["name", "Siti Aminah Zahra", "Siti Aminah"]]]
    assert job.rows_updated == 1


def test_bad_rows_are_refused_with_a_reason_and_nothing_of_them_imported(run):
    rows = people()
    rows[4]["nik"] = rows[3]["nik"]  # a NIK twice
    rows[5]["kk_level"] = 4  # Wati's card loses its head
    rows[1]["agama_id"] = 12  # unknown code
    rows[2]["tanggallahir"] = dt.date.today() + dt.timedelta(days=3)  # future date

    job = run(extracts.opensid_workbook(rows))

    reasons = {row["row"]: row["reason"] for row in job.rejected}
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "same NIK is on rows 5, 6" in reasons[5] and reasons[5] == reasons[6]
    assert "no head of family" in reasons[7]
    assert "agama_id “12” is not a code" in reasons[3]
    assert "cannot be in the future" in reasons[4]
    assert job.rows_imported == 1
    assert list(Person.objects.values_list("name", flat=True)) == ["Budi Santoso"]
    assert not Family.objects.exclude(kk_number=KK1).exists()


def test_a_person_recorded_dead_and_unknown_is_not_added(run):
    rows = people()
    rows[5]["status_dasar"] = 2

    job = run(extracts.siak_workbook(rows))

    assert job.rows_rejected == 1 and "deceased or moved away" in job.rejected[0]["reason"]
    assert not Person.objects.filter(name="Wati Rahayu").exists()


def test_a_desa_file_needs_its_dusun_mapped_and_the_mapping_is_remembered(run, rt):
    rows = people()[:3]
    for person in rows:
        person.update(dusun="MANGSIT", rw="-", rt="004")

    refused = run(extracts.opensid_workbook(rows))
    assert refused.rows_rejected == 3 and "Dusun MANGSIT has no RW" in refused.rejected[0]["reason"]

    AreaMapping.objects.create(
        kelurahan_id=KEJAKSAN, dusun="MANGSIT", file_rw="-", file_rt="4", rt=rt(KEJAKSAN, 2, 2)
    )
    job = run(extracts.opensid_workbook(rows))
    assert job.rows_imported == 3
    budi = Person.objects.get(name="Budi Santoso")
    assert (budi.rt, budi.address) == (rt(KEJAKSAN, 2, 2), "Jl. Pekiringan No. 1")


def test_the_command_imports_dry_runs_and_maps_on_the_same_engine(city, tmp_path, rt):
    rows = people()
    for person in rows[:3]:
        person.update(dusun="MANGSIT", rw="-", rt="004")
    path = tmp_path / "siak-kejaksan.xlsx"
    path.write_bytes(extracts.opensid_workbook(rows))
    area_map = tmp_path / "peta.csv"
    area_map.write_text("dusun,rw,rt,kelurahan_rw,kelurahan_rt\nMangsit,-,4,2,2\n")
    out = io.StringIO()

    call_command("import_residents", str(path), kelurahan=KEJAKSAN, dry_run=True, stdout=out)
    assert (
        "Dry run" in out.getvalue() and "new 3" in out.getvalue() and "refused 3" in out.getvalue()
    )
    assert not Person.objects.exists()

    call_command("import_residents", str(path), kelurahan=KEJAKSAN, map=area_map, stdout=out)
    assert Person.objects.count() == 6
    assert Person.objects.get(name="Budi Santoso").rt == rt(KEJAKSAN, 2, 2)
    assert AreaMapping.objects.get(kelurahan_id=KEJAKSAN).rt == rt(KEJAKSAN, 2, 2)

    with pytest.raises(CommandError, match="No kelurahan"):
        call_command("import_residents", str(path), kelurahan="32.74.99.9999")


def test_an_html_page_named_xls_is_refused_with_a_reason(city, tmp_path, kelurahan_officer):
    page = b"<html><body><table><tr><td>NIK</td><td>Nama</td></tr></table></body></html>"
    path = tmp_path / "ekspor-siak.xls"
    path.write_bytes(page)

    with pytest.raises(CommandError, match="halaman web \\(HTML\\)"):
        call_command("import_residents", str(path), kelurahan=KEJAKSAN)

    client = signed_in(kelurahan_officer)
    client.cookies["django_language"] = "id"
    file = io.BytesIO(page)
    file.name = "ekspor-siak.xls"
    response = client.post("/penduduk/impor/", {"workbook": file})
    assert response.status_code == 200
    assert "halaman web (HTML)" in response.context["form"].errors["workbook"][0]
    assert not ImportJob.objects.exists() and not Person.objects.exists()


def test_a_50_mb_file_is_refused_with_a_reason(city, kelurahan_officer):
    client = signed_in(kelurahan_officer)
    client.cookies["django_language"] = "id"
    big = io.BytesIO(extracts.siak_workbook(people()) + b"\0" * (50 * 1024 * 1024))
    big.name = "siak-kota.xlsx"

    response = client.post("/penduduk/impor/", {"workbook": big})

    assert response.status_code == 200
    assert "lebih dari 10 MB" in response.context["form"].errors["workbook"][0]
    assert not ImportJob.objects.exists() and not Person.objects.exists()


def test_the_fast_reader_keeps_row_numbers_dates_and_falls_back_to_openpyxl():
    from openpyxl import Workbook as OpenpyxlWorkbook

    from kotacerdas.people.imports import xlsx

    book = OpenpyxlWorkbook()
    sheet: Any = book.active
    sheet.append(["NIK", "Tanggal"])
    sheet["A3"] = "3274011204900001"
    sheet["B3"] = dt.datetime(1990, 4, 12)
    sheet["A5"] = "a & b <c>"
    buffer = io.BytesIO()
    book.save(buffer)

    rows = list(xlsx.Workbook(io.BytesIO(buffer.getvalue())).rows())

    assert rows[0] == ("NIK", "Tanggal") and rows[1] == ()
    assert rows[2] == ("3274011204900001", dt.datetime(1990, 4, 12))
    assert rows[3] == () and rows[4] == ("a & b <c>",)
    with pytest.raises(xlsx.Unsupported):
        xlsx.Workbook(io.BytesIO(b"PK\x03\x04 not a zip"))


def test_an_unchanged_row_is_checked_again_when_its_place_or_the_register_changed(
    run, rt, kelurahan_officer
):
    """Rows as last month are skipped only while nothing around them changed:
    a new mapping of their dusun, or a correction made in the platform, and they
    are compared in full again (the dry run stays exact)."""
    rows = people()[:3]
    for person in rows:
        person.update(dusun="MANGSIT", rw="-", rt="004")
    mapping = AreaMapping.objects.create(
        kelurahan_id=KEJAKSAN, dusun="MANGSIT", file_rw="-", file_rt="4", rt=rt(KEJAKSAN, 1, 1)
    )
    assert run(extracts.opensid_workbook(rows)).rows_imported == 3
    assert run(extracts.opensid_workbook(rows)).rows_unchanged == 3

    mapping.rt = rt(KEJAKSAN, 2, 2)
    mapping.save()
    moved = run(extracts.opensid_workbook(rows), dry_run=True)
    assert (moved.rows_updated, moved.rows_unchanged) == (3, 0)

    budi = Person.objects.get(name="Budi Santoso")
    actions.correct_person(budi, changes={"name": "Budi S."}, reason="KTP", actor=kelurahan_officer)
    mapping.rt = rt(KEJAKSAN, 1, 1)
    mapping.save()
    again = run(extracts.opensid_workbook(rows))
    assert [c["fields"] for c in again.conflicts] == [[["name", "Budi S.", "Budi Santoso"]]]
    assert again.rows_unchanged == 2
