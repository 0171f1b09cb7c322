"""The vectorised path: WHO's cases, hand-checked boundaries of posyandu.md §2–§3,
and element-by-element identity with the scalar path on 60,000 children."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from kotacerdas.growth import (
    ZScores,
    age_in_completed_months,
    age_in_completed_months_arrays,
    age_in_days_arrays,
    category_labels,
    classify,
    classify_all,
    classify_all_arrays,
    classify_arrays,
    compute_zscores,
    compute_zscores_arrays,
)
from kotacerdas.growth.arrays import round_half_up_array, round_like_python

CASES_FILE = Path(__file__).with_name("who_anthro_testthat_cases.csv")
WHO_CASES = list(csv.DictReader(CASES_FILE.open(newline="")))


def one(**inputs) -> ZScores:
    """One child through the arrays path, as ZScores."""
    arrays = {k: None if v is None else [v] for k, v in inputs.items()}
    return compute_zscores_arrays(**arrays).row(0)


def lms_z(y: float, l: float, m: float, s: float) -> float:  # noqa: E741
    """The LMS formula, written out here independently of the library."""
    return ((y / m) ** l - 1) / (s * l)


# --- WHO anthro's own expectations, through the arrays path -------------------------


def test_the_arrays_path_reproduces_every_who_case_in_one_call():
    in_months = [c["is_month"] == "TRUE" for c in WHO_CASES]
    by_days = compute_zscores_arrays(
        [int(c["sex"]) for c in WHO_CASES],
        age_days=[
            None if m else float(c["age"]) for c, m in zip(WHO_CASES, in_months, strict=True)
        ],
        weight=[float(c["weight"]) if c["weight"] else None for c in WHO_CASES],
        lenhei=[float(c["lenhei"]) if c["lenhei"] else None for c in WHO_CASES],
        measure=[c["measure"] for c in WHO_CASES],
    )
    by_months = compute_zscores_arrays(
        [int(c["sex"]) for c in WHO_CASES],
        age_months=[
            float(c["age"]) if m else None for c, m in zip(WHO_CASES, in_months, strict=True)
        ],
        weight=[float(c["weight"]) if c["weight"] else None for c in WHO_CASES],
        lenhei=[float(c["lenhei"]) if c["lenhei"] else None for c in WHO_CASES],
        measure=[c["measure"] for c in WHO_CASES],
    )
    for i, (case, months) in enumerate(zip(WHO_CASES, in_months, strict=True)):
        got = (by_months if months else by_days).row(i)
        assert got.age_days == int(case["age_days"]), case["test"]
        assert int(got.c9mo_flag) == int(case["c9mo_flag"]), case["test"]
        assert (got.cmeasure or "") == case["cmeasure"], case["test"]
        if case["clenhei"]:
            assert got.clenhei == pytest.approx(float(case["clenhei"]), abs=1e-9)
        for score, z_column, flag_column in (
            (got.wfa, "zwei", "fwei"),
            (got.lhfa, "zlen", "flen"),
            (got.wflh, "zwfl", "fwfl"),
            (got.bfa, "zbmi", "fbmi"),
        ):
            expected = (float(case[z_column]), case[flag_column] == "1") if case[z_column] else None
            actual = None if score is None else (score.z, score.flagged)
            assert actual == expected, (case["test"], z_column)


# --- hand-checked boundaries (posyandu.md §2.1), LMS rows copied from the tables ---------


def test_weight_for_age_of_a_boy_at_day_400_is_the_lms_formula():
    # wfa_boys.csv day 400: L 0.0552, M 9.9065, S 0.10953
    got = one(sex=1, age_days=400, weight=9.0)

    assert got.wfa.z_raw == pytest.approx(lms_z(9.0, 0.0552, 9.9065, 0.10953), abs=1e-12)
    assert got.wfa.z == -0.87


def test_730_days_standing_is_made_length_and_731_lying_is_made_height():
    # lhfa_boys.csv: day 730 M 87.8018 S 0.03479 (length); day 731 M 87.1303 S 0.03508 (height)
    at_730 = one(sex=1, age_days=730, lenhei=86.0, measure="h")
    at_731 = one(sex=1, age_days=731, lenhei=86.0, measure="l")
    at_730_lying = one(sex=1, age_days=730, lenhei=86.0, measure="l")
    at_800_standing = one(sex=1, age_days=800, lenhei=86.0, measure="h")

    assert at_730.clenhei == pytest.approx(86.7)
    assert at_730.lhfa.z_raw == pytest.approx((86.7 / 87.8018 - 1) / 0.03479, abs=1e-12)
    assert at_731.clenhei == pytest.approx(85.3)
    assert at_731.lhfa.z_raw == pytest.approx((85.3 / 87.1303 - 1) / 0.03508, abs=1e-12)
    assert (at_730_lying.clenhei, at_800_standing.clenhei) == (86.0, 86.0)
    assert (at_730.wflh_table, at_731.wflh_table) == ("wfl", "wfh")


def test_half_days_round_up_to_731_and_24_months_is_day_731():
    assert one(sex=2, age_days=730.49, weight=10).age_days == 730
    assert one(sex=2, age_days=730.5, weight=10).age_days == 731
    assert one(sex=2, age_months=24, weight=10, lenhei=85, measure="l").clenhei == pytest.approx(
        84.3
    )


def test_standing_under_9_months_drops_the_position_and_at_9_months_corrects():
    # WHO: 244 days (8.02 months) standing, 60 cm → no correction, zlen −4.81;
    # 274 days (9.00 months) → +0.7 cm, zlen −5.02 (lhfa_boys.csv days 244 and 274).
    young = one(sex=1, age_days=244, lenhei=60, measure="h")
    nine = one(sex=1, age_days=274, lenhei=60, measure="h")
    just_under = one(sex=1, age_months=8.99, lenhei=60, measure="h")

    assert (young.c9mo_flag, young.cmeasure, young.clenhei) == (True, None, 60.0)
    assert young.lhfa.z == round((60 / 70.6224 - 1) / 0.03124, 2) == -4.81
    assert (nine.c9mo_flag, nine.cmeasure) == (False, "h")
    assert nine.clenhei == pytest.approx(60.7)
    assert nine.lhfa.z == round((60.7 / 71.9714 - 1) / 0.03117, 2) == -5.02
    assert just_under.c9mo_flag


def test_weight_for_length_is_valid_from_45_to_110_cm_and_interpolated_between_rows():
    # wfl_girls.csv: 45 cm M 2.4607 S 0.09029; 45.1 cm M 2.4777 S 0.0903; 110 cm M 18.3324 S 0.09401
    at_45 = one(sex=2, age_days=10, weight=2.5, lenhei=45.0, measure="l")
    at_45_04 = one(sex=2, age_days=10, weight=2.5, lenhei=45.04, measure="l")
    below = one(sex=2, age_days=10, weight=2.5, lenhei=44.99, measure="l")
    at_110 = one(sex=2, age_days=700, weight=18, lenhei=110.0, measure="l")
    above = one(sex=2, age_days=700, weight=18, lenhei=110.01, measure="l")

    assert at_45.wflh.z_raw == pytest.approx(lms_z(2.5, -0.3833, 2.4607, 0.09029), abs=1e-12)
    m = 2.4607 + 0.4 * (2.4777 - 2.4607)
    s = 0.09029 + 0.4 * (0.0903 - 0.09029)
    assert at_45_04.wflh.z_raw == pytest.approx(lms_z(2.5, -0.3833, m, s), abs=1e-9)
    assert at_110.wflh.z_raw == pytest.approx(lms_z(18, -0.3833, 18.3324, 0.09401), abs=1e-12)
    assert below.wflh is None and above.wflh is None
    assert below.wflh_table == above.wflh_table == "wfl"


def test_weight_for_height_is_valid_from_65_to_120_cm_and_64_9_at_731_days_has_none():
    # wfh_boys.csv: 65 cm M 7.4327 S 0.08217; 120 cm M 22.353 S 0.09424 (L −0.3521)
    at_65 = one(sex=1, age_days=1000, weight=7.5, lenhei=65.0, measure="h")
    at_120 = one(sex=1, age_days=1500, weight=22, lenhei=120.0, measure="h")
    at_120_1 = one(sex=1, age_days=1500, weight=22, lenhei=120.1, measure="h")
    at_731 = one(sex=1, age_days=731, weight=7, lenhei=64.9, measure="h")
    lying_120_7 = one(sex=1, age_days=1500, weight=22, lenhei=120.7, measure="l")

    assert at_65.wflh.z_raw == pytest.approx(lms_z(7.5, -0.3521, 7.4327, 0.08217), abs=1e-12)
    assert at_120.wflh.z_raw == pytest.approx(lms_z(22, -0.3521, 22.353, 0.09424), abs=1e-12)
    assert at_120_1.wflh is None
    assert (at_731.wflh_table, at_731.wflh) == ("wfh", None)
    # Lying 120.7 cm from 731 days is 120.0 cm standing: on the table.
    assert lying_120_7.wflh.z_raw == pytest.approx(at_120.wflh.z_raw, abs=1e-9)


def test_lying_103_1_cm_after_731_days_reads_the_102_4_cm_row():
    # wfh_boys.csv 102.4 cm: L −0.3521 M 16.0503 S 0.08349 (WHO R reads 102.5: §2.2)
    got = one(sex=1, age_days=800, weight=13, lenhei=103.1, measure="l")

    assert got.wflh.z_raw == pytest.approx(lms_z(13, -0.3521, 16.0503, 0.08349), abs=1e-9)
    assert got.wflh.z == -2.62
    # The 102.5 cm row (L −0.3521 M 16.0801 S 0.08354) would give another z.
    assert round(lms_z(13, -0.3521, 16.0801, 0.08354), 2) == -2.64


def _sd(k: float, l: float, m: float, s: float) -> float:  # noqa: E741
    return m * (1 + l * s * k) ** (1 / l)


def test_beyond_plus_and_minus_3_sd_weight_is_restricted():
    # wfa_boys.csv day 400: L 0.0552, M 9.9065, S 0.10953
    lms = (0.0552, 9.9065, 0.10953)
    sd2, sd3 = _sd(2, *lms), _sd(3, *lms)
    sd2n, sd3n = _sd(-2, *lms), _sd(-3, *lms)
    weights = [sd3, sd3 + 0.25 * (sd3 - sd2), sd3n, sd3n - 0.5 * (sd2n - sd3n), sd3 - 0.01]

    got = compute_zscores_arrays([1] * 5, age_days=[400] * 5, weight=weights)

    assert got.wfa.z_raw == pytest.approx([3.0, 3.25, -3.0, -3.5, lms_z(sd3 - 0.01, *lms)])
    # Unrestricted LMS would put the heavy one elsewhere: the restriction is applied.
    assert lms_z(weights[1], *lms) != pytest.approx(3.25, abs=0.01)
    # Length-for-age is never restricted (L = 1): plain (y/M − 1)/S beyond 3 SD too.
    tall = compute_zscores_arrays([1], age_days=[400], lenhei=[77.0812 * (1 + 4 * 0.03157)])
    assert tall.lhfa.z_raw[0] == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("aim", "z", "flagged"),
    [(-5.996, -6.0, False), (-6.006, -6.01, True), (4.996, 5.0, False), (5.006, 5.01, True)],
)
def test_weight_for_age_flags_below_minus_6_and_above_plus_5(aim, z, flagged):
    # wfa_boys.csv day 400; the weight is the one of the (restricted) z aimed at.
    lms = (0.0552, 9.9065, 0.10953)
    sd2, sd3 = _sd(2, *lms), _sd(3, *lms)
    sd2n, sd3n = _sd(-2, *lms), _sd(-3, *lms)
    weight = sd3 + (aim - 3) * (sd3 - sd2) if aim > 0 else sd3n + (aim + 3) * (sd2n - sd3n)

    got = one(sex=1, age_days=400, weight=weight)

    assert (got.wfa.z, got.wfa.flagged) == (z, flagged)


@pytest.mark.parametrize(
    ("aim", "z", "flagged"), [(5.996, 6.0, False), (6.006, 6.01, True), (-6.006, -6.01, True)]
)
def test_length_for_age_flags_beyond_6(aim, z, flagged):
    # lhfa_boys.csv day 400: L 1, M 77.0812, S 0.03157
    got = one(sex=1, age_days=400, lenhei=77.0812 * (1 + aim * 0.03157))

    assert (got.lhfa.z, got.lhfa.flagged) == (z, flagged)


def test_weight_for_length_flags_beyond_5():
    # wfl_girls.csv 110 cm: L −0.3833, M 18.3324, S 0.09401
    lms = (-0.3833, 18.3324, 0.09401)
    sd2, sd3 = _sd(2, *lms), _sd(3, *lms)
    sd2n, sd3n = _sd(-2, *lms), _sd(-3, *lms)
    weights = [sd3 + (aim - 3) * (sd3 - sd2) for aim in (5.006, 4.996)]
    weights += [sd3n + (aim + 3) * (sd2n - sd3n) for aim in (-4.996, -5.006)]

    got = compute_zscores_arrays(
        [2] * 4, age_days=[700] * 4, weight=weights, lenhei=[110] * 4, measure=["l"] * 4
    )

    assert got.wflh.z.tolist() == [5.01, 5.0, -5.0, -5.01]
    assert got.wflh.flagged.tolist() == [True, False, False, True]


def test_bmi_head_and_arm_circumference_flag_beyond_5():
    # Boys, day 400. bfa: L −0.4418 M 16.6571 S 0.07979; hcfa: L 1 M 46.3758 S 0.02789;
    # acfa: L 0.1037 M 14.6801 S 0.07695. Lying 75 cm: BMI = weight / 0.75².
    bmi = (-0.4418, 16.6571, 0.07979)
    arm = (0.1037, 14.6801, 0.07695)
    aims = (5.006, 4.996, -4.996, -5.006)

    def restricted_value(aim: float, lms: tuple[float, float, float]) -> float:
        if aim > 0:
            return _sd(3, *lms) + (aim - 3) * (_sd(3, *lms) - _sd(2, *lms))
        return _sd(-3, *lms) + (aim + 3) * (_sd(-2, *lms) - _sd(-3, *lms))

    got = compute_zscores_arrays(
        [1] * 4,
        age_days=[400] * 4,
        weight=[restricted_value(a, bmi) * 0.75**2 for a in aims],
        lenhei=[75] * 4,
        measure=["l"] * 4,
        headc=[46.3758 * (1 + a * 0.02789) for a in aims],
        armc=[restricted_value(a, arm) for a in aims],
    )

    for score in (got.bfa, got.hcfa, got.acfa):
        assert score.z.tolist() == [5.01, 5.0, -5.0, -5.01]
        assert score.flagged.tolist() == [True, False, False, True]


def test_60_months_has_no_z_and_59_99_months_has():
    got = compute_zscores_arrays(
        [2, 2, 2, 2],
        age_months=[60, 59.99, 1826 / 30.4375, 1827 / 30.4375],
        weight=[18] * 4,
        lenhei=[105] * 4,
        measure=["h"] * 4,
    )

    assert got.age_days.tolist() == [1826, 1826, 1826, 1827]
    assert np.isnan(got.wfa.z).tolist() == [True, False, False, True]
    # Weight-for-height needs no age, but a known age of 60 months or more forbids it.
    assert np.isnan(got.wflh.z).tolist() == [True, False, False, True]


def test_oedema_voids_weight_based_z_but_not_length_for_age():
    got = compute_zscores_arrays(
        [1, 1, 1, 1],
        age_days=[400] * 4,
        weight=[9] * 4,
        lenhei=[75] * 4,
        measure=["l"] * 4,
        oedema=["y", "n", "", "1"],
    )

    assert np.isnan(got.wfa.z).tolist() == [True, False, False, True]
    assert np.isnan(got.wflh.z).tolist() == [True, False, False, True]
    assert np.isnan(got.bfa.z).tolist() == [True, False, False, True]
    assert not np.isnan(got.lhfa.z).any()


def test_zero_or_negative_values_and_missing_inputs_give_no_z():
    got = compute_zscores_arrays(
        [1, 1, 1, None, 1],
        age_days=[400, 400, 400, 400, None],
        weight=[0, -1, math.nan, 9, 9],
        lenhei=[75, 75, 0, 75, 75],
        measure=["l"] * 5,
    )

    assert np.isnan(got.wfa.z).tolist() == [True, True, True, True, True]
    assert np.isnan(got.lhfa.z).tolist() == [False, False, True, True, True]
    # Without age, weight-for-length still applies (by position).
    assert np.isnan(got.wflh.z).tolist() == [True, True, True, True, False]
    assert got.wflh_table.tolist() == ["wfl", "wfl", "", "wfl", "wfl"]


def test_arm_circumference_starts_at_91_days_and_head_circumference_at_birth():
    got = compute_zscores_arrays(
        ["f", "f"], age_days=[90, 91], headc=[38, 38], armc=[12, 12], triskin=[9, 9]
    )

    assert np.isnan(got.acfa.z).tolist() == [True, False]
    assert np.isnan(got.tsfa.z).tolist() == [True, False]
    assert not np.isnan(got.hcfa.z).any()
    assert np.isnan(got.ssfa.z).all()  # not given


# --- inputs ---------------------------------------------------------------------------


def test_text_inputs_are_cleaned_as_the_scalar_path_cleans_them():
    got = compute_zscores_arrays(
        np.array(["M", " f", "1", "2", "", None], dtype=object),
        age_days=[400] * 6,
        weight=[9] * 6,
        lenhei=[75] * 6,
        measure=np.array(["L", "h ", "x", None, "l", "l"], dtype=object),
    )

    assert np.isnan(got.wfa.z).tolist() == [False, False, False, False, True, True]
    assert got.cmeasure.tolist() == ["l", "h", "", "", "l", "l"]


def test_unknown_sexes_and_inconsistent_arguments_are_refused():
    with pytest.raises(ValueError, match="sex"):
        compute_zscores_arrays(["m", "L"], age_days=[1, 2])
    with pytest.raises(ValueError, match="sex"):
        compute_zscores_arrays([1, 3], age_days=[1, 2])
    with pytest.raises(ValueError, match="one of them"):
        compute_zscores_arrays([1], age_days=[1], age_months=[1])
    with pytest.raises(ValueError, match="both"):
        compute_zscores_arrays([1], birth_date=["2024-01-01"])
    with pytest.raises(ValueError, match="length"):
        compute_zscores_arrays([1, 2], age_days=[1], weight=[3, 4])


def test_ages_from_dates_give_days_and_completed_calendar_months():
    birth = ["2024-01-15", "2024-01-15", "2024-01-31", "2024-02-29", "2026-01-01", None]
    visit = ["2024-04-13", "2024-04-15", "2024-02-29", "2026-03-01", "2025-12-31", "2025-01-01"]

    got = compute_zscores_arrays([1] * 6, birth_date=birth, visit_date=visit, weight=[8] * 6)

    assert got.age_days[:4].tolist() == [89, 91, 29, 731]
    assert np.isnan(got.age_days[4:]).all()  # a visit before birth, a missing date
    assert got.age_months_completed[:4].tolist() == [2, 3, 0, 24]
    assert np.isnan(got.age_months_completed[4:]).all()
    # Without dates, completed months are whole WHO months (30.4375 days).
    by_days = compute_zscores_arrays([1, 1], age_days=[89, 91])
    assert by_days.age_months_completed.tolist() == [2, 2]


def test_completed_months_agree_with_the_scalar_function_over_four_years_of_dates():
    rng = np.random.default_rng(11)
    birth = np.datetime64("2020-01-01") + rng.integers(0, 1461, 5000)
    visit = birth + rng.integers(0, 1900, 5000)

    months = age_in_completed_months_arrays(birth, visit)
    days = age_in_days_arrays(birth, visit)

    for b, v, m, d in zip(birth.tolist(), visit.tolist(), months, days, strict=True):
        assert (m, d) == (age_in_completed_months(b, v), (v - b).days)


def test_python_rounding_is_reproduced_on_halves():
    values = np.array([0.285, 1.005, 2.675, -0.125, 0.125, -2.5e-3, 45.0005, 102.39999999999999])
    for ndigits in (2, 3):
        expected = [round(float(v), ndigits) for v in values]
        assert round_like_python(values, ndigits).tolist() == expected
    assert round_half_up_array(np.array([2.5, 730.5, 730.49, 0.0])).tolist() == [3, 731, 730, 0]


# --- Permenkes categories, vectorised ----------------------------------------------------


@pytest.mark.parametrize("index", ["bb_u", "pb_u", "bb_pb", "imt_u"])
def test_categories_at_every_cut_off_agree_with_the_scalar_classifier(index):
    z = np.array([-3.01, -3.005, -3.0, -2.01, -2.0, 1.0, 1.004, 1.01, 2.0, 2.01, 3.0, 3.01, 9.0])

    codes = classify_arrays(index, z)

    assert codes.tolist() == [classify(index, float(v)).code for v in z]


def test_categories_at_the_boundaries_of_posyandu_md():
    z = np.array([-3.0, -2.0, 1.0, 2.0, 3.0, np.nan])

    assert classify_arrays("bb_u", z).tolist() == [
        "underweight",
        "normal",
        "normal",
        "risk_of_overweight",
        "risk_of_overweight",
        "",
    ]
    assert classify_arrays("pb_u", z)[4] == "normal"
    assert category_labels("bb_pb", classify_arrays("bb_pb", z)) == [
        "Gizi kurang",
        "Gizi baik",
        "Gizi baik",
        "Berisiko gizi lebih",
        "Gizi lebih",
        "",
    ]


# --- identity with the scalar path ---------------------------------------------------------

BOUNDARY_DAYS = [0, 1, 90, 91, 243, 244, 273.9, 274, 729.5, 730, 730.49, 730.5, 731, 1825]
BOUNDARY_DAYS += [1826, 1826.49, 1826.5, 1827, 1856, 1857, -0.5, -1, 3000]
BOUNDARY_CM = [0, -5, 44.9, 44.99, 45, 45.04, 45.7, 64.3, 64.9, 65, 65.7, 86.9, 87, 103.1]
BOUNDARY_CM += [109.3, 110, 110.01, 110.7, 119.3, 119.99, 120, 120.1, 120.7, 51.9, 102.4]
BOUNDARY_MONTHS = [8.99, 9, 23.99, 24, 59.99, 60, 60.01]


def _synthetic(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Children with realistic values, and every boundary and bad value mixed in."""
    sex = rng.choice(np.array([1.0, 2.0, np.nan]), n, p=[0.485, 0.485, 0.03])
    days = rng.uniform(-30, 1950, n)
    days = np.where(rng.random(n) < 0.6, np.round(days), days)
    pick = rng.random(n) < 0.15
    days[pick] = rng.choice(np.array(BOUNDARY_DAYS, dtype=float), pick.sum())
    days[rng.random(n) < 0.03] = np.nan
    # Weights from 0.1 kg to 40 kg (far beyond ±5 SD both ways), some ≤ 0 or missing.
    weight = np.round(np.exp(rng.uniform(np.log(0.3), np.log(40), n)), 1)
    weight = np.where(rng.random(n) < 0.3, np.exp(rng.uniform(0, 3, n)), weight)
    weight[rng.random(n) < 0.01] = 0.0
    weight[rng.random(n) < 0.01] = -2.0
    weight[rng.random(n) < 0.03] = np.nan
    lenhei = np.round(rng.uniform(30, 135, n), 1)
    lenhei = np.where(rng.random(n) < 0.3, rng.uniform(40, 125, n), lenhei)
    pick = rng.random(n) < 0.15
    lenhei[pick] = rng.choice(np.array(BOUNDARY_CM, dtype=float), pick.sum())
    lenhei[rng.random(n) < 0.03] = np.nan
    measure = rng.choice(np.array(["l", "h", "", "L", "x"], dtype=object), n)
    oedema = rng.choice(
        np.array(["n", "y", "", "1", "2"], dtype=object), n, p=[0.8, 0.05, 0.1, 0.03, 0.02]
    )
    headc = np.where(rng.random(n) < 0.9, rng.uniform(25, 60, n), np.nan)
    armc = np.where(rng.random(n) < 0.9, rng.uniform(6, 25, n), np.nan)
    triskin = rng.uniform(0, 25, n)
    subskin = rng.uniform(-1, 20, n)
    return {
        "sex": sex,
        "age_days": days,
        "weight": weight,
        "lenhei": lenhei,
        "measure": measure,
        "oedema": oedema,
        "headc": headc,
        "armc": armc,
        "triskin": triskin,
        "subskin": subskin,
    }


def _scalar(inputs: dict[str, np.ndarray], i: int, age: str) -> ZScores:
    def value(name: str) -> float | None:
        v = float(inputs[name][i])
        return None if math.isnan(v) else v

    sex = value("sex")
    scores = compute_zscores(
        None if sex is None else int(sex),
        **{age: value(age)},
        weight=value("weight"),
        lenhei=value("lenhei"),
        measure=inputs["measure"][i],
        oedema=inputs["oedema"][i],
        headc=value("headc"),
        armc=value("armc"),
        triskin=value("triskin"),
        subskin=value("subskin"),
    )
    return scores


def _assert_identical(arrays, inputs, age: str) -> None:
    mismatches: list[tuple[int, object, object]] = []
    categories = classify_all_arrays(arrays)
    for i in range(len(arrays)):
        expected = _scalar(inputs, i, age)
        if arrays.row(i) != expected:
            mismatches.append((i, arrays.row(i), expected))
        scalar_categories = {k: c.code for k, c in classify_all(expected).items()}
        vector_categories = {k: str(v[i]) for k, v in categories.items() if v[i]}
        if vector_categories != scalar_categories:
            mismatches.append((i, vector_categories, scalar_categories))
    assert mismatches[:3] == [], f"{len(mismatches)} children differ"


def test_50_000_random_children_get_exactly_the_scalar_results():
    inputs = _synthetic(np.random.default_rng(2026), 50_000)

    arrays = compute_zscores_arrays(
        inputs["sex"],
        age_days=inputs["age_days"],
        **{k: inputs[k] for k in ("weight", "lenhei", "measure", "oedema")},
        **{k: inputs[k] for k in ("headc", "armc", "triskin", "subskin")},
    )

    # Every branch is exercised (or the comparison would prove little).
    assert np.nanmax(arrays.wfa.z) > 5 and np.nanmin(arrays.wfa.z) < -6
    assert arrays.wfa.flagged.any() and arrays.c9mo_flag.any()
    assert set(arrays.wflh_table.tolist()) == {"", "wfl", "wfh"}
    assert (~np.isnan(arrays.wflh.z) & np.isnan(arrays.age_days)).any()
    _assert_identical(arrays, inputs, "age_days")


def test_10_000_random_children_given_in_months_get_exactly_the_scalar_results():
    inputs = _synthetic(np.random.default_rng(7), 10_000)
    months = inputs["age_days"] / 30.4375
    pick = np.random.default_rng(8).random(len(months)) < 0.2
    months[pick] = np.random.default_rng(9).choice(BOUNDARY_MONTHS, pick.sum())
    inputs["age_months"] = months

    arrays = compute_zscores_arrays(
        inputs["sex"],
        age_months=months,
        **{k: inputs[k] for k in ("weight", "lenhei", "measure", "oedema")},
        **{k: inputs[k] for k in ("headc", "armc", "triskin", "subskin")},
    )

    _assert_identical(arrays, inputs, "age_months")


def test_from_dates_the_scalar_and_arrays_paths_agree():
    birth = [dt.date(2022, 5, 31), dt.date(2024, 2, 29)]
    visit = [dt.date(2024, 5, 31), dt.date(2024, 11, 28)]
    arrays = compute_zscores_arrays(
        [1, 2], birth_date=birth, visit_date=visit, weight=[11, 7], lenhei=[84, 66]
    )

    for i in range(2):
        days = (visit[i] - birth[i]).days
        assert arrays.row(i) == compute_zscores(
            [1, 2][i], age_days=days, weight=[11, 7][i], lenhei=[84, 66][i]
        )
        assert arrays.age_months_completed[i] == age_in_completed_months(birth[i], visit[i])
