"""The growth library against WHO's own test expectations, the edge cases of
posyandu.md §2.1, and the Permenkes 2/2020 category boundaries."""

from __future__ import annotations

import csv
import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest

from kotacerdas.growth import (
    INDICATORS,
    Score,
    age_in_completed_months,
    age_in_days,
    categories,
    classify,
    classify_all,
    compute_zscores,
    lms_zscore,
    round_half_up,
    table,
)

CASES_FILE = Path(__file__).with_name("who_anthro_testthat_cases.csv")
WHO_CASES = list(csv.DictReader(CASES_FILE.open(newline="")))
ROOT = Path(__file__).resolve().parents[3]


def _number(text: str) -> float | None:
    return float(text) if text else None


def _flag(score: Score | None) -> str:
    return "" if score is None else str(int(score.flagged))


def _z(score: Score | None) -> str:
    return "" if score is None else f"{score.z:g}"


# --- WHO anthro's tests/testthat expectations ----------------------------------


def test_the_who_case_file_is_complete():
    assert len(WHO_CASES) == 14


@pytest.mark.parametrize("case", WHO_CASES, ids=[c["test"] for c in WHO_CASES])
def test_it_reproduces_who_anthro(case):
    age = float(case["age"])
    ages = {"age_months": age} if case["is_month"] == "TRUE" else {"age_days": age}
    scores = compute_zscores(
        int(case["sex"]),
        **ages,
        weight=_number(case["weight"]),
        lenhei=_number(case["lenhei"]),
        measure=case["measure"] or None,
    )

    assert scores.age_days == int(case["age_days"])
    assert scores.c9mo_flag == (case["c9mo_flag"] == "1")
    assert (scores.cmeasure or "") == case["cmeasure"]
    if case["clenhei"]:
        assert scores.clenhei == pytest.approx(float(case["clenhei"]), abs=1e-9)
    else:
        assert scores.clenhei is None
    if case["cbmi"]:
        assert scores.cbmi == pytest.approx(float(case["cbmi"]), rel=1e-12)
    else:
        assert scores.cbmi is None
    # WHO's z-scores are rounded to 2 decimals: compare them as printed.
    for score, z_column, flag_column in (
        (scores.wfa, "zwei", "fwei"),
        (scores.lhfa, "zlen", "flen"),
        (scores.wflh, "zwfl", "fwfl"),
        (scores.bfa, "zbmi", "fbmi"),
    ):
        expected_z = "" if not case[z_column] else f"{float(case[z_column]):g}"
        assert (_z(score), _flag(score)) == (expected_z, case[flag_column]), z_column


# --- age -------------------------------------------------------------------------


def test_age_in_days_counts_whole_days_between_dates():
    assert age_in_days(dt.date(2024, 2, 29), dt.date(2026, 3, 1)) == 731


def test_completed_months_do_not_count_a_month_not_yet_reached():
    birth = dt.date(2024, 1, 15)
    assert age_in_completed_months(birth, dt.date(2024, 4, 13)) == 2  # 2 months 29 days
    assert age_in_completed_months(birth, dt.date(2024, 4, 15)) == 3
    assert age_in_completed_months(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 0


def test_ages_round_half_up_as_who_does():
    assert round_half_up(730.5) == 731
    assert round_half_up(730.49) == 730
    assert round_half_up(2.5) == 3  # not Python's round-half-even


def test_24_months_given_in_months_is_day_731_on_the_height_basis():
    scores = compute_zscores(2, age_months=24, weight=10, lenhei=85, measure="l")

    assert scores.age_days == 731
    assert scores.clenhei == pytest.approx(84.3)
    assert scores.wflh_table == "wfh"


def test_a_fractional_day_count_is_rounded_half_up():
    assert compute_zscores(1, age_days=730.5, weight=10).age_days == 731


def test_a_negative_age_is_missing():
    scores = compute_zscores(1, age_days=-3, weight=10, lenhei=70, measure="l")

    assert scores.age_days is None
    assert scores.wfa is None
    assert scores.wflh is not None  # weight-for-length needs no age


def test_60_months_has_no_z_but_the_last_day_before_has():
    assert compute_zscores(2, age_months=60, weight=18).wfa is None
    assert compute_zscores(2, age_months=59.99, weight=18).wfa is not None
    assert compute_zscores(2, age_days=1826, weight=18).wfa is not None
    assert compute_zscores(2, age_days=1827, weight=18).wfa is None


# --- position and the 0.7 cm rule ----------------------------------------------------


@pytest.mark.parametrize(
    ("days", "measure", "clenhei"),
    [
        (730, "h", 100.7),  # standing under 731 days: to length
        (731, "l", 99.3),  # lying from 731 days: to height
        (800, "h", 100.0),
        (730, "l", 100.0),
        (731, None, 100.0),
        (None, "l", 100.0),
    ],
)
def test_length_and_height_are_put_on_the_basis_of_the_age(days, measure, clenhei):
    scores = compute_zscores(1, age_days=days, lenhei=100, measure=measure)

    assert scores.clenhei == pytest.approx(clenhei)


def test_a_standing_child_under_9_months_is_flagged_and_not_corrected():
    scores = compute_zscores(1, age_days=244, weight=6, lenhei=60, measure="h")

    assert scores.c9mo_flag
    assert scores.cmeasure is None
    assert scores.clenhei == 60
    assert scores.lhfa is not None and scores.lhfa.z == -4.81


def test_unknown_positions_are_missing_and_unknown_sexes_refused():
    assert compute_zscores(1, age_days=400, lenhei=75, measure="x").cmeasure is None
    with pytest.raises(ValueError, match="sex"):
        compute_zscores("L", age_days=400, weight=9)
    with pytest.raises(ValueError, match="not both"):
        compute_zscores(1, age_days=400, age_months=13, weight=9)


def test_a_missing_sex_gives_no_z_scores():
    scores = compute_zscores(None, age_days=400, weight=9, lenhei=75, measure="l")

    assert (scores.wfa, scores.lhfa, scores.wflh, scores.bfa) == (None, None, None, None)
    assert scores.cbmi is not None


# --- weight-for-length/height -----------------------------------------------------------


def test_from_731_days_weight_for_height_applies_so_64_9_cm_has_no_z():
    at_731 = compute_zscores(1, age_days=731, weight=7, lenhei=64.9, measure="h")
    at_730 = compute_zscores(1, age_days=730, weight=7, lenhei=64.2, measure="l")

    assert at_731.wflh_table == "wfh"
    assert at_731.wflh is None
    assert at_730.wflh_table == "wfl"
    assert at_730.wflh is not None


@pytest.mark.parametrize(
    ("lenhei", "measure", "expected"),
    [(80, "l", "wfl"), (90, "h", "wfh"), (86.9, None, "wfl"), (87, None, "wfh")],
)
def test_without_age_the_table_follows_the_position_then_87_cm(lenhei, measure, expected):
    assert compute_zscores(1, weight=11, lenhei=lenhei, measure=measure).wflh_table == expected


def test_the_ends_of_the_tables_are_valid_and_beyond_them_not():
    assert compute_zscores(2, age_days=100, weight=2.5, lenhei=45.0, measure="l").wflh is not None
    assert compute_zscores(2, age_days=100, weight=2.5, lenhei=44.9, measure="l").wflh is None
    assert compute_zscores(2, age_days=700, weight=19, lenhei=110.0, measure="l").wflh is not None
    assert compute_zscores(2, age_days=700, weight=19, lenhei=110.1, measure="l").wflh is None
    assert compute_zscores(2, age_days=1500, weight=22, lenhei=120.0, measure="h").wflh is not None
    assert compute_zscores(2, age_days=1500, weight=22, lenhei=120.1, measure="h").wflh is None


def test_lengths_off_the_millimetre_grid_are_interpolated():
    rows = table("wfl").rows[0]
    first = table("wfl").first_key
    low, upp = rows[450 - first], rows[451 - first]
    fraction = (45.04 - 45.0) / 0.1
    lms = tuple(a + fraction * (b - a) for a, b in zip(low, upp, strict=True))

    scores = compute_zscores(1, age_days=10, weight=2.4, lenhei=45.04, measure="l")

    assert scores.wflh is not None
    assert scores.wflh.z_raw == pytest.approx(lms_zscore(2.4, lms, True), abs=1e-12)
    assert lms_zscore(2.4, upp, True) < scores.wflh.z_raw < lms_zscore(2.4, low, True)


def test_lying_103_1_cm_from_731_days_reads_the_102_4_cm_row_not_102_5():
    # WHO R: 103.1 − 0.7 = 102.39999999999999 reads the 102.5 row (posyandu.md §2.2).
    lying = compute_zscores(1, age_days=800, weight=13, lenhei=103.1, measure="l")
    standing = compute_zscores(1, age_days=800, weight=13, lenhei=102.4, measure="h")
    row_102_5 = table("wfh").rows[0][1025 - table("wfh").first_key]

    assert lying.wflh is not None and standing.wflh is not None
    assert lying.wflh.z_raw == pytest.approx(standing.wflh.z_raw, abs=1e-9)
    assert lying.wflh.z != round(lms_zscore(13, row_102_5, True), 2)


def test_every_length_on_the_grid_finds_its_own_row():
    for code in ("wfl", "wfh"):
        t = table(code)
        for key in range(t.first_key, t.last_key + 1):
            assert math.trunc(key / 10 * 10) == key
            assert math.trunc(key / 10 * 10 + 1) == key + 1


# --- validity, oedema, restricted z, flags -------------------------------------------------


def test_a_weight_of_zero_or_less_has_no_z():
    for weight in (0, -1):
        scores = compute_zscores(1, age_days=400, weight=weight, lenhei=75, measure="l")
        assert (scores.wfa, scores.wflh, scores.bfa) == (None, None, None)
        assert scores.lhfa is not None


@pytest.mark.parametrize("oedema", [True, "y", "Y", "1"])
def test_oedema_voids_the_weight_based_z_but_not_length_for_age(oedema):
    scores = compute_zscores(1, age_days=400, weight=9, lenhei=75, measure="l", oedema=oedema)

    assert (scores.wfa, scores.wflh, scores.bfa) == (None, None, None)
    assert scores.lhfa is not None


@pytest.mark.parametrize("oedema", [False, None, "n", "2", "maybe"])
def test_anything_but_yes_is_no_oedema(oedema):
    assert compute_zscores(1, age_days=400, weight=9, oedema=oedema).wfa is not None


def test_beyond_3_sd_weight_is_measured_in_2_to_3_sd_steps():
    l, m, s = table("wfa").rows[0][400]  # noqa: E741

    def sd(k: float) -> float:
        return m * (1 + l * s * k) ** (1 / l)

    heavy, light = sd(3) + 0.5 * (sd(3) - sd(2)), sd(-3) - 0.5 * (sd(-2) - sd(-3))

    assert lms_zscore(heavy, (l, m, s), True) == pytest.approx(3.5)
    assert lms_zscore(light, (l, m, s), True) == pytest.approx(-3.5)
    # Unrestricted, the skewed weight scale gives other values.
    assert lms_zscore(heavy, (l, m, s), False) != pytest.approx(3.5, abs=0.01)
    assert compute_zscores(1, age_days=400, weight=heavy).wfa.z == 3.5


def test_head_and_arm_circumference_and_skinfolds():
    scores = compute_zscores(2, age_days=400, headc=45, armc=15, triskin=9, subskin=7)

    assert all(s is not None for s in (scores.hcfa, scores.acfa, scores.tsfa, scores.ssfa))
    # Arm circumference and skinfolds start at 91 days.
    young = compute_zscores(2, age_days=90, headc=38, armc=12, triskin=9, subskin=7)
    assert young.hcfa is not None
    assert (young.acfa, young.tsfa, young.ssfa) == (None, None, None)


@pytest.mark.parametrize(
    ("code", "z", "flagged"),
    [
        ("wfa", -6.0, False),
        ("wfa", -6.01, True),
        ("wfa", 5.0, False),
        ("wfa", 5.01, True),
        ("lhfa", 6.0, False),
        ("lhfa", -6.01, True),
        ("wfl", 5.01, True),
        ("bfa", -5.0, False),
        ("hcfa", -5.01, True),
        ("acfa", 5.01, True),
    ],
)
def test_who_flags_implausible_z_at_its_limits(code, z, flagged):
    assert INDICATORS[code].is_implausible(z) is flagged


def test_the_tables_match_their_manifest():
    for code in INDICATORS:
        t = table(code)
        assert len(t.rows[0]) == len(t.rows[1]) == t.last_key - t.first_key + 1
    assert (table("wfa").first_key, table("wfa").last_key) == (0, 1826)
    assert (table("acfa").first_key, table("wfl").first_key, table("wfh").last_key) == (
        91,
        450,
        1200,
    )


def test_the_package_imports_and_computes_without_django():
    code = (
        "import sys; from kotacerdas.growth import compute_zscores; "
        "assert compute_zscores(2, age_days=1522, weight=17).wfa.z == 0.24; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- Permenkes 2/2020 categories --------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "code"),
    [
        (-3.01, "severely_underweight"),
        (-3.0, "underweight"),
        (-2.01, "underweight"),
        (-2.0, "normal"),
        (1.0, "normal"),
        (1.01, "risk_of_overweight"),
        (4.0, "risk_of_overweight"),
    ],
)
def test_weight_for_age_categories(z, code):
    assert classify("bb_u", z).code == code


@pytest.mark.parametrize(
    ("z", "code", "label"),
    [
        (-3.01, "severely_stunted", "Sangat pendek"),
        (-3.0, "stunted", "Pendek"),
        (-2.0, "normal", "Normal"),
        (3.0, "normal", "Normal"),
        (3.01, "tall", "Tinggi"),
    ],
)
def test_length_for_age_categories(z, code, label):
    category = classify("pb_u", z)

    assert (category.code, category.label) == (code, label)


@pytest.mark.parametrize("index", ["bb_pb", "imt_u"])
@pytest.mark.parametrize(
    ("z", "label"),
    [
        (-3.01, "Gizi buruk"),
        (-3.0, "Gizi kurang"),
        (-2.0, "Gizi baik"),
        (1.0, "Gizi baik"),
        (1.01, "Berisiko gizi lebih"),
        (2.0, "Berisiko gizi lebih"),
        (2.01, "Gizi lebih"),
        (3.0, "Gizi lebih"),
        (3.01, "Obesitas"),
    ],
)
def test_weight_for_length_and_bmi_categories(index, z, label):
    assert classify(index, z).label == label


def test_an_unrounded_z_is_classified_as_the_card_shows_it():
    assert classify("bb_u", -3.004).code == "underweight"  # shown as −3.00
    assert classify("bb_u", 1.004).code == "normal"  # shown as 1.00


def test_every_index_lists_its_categories_in_order():
    assert [c.label for c in categories("bb_u")] == [
        "Berat badan sangat kurang",
        "Berat badan kurang",
        "Berat badan normal",
        "Risiko berat badan lebih",
    ]
    assert len(categories("bb_pb")) == len(categories("imt_u")) == 6


def test_classify_all_leaves_out_flagged_z():
    # WHO's 59.99-month case: WAZ 0.62, HAZ −6.33 (flagged), WFL 8.3 (flagged), BAZ 7.74 (flagged).
    scores = compute_zscores(2, age_months=59.99, weight=20, lenhei=80, measure="l")

    result = classify_all(scores)

    assert set(result) == {"bb_u"}
    assert result["bb_u"].label == "Berat badan normal"
