"""``python -m kotacerdas.growth zscores``: the analysts' command."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from kotacerdas.growth import compute_zscores
from kotacerdas.growth.cli import main

ROOT = Path(__file__).resolve().parents[3]
CASES_FILE = Path(__file__).with_name("who_anthro_testthat_cases.csv")
WHO_CASES = list(csv.DictReader(CASES_FILE.open(newline="")))


def run(tmp_path: Path, text: str, *options: str) -> tuple[int, list[dict[str, str]]]:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "out.csv"
    code = main(["zscores", str(source), "-o", str(target), *options])
    rows = list(csv.DictReader(target.open(newline=""))) if target.exists() else []
    return code, rows


GOOD = """\
id,sex,age_days,weight_kg,lenhei_cm,measure,oedema,headc_cm
a,1,400,9.0,75,l,n,46
b,P,731,10,85,l,,
c,L,244,6,60,h,,
d,2,1522,17,103.1,l,,
"""


def test_a_good_file_gets_every_output_column_unrounded(tmp_path):
    code, rows = run(tmp_path, GOOD)

    assert code == 0
    assert list(rows[0]) == [
        *("id", "sex", "age_days", "weight_kg", "lenhei_cm", "measure", "oedema", "headc_cm"),
        *("clenhei", "cbmi", "zwei", "zlen", "zwfl", "zbmi", "zhc"),
        *("fwei", "flen", "fwfl", "fbmi", "fhc"),
        *("bb_u", "pb_u", "bb_pb", "imt_u", "age_days_who", "age_months_completed", "note"),
    ]
    for row, (sex, days, kg, cm, how, headc) in zip(
        rows,
        [
            (1, 400, 9.0, 75, "l", 46),
            (2, 731, 10, 85, "l", None),
            (1, 244, 6, 60, "h", None),
            (2, 1522, 17, 103.1, "l", None),
        ],
        strict=True,
    ):
        expected = compute_zscores(
            sex, age_days=days, weight=kg, lenhei=cm, measure=how, headc=headc
        )
        # Unrounded: the full float, exactly as the library computes it.
        assert row["zwei"] == repr(expected.wfa.z_raw)
        assert row["zlen"] == repr(expected.lhfa.z_raw)
        assert row["zwfl"] == repr(expected.wflh.z_raw)
        assert row["zbmi"] == repr(expected.bfa.z_raw)
        assert row["clenhei"] == repr(expected.clenhei)
        assert row["cbmi"] == repr(expected.cbmi)
        assert row["zhc"] == ("" if headc is None else repr(expected.hcfa.z_raw))
        assert (row["fwei"], row["flen"], row["fwfl"], row["fbmi"]) == ("0", "0", "0", "0")
        assert row["age_days_who"] == str(days)
    assert [r["age_months_completed"] for r in rows] == ["13", "24", "8", "50"]
    assert rows[0]["bb_u"] == "Berat badan normal"
    assert rows[2]["bb_u"] == "Berat badan sangat kurang"
    assert rows[2]["pb_u"] == "Sangat pendek"
    assert rows[2]["note"].startswith("diukur berdiri (h) di bawah 9 bulan")
    assert [r["note"] for r in (rows[0], rows[1], rows[3])] == ["", "", ""]


def test_round_2_prints_z_as_who_does(tmp_path):
    lines = ["sex,age_days,weight_kg,lenhei_cm,measure"]
    for case in WHO_CASES:
        if case["is_month"] == "TRUE":
            continue
        lines.append(",".join(case[k] for k in ("sex", "age", "weight", "lenhei", "measure")))
    code, rows = run(tmp_path, "\n".join(lines) + "\n", "--round", "2")

    assert code == 0
    cases = [c for c in WHO_CASES if c["is_month"] != "TRUE"]
    assert len(rows) == len(cases) > 5
    for row, case in zip(rows, cases, strict=True):
        for column in ("zwei", "zlen", "zwfl", "zbmi"):
            expected = f"{float(case[column]):.2f}" if case[column] else ""
            assert row[column] == expected, (case["test"], column)
        for column in ("fwei", "flen", "fwfl", "fbmi"):
            assert row[column] == case[column], (case["test"], column)
        if case["clenhei"]:
            assert row["clenhei"] == f"{float(case['clenhei']):.2f}"


def test_minus_zero_is_printed_as_zero(tmp_path):
    # A boy of day 400 at the median length: z = 0.0000…, rounded 0.00 (not −0.00).
    code, rows = run(
        tmp_path,
        "sex,age_days,weight_kg,lenhei_cm,measure\n1,400,,77.081,l\n",
        "--round",
        "2",
    )

    assert code == 0
    assert rows[0]["zlen"] == "0.00"


def test_bad_rows_say_why_and_never_stop_the_file(tmp_path):
    text = """\
sex,age_days,weight_kg,lenhei_cm,measure,oedema
x,400,9,75,l,
,400,9,75,l,
1,,9,75,l,
1,-3,9,75,l,
1,1900,18,105,h,
1,400,0,75,l,
1,400,abc,75,l,
1,400,9,75,q,
1,400,9,75,l,y
1,400,9,75,l,maybe
2,100,2.5,44.9,l,
1,1800,22,121,h,
1,400,30,75,l,
1,400,9
1,400,9,75,l,
"""
    code, rows = run(tmp_path, text)

    assert code == 0
    notes = [r["note"] for r in rows]
    assert len(rows) == 15
    assert notes[0] == "sex 'x' tidak dikenal (pakai 1/2 atau L/P): tanpa z-score"
    assert notes[1] == "sex kosong: tanpa z-score"
    assert notes[2].startswith("umur kosong")
    assert rows[2]["zwfl"] != ""  # weight-for-length needs no age
    assert notes[3] == "age_days negatif: tanpa z menurut umur"
    assert notes[4].startswith("umur ≥ 60 bulan")
    assert rows[4]["zwei"] == rows[4]["zwfl"] == ""
    assert notes[5] == "weight_kg ≤ 0: tanpa zwei, zwfl, zbmi"
    assert notes[6] == "weight_kg 'abc' bukan angka"
    assert rows[6]["zlen"] != ""
    assert notes[7] == "measure 'q' tidak dikenal (pakai l atau h): dianggap kosong"
    assert notes[8] == "edema: zwei, zwfl, zbmi tidak dihitung (aturan WHO)"
    assert rows[8]["zwei"] == "" and rows[8]["zlen"] != ""
    assert notes[9] == "oedema 'maybe' tidak dikenal (pakai y atau n): dianggap tidak"
    assert rows[9]["zwei"] != ""
    assert "clenhei 44.9 cm di luar tabel BB/PB (45–110 cm): tanpa zwfl" in notes[10]
    assert notes[11] == "clenhei 121 cm di luar tabel BB/TB (65–120 cm): tanpa zwfl"
    assert notes[12] == (
        "nilai tidak wajar menurut WHO (flag) pada zwei, zwfl, zbmi: "
        "periksa pengukuran; kategorinya dikosongkan"
    )
    assert (rows[12]["fwei"], rows[12]["bb_u"], rows[12]["pb_u"]) == ("1", "", "Normal")
    assert notes[13].startswith("baris berisi 3 kolom, header 6")
    assert notes[14] == ""


def test_arm_and_head_circumference_and_indonesian_sex_words(tmp_path):
    text = """\
sex,age_days,weight_kg,lenhei_cm,measure,headc_cm,armc_cm
laki-laki,400,9,75,l,46,14.7
Perempuan,90,5,58,l,0,12
LK,400,9,75,l,60,14.7
"""
    code, rows = run(tmp_path, text)

    assert code == 0
    assert list(rows[0])[-9:-7] == ["zac", "fac"]
    expected = compute_zscores(1, age_days=400, weight=9, lenhei=75, headc=46, armc=14.7)
    assert rows[0]["zac"] == repr(expected.acfa.z_raw)
    assert rows[0]["zhc"] == repr(expected.hcfa.z_raw)
    assert (rows[0]["fac"], rows[0]["fhc"], rows[0]["note"]) == ("0", "0", "")
    assert rows[1]["zwei"] != ""  # "Perempuan" is a girl
    assert (
        rows[1]["note"]
        == "headc_cm ≤ 0: tanpa zhc; umur < 91 hari: tanpa zac (tabel LiLA mulai 91 hari)"
    )
    assert (rows[1]["zhc"], rows[1]["zac"], rows[1]["fac"]) == ("", "", "")
    # A flagged head circumference has no category to empty.
    assert rows[2]["fhc"] == "1"
    assert rows[2]["note"] == "nilai tidak wajar menurut WHO (flag) pada zhc: periksa pengukuran"


def test_dates_give_the_age_and_completed_calendar_months(tmp_path):
    text = """\
sex,birth_date,visit_date,weight_kg,lenhei_cm,measure
1,2024-01-15,2024-04-13,6,60,l
2,29/02/2024,01/03/2026,10,85,l
1,2024-05-01,2024-04-01,6,60,l
1,2024-13-01,2024-04-01,6,60,l
"""
    code, rows = run(tmp_path, text)

    assert code == 0
    assert [r["age_days_who"] for r in rows] == ["89", "731", "", ""]
    assert [r["age_months_completed"] for r in rows] == ["2", "24", "", ""]
    assert rows[1]["clenhei"] == repr(85 - 0.7)
    assert rows[2]["note"] == "visit_date sebelum birth_date: tanpa z menurut umur"
    assert rows[3]["note"] == "birth_date '2024-13-01' bukan tanggal (YYYY-MM-DD atau DD/MM/YYYY)"


def test_age_days_wins_over_dates_that_disagree(tmp_path):
    text = "sex,age_days,birth_date,visit_date,weight_kg,lenhei_cm,measure\n"
    text += "1,400,2024-01-01,2024-02-01,9,75,l\n1,31,2024-01-01,2024-02-01,4,53,l\n"
    code, rows = run(tmp_path, text)

    assert code == 0
    assert rows[0]["age_days_who"] == "400"
    assert rows[0]["note"] == "age_days 400 berbeda dari tanggal (31 hari): dipakai age_days"
    # Completed months follow the age used: 400 days are 13 whole WHO months.
    assert rows[0]["age_months_completed"] == "13"
    assert rows[1]["note"] == ""
    assert rows[1]["age_months_completed"] == "1"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("sex,age_days,weight_kg,measure", "lenhei_cm"),
        ("sex,weight_kg,lenhei_cm,measure", "age_days (atau birth_date dan visit_date)"),
        ("sex,birth_date,weight_kg,lenhei_cm,measure", "visit_date"),
        ("jk,umur,bb,tb", "sex, weight_kg, lenhei_cm, measure"),
        ("sex,sex,age_days,weight_kg,lenhei_cm,measure", "kolom ganda di header: sex"),
        ("sex,age_days,weight_kg,lenhei_cm,measure,zwei", "kolom hasil sudah ada"),
        ("", "file kosong"),
    ],
)
def test_a_bad_header_is_refused_with_exit_code_2_and_no_output(tmp_path, capsys, header, message):
    code, _ = run(tmp_path, header + "\n1,400,9,75,l\n")

    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_a_missing_or_unreadable_file_is_exit_code_2(tmp_path, capsys):
    assert main(["zscores", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "sex,age_days,weight_kg,lenhei_cm,measure\n1,400,9,75,l\xe9\n".encode("latin-1")
    )
    assert main(["zscores", str(latin), "-o", str(tmp_path / "o.csv")]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_semicolons_decimal_commas_a_bom_and_header_case_are_accepted(tmp_path):
    text = "\ufeffID;Sex;Age_Days;Weight_kg;LenHei_cm;Measure\n7;2;1522;17,0;103,1;l\n"
    code, _ = run(tmp_path, text)

    out = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert code == 0
    assert out.splitlines()[0].startswith("ID;Sex;Age_Days;Weight_kg;LenHei_cm;Measure;clenhei;")
    row = next(csv.DictReader(io.StringIO(out), delimiter=";"))
    expected = compute_zscores(2, age_days=1522, weight=17, lenhei=103.1, measure="l")
    assert row["zwfl"] == repr(expected.wflh.z_raw)


def test_small_chunks_give_the_same_file(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(GOOD * 1 + "".join(GOOD.splitlines(True)[1:]) * 3, encoding="utf-8")
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"

    assert main(["zscores", str(source), "-o", str(whole)]) == 0
    assert main(["zscores", str(source), "-o", str(chunked), "--chunk-rows", "3"]) == 0

    assert whole.read_bytes() == chunked.read_bytes()
    assert len(whole.read_text().splitlines()) == 17


def test_stdin_to_stdout_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "kotacerdas.growth", "zscores", "-", "--round", "2"],
        input=GOOD,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["zwei"] for r in rows] == ["-0.87", "-1.14", "-3.25", "0.24"]
    assert result.stderr.strip() == "4 baris diolah, 1 dengan catatan (kolom note)"
