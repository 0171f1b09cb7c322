"""WHO z-scores for arrays of children at once (numpy), identical to the scalar path.

:func:`compute_zscores_arrays` takes one array per input (one element per
measurement) and returns every z-score :func:`~kotacerdas.growth.compute_zscores`
would give for each element, bit for bit: the same steps (posyandu.md §2) in
the same floating-point operations, in the same order. Where a step of the
scalar path is a C-library call whose numpy counterpart may differ in the last
bit, this module makes the same call:

- ``x ** L`` of the LMS formula: numpy's vectorised ``power`` (SIMD, depends on
  the CPU) differs from the C library's ``pow`` in the last bit for about 1
  value in 20. Here the power goes through :func:`math.pow`, the function
  Python's ``**`` and WHO's R code call, so z-scores are the same on every
  machine and equal the scalar path's. It is the dearest step (about 0.08 µs a
  value) and still leaves well over 500,000 children a second.
  Tables whose L is 1 everywhere (length/height, head circumference) need no
  power at all (``pow(x, 1) == x`` exactly).
- rounding to 2 decimals (z) and 3 decimals (corrected length): Python's
  ``round`` rounds the exact binary value; ``numpy.round`` multiplies first and
  can differ when the product lands on a half. The few values within 1e-6 of a
  half are rounded with Python's ``round``.

``kotacerdas/growth/tests/test_arrays.py`` compares both paths element by
element (WHO's cases, hand-checked boundaries, 60,000 random children).

Missing values are NaN in float inputs and outputs (``None`` is accepted in
inputs). A flag is ``False`` where its z is NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from kotacerdas.growth.array_inputs import (
    LYING,
    NO_POSITION,
    STANDING,
    ArrayInput,
    BoolArray,
    FloatArray,
    IntArray,
    age_in_completed_months_arrays,
    age_in_days_arrays,
    as_floats,
    measure_codes,
    oedema_flags,
    sex_codes,
)
from kotacerdas.growth.categories import (
    _SCALES,
    BMI_FOR_AGE,
    LENGTH_FOR_AGE,
    WEIGHT_FOR_AGE,
    WEIGHT_FOR_LENGTH,
)
from kotacerdas.growth.zscores import (
    ACFA,
    BFA,
    DAYS_PER_MONTH,
    HCFA,
    HEIGHT_FROM_DAYS,
    INDICATORS,
    LHFA,
    MAX_AGE_DAYS,
    POSITION_CORRECTION_CM,
    SSFA,
    TSFA,
    WFA,
    Indicator,
    Score,
    ZScores,
    table,
)

_POSITION_TEXT = np.array(["", "l", "h"])
_TABLE_TEXT = np.array(["", "wfl", "wfh"])


class ScoreArrays(NamedTuple):
    """One indicator for every child: z rounded to 2 decimals, unrounded, and WHO's flag."""

    z: FloatArray
    z_raw: FloatArray
    #: Outside WHO's plausibility limits (``False`` where there is no z).
    flagged: BoolArray


@dataclass(frozen=True, slots=True, eq=False)
class ZScoreArrays:
    """What :func:`compute_zscores_arrays` derives, one element per measurement.

    The fields are those of :class:`~kotacerdas.growth.ZScores`, as arrays, plus
    ``age_months_completed``. ``row(i)`` gives element ``i`` as a ``ZScores``.
    """

    #: WHO's age in whole days (NaN when missing or negative).
    age_days: FloatArray
    #: Unrounded age in months (days / 30.4375, or the months given).
    age_months: FloatArray
    #: Age in completed months (the Kemenkes "bulan penuh"): calendar months
    #: when dates were given, else whole WHO months (floor of ``age_months``).
    age_months_completed: FloatArray
    clenhei: FloatArray
    #: "l", "h" or "" (missing, unknown, or standing under 9 months).
    cmeasure: npt.NDArray[np.str_]
    c9mo_flag: BoolArray
    cbmi: FloatArray
    wfa: ScoreArrays
    lhfa: ScoreArrays
    wflh: ScoreArrays
    #: "wfl", "wfh" or "" (no positive length/height).
    wflh_table: npt.NDArray[np.str_]
    bfa: ScoreArrays
    hcfa: ScoreArrays
    acfa: ScoreArrays
    tsfa: ScoreArrays
    ssfa: ScoreArrays

    def __len__(self) -> int:
        return len(self.age_days)

    def row(self, i: int) -> ZScores:
        """Element ``i`` as the scalar path's ``ZScores`` (for one child, and for tests)."""

        def number(a: FloatArray) -> float | None:
            value = float(a[i])
            return None if math.isnan(value) else value

        def score(s: ScoreArrays) -> Score | None:
            z = float(s.z[i])
            return None if math.isnan(z) else Score(z, float(s.z_raw[i]), bool(s.flagged[i]))

        days = number(self.age_days)
        measure = str(self.cmeasure[i]) or None
        wflh_table = str(self.wflh_table[i]) or None
        return ZScores(
            age_days=None if days is None else int(days),
            age_months=number(self.age_months),
            clenhei=number(self.clenhei),
            cmeasure=measure,  # type: ignore[arg-type]
            c9mo_flag=bool(self.c9mo_flag[i]),
            cbmi=number(self.cbmi),
            wfa=score(self.wfa),
            lhfa=score(self.lhfa),
            wflh=score(self.wflh),
            wflh_table=wflh_table,  # type: ignore[arg-type]
            bfa=score(self.bfa),
            hcfa=score(self.hcfa),
            acfa=score(self.acfa),
            tsfa=score(self.tsfa),
            ssfa=score(self.ssfa),
        )

    def take(self, index: Any) -> ZScoreArrays:
        """The rows at ``index`` (an integer array or a boolean mask)."""
        values: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, ScoreArrays):
                values[f.name] = ScoreArrays(
                    value.z[index], value.z_raw[index], value.flagged[index]
                )
            else:
                values[f.name] = value[index]
        return ZScoreArrays(**values)


# --- tables as arrays ------------------------------------------------------------


class LmsArrays(NamedTuple):
    first_key: int
    last_key: int
    #: Rows per sex; the row of (sex, key) is (sex − 1) · size + key − first_key.
    size: int
    L: FloatArray
    M: FloatArray
    S: FloatArray
    #: L is 1 on every row (length/height, head circumference): no power needed.
    unit_l: bool


@cache
def lms_arrays(indicator: str) -> LmsArrays:
    """The LMS table of ``indicator`` as flat arrays, boys' rows then girls' (read once)."""
    t = table(indicator)
    rows = np.array([*t.rows[0], *t.rows[1]], dtype=np.float64)
    size = len(t.rows[0])
    L, M, S = (np.ascontiguousarray(rows[:, k]) for k in range(3))
    for a in (L, M, S):
        a.flags.writeable = False
    return LmsArrays(t.first_key, t.last_key, size, L, M, S, bool(np.all(L == 1.0)))


# --- exact elementwise helpers -----------------------------------------------------


def _pow(base: FloatArray, exponent: FloatArray) -> FloatArray:
    """``base ** exponent`` elementwise through the C library's ``pow`` (as Python's ``**``)."""
    # Iterating memoryviews makes no intermediate lists: twice as fast as tolist().
    b = memoryview(np.ascontiguousarray(base, dtype=np.float64))
    e = memoryview(np.ascontiguousarray(exponent, dtype=np.float64))
    return np.fromiter(map(math.pow, b, e), dtype=np.float64, count=len(base))


def round_like_python(x: FloatArray, ndigits: int) -> FloatArray:
    """``round(v, ndigits)`` of each element, exactly as Python rounds a float.

    numpy rounds ``rint(v · 10ⁿ) / 10ⁿ``; that differs from Python only where
    ``v · 10ⁿ`` is within rounding error of a half, so those few elements (and
    any too large for the shortcut) are rounded by Python.
    """
    factor = 10.0**ndigits
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = x * factor
        result = np.rint(scaled) / factor
        doubtful = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
        doubtful |= np.abs(scaled) > 1e9
    for i in np.flatnonzero(doubtful):
        result[i] = round(float(x[i]), ndigits)
    return result


def round_half_up_array(x: FloatArray) -> FloatArray:
    """WHO's rounding of ages (floor, then up if the remainder is ≥ 0.5); NaN stays NaN."""
    whole = np.floor(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return whole + (x - whole >= 0.5)


# --- z-scores --------------------------------------------------------------------


def _lms_z(
    y: FloatArray,
    l: FloatArray,  # noqa: E741 (the LMS method's own letters)
    m: FloatArray,
    s: FloatArray,
    unit_l: bool,
    restricted: bool,
) -> FloatArray:
    """The scalar ``lms_zscore``, elementwise, with the same operations in the same order."""
    base = y / m
    power = base if unit_l else _pow(base, l)
    z = (power - 1.0) / (s * l)
    if restricted:
        beyond = np.flatnonzero((z > 3.0) | (z < -3.0))
        if beyond.size:
            zb = z[beyond]
            lb, mb, sb, yb = l[beyond], m[beyond], s[beyond], y[beyond]
            above = zb > 0
            sign = np.where(above, 3.0, -3.0)
            ls = lb * sb
            base3 = 1.0 + ls * sign
            base2 = 1.0 + ls * (sign * 2.0 / 3.0)
            possible = (base3 > 0.0) & (base2 > 0.0)
            inverse = 1.0 / lb
            with np.errstate(invalid="ignore", divide="ignore"):
                sd3 = mb * _pow(np.where(possible, base3, 1.0), inverse)
                sd2 = mb * _pow(np.where(possible, base2, 1.0), inverse)
                step = np.where(above, sd3 - sd2, sd2 - sd3)
                z[beyond] = np.where(possible, sign + (yb - sd3) / step, np.nan)
    return z


def _scores(indicator: Indicator, z_raw: FloatArray) -> ScoreArrays:
    z = round_like_python(z_raw, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        flagged = (z < indicator.flag_low) | (z > indicator.flag_high)
    return ScoreArrays(z, z_raw, flagged)


def _age_scores(
    indicator: Indicator, sex: IntArray, days: FloatArray, usable: BoolArray, y: FloatArray
) -> ScoreArrays:
    """Age-based z where ``usable`` (sex, valid age) and y > 0 and the day has a row."""
    t = lms_arrays(indicator.code)
    z_raw = np.full(len(y), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = usable & (y > 0) & (days >= t.first_key) & (days <= t.last_key)
    rows = np.flatnonzero(ok)
    if rows.size:
        index = (sex[rows].astype(np.intp) - 1) * t.size + (
            days[rows].astype(np.intp) - t.first_key
        )
        z_raw[rows] = _lms_z(
            y[rows], t.L[index], t.M[index], t.S[index], t.unit_l, indicator.restricted
        )
    return _scores(indicator, z_raw)


def _wflh_scores(
    sex: IntArray, table_code: IntArray, usable: BoolArray, weight: FloatArray, clenhei: FloatArray
) -> ScoreArrays:
    z_raw = np.full(len(weight), np.nan)
    flags = np.zeros(len(weight), dtype=bool)
    z = np.full(len(weight), np.nan)
    for code, name in ((1, "wfl"), (2, "wfh")):
        indicator = INDICATORS[name]
        t = lms_arrays(name)
        rows = np.flatnonzero(usable & (table_code == code))
        if not rows.size:
            continue
        # 3 decimals, as the scalar path (module docstring of zscores.py).
        h = round_like_python(clenhei[rows], 3)
        inside = (h >= t.first_key / 10) & (h <= t.last_key / 10)
        rows, h = rows[inside], h[inside]
        low = np.trunc(h * 10)
        fraction = (h - low / 10) / 0.1
        base = (sex[rows].astype(np.intp) - 1) * t.size
        low_index = base + (low.astype(np.intp) - t.first_key)
        upper_index = np.minimum(low_index + 1, base + t.size - 1)
        between = fraction > 0
        lms = []
        for column in (t.L, t.M, t.S):
            at_low, at_upper = column[low_index], column[upper_index]
            lms.append(np.where(between, at_low + fraction * (at_upper - at_low), at_low))
        z_raw[rows] = _lms_z(weight[rows], lms[0], lms[1], lms[2], False, True)
        part = _scores(indicator, z_raw[rows])
        z[rows], flags[rows] = part.z, part.flagged
    return ScoreArrays(z, z_raw, flags)


def compute_zscores_arrays(
    sex: ArrayInput,
    *,
    age_days: ArrayInput = None,
    age_months: ArrayInput = None,
    birth_date: ArrayInput = None,
    visit_date: ArrayInput = None,
    weight: ArrayInput = None,
    lenhei: ArrayInput = None,
    measure: ArrayInput = None,
    headc: ArrayInput = None,
    armc: ArrayInput = None,
    triskin: ArrayInput = None,
    subskin: ArrayInput = None,
    oedema: ArrayInput = None,
) -> ZScoreArrays:
    """:func:`~kotacerdas.growth.compute_zscores` for arrays: element ``i`` of every output is
    what the scalar function gives for element ``i`` of every input.

    ``sex``: 1/2 (NaN missing) or "1"/"2"/"m"/"f" ("" or None missing); any
    other value raises ``ValueError``. Age: one of ``age_days`` (whole or
    fractional days), ``age_months`` (WHO months), or ``birth_date`` and
    ``visit_date`` (``datetime64``, ``date`` or ISO text; the age in days is
    their difference, and the completed months are calendar months). Floats:
    NaN or None is missing. ``measure``: "l"/"h" (any case), anything else
    missing. ``oedema``: booleans, 1, or "y"/"1" (text); anything else is no.
    Arrays not given count as all missing.
    """
    ages_given = sum(a is not None for a in (age_days, age_months)) + (
        birth_date is not None or visit_date is not None
    )
    if ages_given > 1:
        raise ValueError("give age_days, age_months, or birth_date and visit_date: one of them")
    if (birth_date is None) != (visit_date is None):
        raise ValueError("give both birth_date and visit_date")
    sexes = sex_codes(sex)
    n = len(sexes)

    completed: FloatArray | None = None
    if birth_date is not None:
        age_days = age_in_days_arrays(birth_date, visit_date)
        completed = age_in_completed_months_arrays(birth_date, visit_date)

    given_days = as_floats(age_days, n) if age_days is not None else None
    given_months = as_floats(age_months, n) if age_months is not None else None
    weight_f, lenhei_f = as_floats(weight, n), as_floats(lenhei, n)
    arrays: list[np.ndarray] = [sexes, weight_f, lenhei_f]
    with np.errstate(invalid="ignore", divide="ignore"):
        if given_days is not None:
            arrays.append(given_days)
            days = np.where(given_days >= 0, round_half_up_array(given_days), np.nan)
            months = np.where(given_days >= 0, given_days / DAYS_PER_MONTH, np.nan)
        elif given_months is not None:
            arrays.append(given_months)
            months = np.where(given_months >= 0, given_months, np.nan)
            days = round_half_up_array(months * DAYS_PER_MONTH)
        else:
            days = np.full(n, np.nan)
            months = np.full(n, np.nan)
    if any(len(a) != n for a in arrays):
        raise ValueError("the input arrays differ in length")
    if completed is None:
        completed = np.floor(months)
    else:
        completed = np.where(np.isnan(days), np.nan, completed)

    position = measure_codes(measure, n)
    has_oedema = oedema_flags(oedema, n)
    if len(position) != n or len(has_oedema) != n:
        raise ValueError("the input arrays differ in length")

    has_days = ~np.isnan(days)
    with np.errstate(invalid="ignore", divide="ignore"):
        c9mo_flag = (position == STANDING) & (months < 9)
        cposition = np.where(c9mo_flag, NO_POSITION, position).astype(np.int8)

        young = has_days & (days < HEIGHT_FROM_DAYS)
        old = has_days & (days >= HEIGHT_FROM_DAYS)
        clenhei = np.where(
            young & (cposition == STANDING),
            lenhei_f + POSITION_CORRECTION_CM,
            np.where(old & (cposition == LYING), lenhei_f - POSITION_CORRECTION_CM, lenhei_f),
        )
        positive_lenhei = clenhei > 0
        metres = clenhei / 100
        cbmi = np.where(positive_lenhei, weight_f / (metres * metres), np.nan)

        has_sex = sexes != 0
        age_valid = has_days & (months < 60) & (days <= MAX_AGE_DAYS)
    usable = has_sex & age_valid
    weight_usable = usable & ~has_oedema

    def optional(values: ArrayInput, indicator: Indicator) -> ScoreArrays:
        if values is None:
            empty = np.full(n, np.nan)
            return ScoreArrays(empty, empty.copy(), np.zeros(n, dtype=bool))
        return _age_scores(indicator, sexes, days, usable, as_floats(values, n))

    wfa = _age_scores(WFA, sexes, days, weight_usable, weight_f)
    bfa = _age_scores(BFA, sexes, days, weight_usable, cbmi)
    lhfa = _age_scores(LHFA, sexes, days, usable, clenhei)

    # Weight-for-length or -height: by age, else by position, else below/above 87 cm.
    with np.errstate(invalid="ignore", divide="ignore"):
        by_position = np.where(
            cposition == LYING,
            1,
            np.where(cposition == STANDING, 2, np.where(clenhei < 87, 1, 2)),
        )
        table_code = np.where(
            positive_lenhei, np.where(young, 1, np.where(old, 2, by_position)), 0
        ).astype(np.int8)
        wflh_usable = (
            positive_lenhei & has_sex & (weight_f > 0) & ~has_oedema & (~has_days | age_valid)
        )
    wflh = _wflh_scores(sexes, table_code, wflh_usable, weight_f, clenhei)

    return ZScoreArrays(
        age_days=days,
        age_months=months,
        age_months_completed=completed,
        clenhei=clenhei,
        cmeasure=_POSITION_TEXT[cposition],
        c9mo_flag=c9mo_flag,
        cbmi=cbmi,
        wfa=wfa,
        lhfa=lhfa,
        wflh=wflh,
        wflh_table=_TABLE_TEXT[table_code],
        bfa=bfa,
        hcfa=optional(headc, HCFA),
        acfa=optional(armc, ACFA),
        tsfa=optional(triskin, TSFA),
        ssfa=optional(subskin, SSFA),
    )


# --- Permenkes 2/2020 categories ----------------------------------------------------

#: The index of each ``ZScoreArrays`` field that has Permenkes categories.
CATEGORY_FIELDS = {
    WEIGHT_FOR_AGE: "wfa",
    LENGTH_FOR_AGE: "lhfa",
    WEIGHT_FOR_LENGTH: "wflh",
    BMI_FOR_AGE: "bfa",
}


def classify_arrays(index: str, z: ArrayInput) -> npt.NDArray[np.str_]:
    """The Permenkes 2/2020 category code of each z on ``index`` ("" where z is NaN).

    As :func:`~kotacerdas.growth.classify`: z is rounded to 2 decimals first.
    """
    scale, bounds = _SCALES[index]
    rounded = round_like_python(np.asarray(z, dtype=np.float64), 2)
    position = np.zeros(len(rounded), dtype=np.intp)
    with np.errstate(invalid="ignore", divide="ignore"):
        for bound, inclusive in bounds:
            position += rounded > bound if inclusive else rounded >= bound
    codes = np.array([c.code for c in scale] + [""])
    position[np.isnan(rounded)] = len(scale)
    return codes[position]


def classify_all_arrays(scores: ZScoreArrays) -> dict[str, npt.NDArray[np.str_]]:
    """Category codes per index, "" where there is no z or it is flagged (as ``classify_all``)."""
    result = {}
    for index, name in CATEGORY_FIELDS.items():
        s: ScoreArrays = getattr(scores, name)
        codes = classify_arrays(index, s.z)
        codes[s.flagged] = ""
        result[index] = codes
    return result


def category_labels(index: str, codes: Sequence[str] | npt.NDArray[np.str_]) -> list[str]:
    """The regulation's Indonesian labels of category ``codes`` ("" stays "")."""
    labels = {c.code: c.label for c in _SCALES[index][0]}
    labels[""] = ""
    return [labels[str(c)] for c in codes]
