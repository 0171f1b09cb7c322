"""The nightly build: datasets from the services' figures, suppressed, in the long format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.opendata.build import build, years_to_build
from kotacerdas.opendata.models import Dataset, Resource, YearTable
from kotacerdas.opendata.tests.conftest import HARJAMUKTI, KEJAKSAN, KESAMBI, MONTH, YEAR

MONTH_HEADER = [
    "id",
    "kode_provinsi",
    "nama_provinsi",
    "kode_kabupaten_kota",
    "nama_kabupaten_kota",
    "kode_kecamatan",
    "nama_kecamatan",
    "kode_kelurahan",
    "nama_kelurahan",
    "jumlah_balita_ditimbang",
    "satuan",
    "tahun",
    "bulan",
]


def rows_of(name: str, fmt: str = "CSV") -> list[dict[str, str]]:
    resource = Resource.objects.get(dataset__name=name, format=fmt)
    return list(csv.DictReader(io.StringIO(bytes(resource.content).decode())))


def test_each_figure_becomes_a_monthly_and_a_yearly_dataset_with_satu_data_metadata(filled):
    report = build([YEAR])

    assert report.failed == 0
    names = set(Dataset.objects.values_list("name", flat=True))
    assert {"posyandu-children-weighed-bulanan", "posyandu-children-weighed-tahunan"} <= names
    weighed = Dataset.objects.get(name="posyandu-children-weighed-bulanan")
    assert weighed.sensitivity == "spesifik"  # health and children: threshold 11
    assert weighed.status == Dataset.Status.DRAFT  # nothing is published before review
    assert weighed.organization.name == "dinkes"
    assert weighed.unit == "ANAK" and weighed.next_release is not None
    assert "Angka 1 sampai 10 disembunyikan" in weighed.method
    assert Dataset.objects.get(name="literacy-wifi-sessions-bulanan").sensitivity == "umum"


def test_the_csv_is_open_data_jabars_long_format_with_kemendagri_codes(filled):
    build([YEAR])

    resource = Resource.objects.get(dataset__name="posyandu-children-weighed-bulanan", format="CSV")
    reader = csv.reader(io.StringIO(bytes(resource.content).decode()))
    header = next(reader)
    assert header == MONTH_HEADER
    rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert len(rows) == 22 * MONTH  # every kelurahan of the register, every month so far
    kejaksan = next(r for r in rows if r["kode_kelurahan"] == KEJAKSAN and r["bulan"] == "1")
    assert kejaksan["kode_provinsi"] == "32" and kejaksan["nama_provinsi"] == "JAWA BARAT"
    assert kejaksan["kode_kabupaten_kota"] == "3274"
    assert kejaksan["nama_kabupaten_kota"] == "KOTA CIREBON"
    assert kejaksan["kode_kecamatan"] == "32.74.01" and kejaksan["nama_kelurahan"] == "KEJAKSAN"
    assert kejaksan["satuan"] == "ANAK" and kejaksan["tahun"] == str(YEAR)
    assert [r["id"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]


def test_the_yearly_dataset_sums_the_months_and_has_no_month_column(filled):
    build([YEAR])

    rows = rows_of("literacy-wifi-sessions-tahunan")
    assert "bulan" not in rows[0]
    kejaksan = next(r for r in rows if r["kode_kelurahan"] == KEJAKSAN)
    assert kejaksan["jumlah_sesi"] == str(sum(100 + m for m in range(1, MONTH + 1)))


def test_the_json_holds_the_same_rows_and_the_metadata(filled):
    build([YEAR])

    resource = Resource.objects.get(dataset__name="literacy-wifi-sessions-bulanan", format="JSON")
    document = json.loads(bytes(resource.content))
    assert document["metadata"]["satuan"] == "SESI"
    assert document["metadata"]["walidata"].startswith("Dinas Komunikasi")
    assert len(document["data"]) == len(rows_of("literacy-wifi-sessions-bulanan"))
    hidden = [row for row in document["data"] if row["jumlah_sesi"] is None]
    assert hidden  # Harjamukti's 2 sessions in January, and its partners


@pytest.mark.parametrize(
    ("name", "measure", "k"),
    [
        ("posyandu-children-weighed-bulanan", "jumlah_balita_ditimbang", 11),
        ("literacy-wifi-sessions-bulanan", "jumlah_sesi", 5),
        ("reports-reports-received-bulanan", "jumlah_laporan", 11),
    ],
)
def test_no_published_file_holds_a_count_below_its_threshold(filled, name, measure, k):
    build([YEAR - 1, YEAR])

    values = [row[measure] for row in rows_of(name)]
    assert values
    assert not [v for v in values if v and 0 < int(v) < k]
    weighed = {(r["kode_kelurahan"], r["bulan"]): r[measure] for r in rows_of(name)}
    if name.startswith("posyandu"):
        assert weighed[(KESAMBI, "1")] == ""  # 3 children: hidden
        assert weighed[(HARJAMUKTI, "1")] == ""  # its partner in January (30)


def test_hidden_cells_cannot_be_rebuilt_from_the_published_year_totals(filled):
    """Within a month table, every kelurahan and month with a hidden cell has another one."""
    build([YEAR])

    monthly = rows_of("literacy-wifi-sessions-bulanan")
    yearly = {
        r["kode_kelurahan"]: r["jumlah_sesi"] for r in rows_of("literacy-wifi-sessions-tahunan")
    }
    by_place: dict[str, list[str]] = {}
    for row in monthly:
        by_place.setdefault(row["kode_kelurahan"], []).append(row["jumlah_sesi"])
    for code, values in by_place.items():
        hidden = values.count("")
        total_hidden = yearly[code] == ""
        assert hidden + total_hidden != 1, code


def test_a_rebuild_with_the_same_figures_keeps_metadata_modified(filled):
    build([YEAR])
    before = dict(Dataset.objects.values_list("name", "metadata_modified"))

    report = build([YEAR])

    assert report.tables_changed == 0 and report.datasets_changed == 0
    assert dict(Dataset.objects.values_list("name", "metadata_modified")) == before


def test_a_changed_figure_moves_only_its_own_datasets(filled):
    build([YEAR])
    before = dict(Dataset.objects.values_list("name", "metadata_modified"))
    filled.set("literacy.wifi_sessions", KEJAKSAN, 1, 500)

    build([YEAR])

    after = dict(Dataset.objects.values_list("name", "metadata_modified"))
    moved = {name for name in after if after[name] != before[name]}
    assert "literacy-wifi-sessions-bulanan" in moved
    assert moved <= {"literacy-wifi-sessions-bulanan", "literacy-wifi-sessions-tahunan"}


def test_the_nightly_run_recomputes_this_year_and_keeps_the_past_years_tables(filled):
    build([YEAR - 1, YEAR])
    past = YearTable.objects.get(figure="posyandu.children_weighed", year=YEAR - 1)

    build(years_to_build(full=False))

    assert YearTable.objects.get(pk=past.pk).built_at == past.built_at
    rows = rows_of("posyandu-children-weighed-bulanan")
    assert {r["tahun"] for r in rows} == {str(YEAR - 1), str(YEAR)}


def test_a_broken_service_does_not_stop_the_others(filled, monkeypatch):
    def broken(year):
        raise RuntimeError("database gone")

    from kotacerdas.opendata import catalogue

    functions = filled.functions()
    functions["reports"]["reports_received"] = broken
    monkeypatch.setattr(catalogue, "stats_functions", lambda: functions)

    report = build([YEAR])

    assert report.failed == 1
    assert Resource.objects.filter(dataset__name="literacy-wifi-sessions-bulanan").exists()


def test_the_register_residents_are_built_from_the_real_figure(rt, make_person):
    """The real stats function of the floor (no fake): residents per kelurahan, a stock."""
    for _ in range(6):
        make_person(rt(KEJAKSAN, 1, 1))
    for _ in range(3):
        make_person(rt(HARJAMUKTI, 1, 1))

    build([YEAR], ["web.residents"])

    rows = {r["kode_kelurahan"]: r["jumlah_penduduk"] for r in rows_of("web-residents-bulanan")}
    assert rows[HARJAMUKTI] == ""  # 3 residents: below 5
    assert rows[KEJAKSAN] == ""  # 6, hidden too: the city total would give Harjamukti away
    assert rows["32.74.05.1001"] == "0"
    yearly = {r["kode_kelurahan"]: r["jumlah_penduduk"] for r in rows_of("web-residents-tahunan")}
    assert yearly[KEJAKSAN] == ""


def test_the_command_builds_and_refuses_an_unknown_figure(filled, capsys):
    call_command("opendata_build", "--year", str(YEAR), "--memory")
    assert "tables" in capsys.readouterr().out
    assert Dataset.objects.filter(built_at__isnull=False).exists()

    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("opendata_build", "--figure", "nothing.here")
