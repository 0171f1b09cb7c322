"""WHO Child Growth Standards z-scores, as WHO anthro 1.1.0 computes them.

One scalar function, :func:`compute_zscores`, takes one measurement of one
child and returns every z-score its inputs allow, with WHO's flags for
implausible values. The steps (posyandu.md §2) are WHO's:

1. age in whole days (half-up rounding), age in months kept unrounded;
2. a standing measurement under 9 months is implausible: the position is
   dropped (``c9mo_flag``) and no 0.7 cm correction is made;
3. length/height put on the basis of the age (length under 731 days, height
   from 731 days) by ±0.7 cm;
4. BMI from the corrected length/height;
5. z = ((y/M)^L − 1) / (S·L) from the sex-and-day row of the LMS table;
6. beyond ±3 SD, weight-based indicators (and arm circumference, skinfolds)
   are measured in units of the 2→3 SD distance ("restricted" z);
7. weight-for-length (under 731 days) or -height, with L, M, S interpolated
   between the 0.1 cm rows;
8. oedema voids the weight-based z-scores;
9. no z outside the table's ages, at 60 months or more, or for a value ≤ 0;
10. z rounded to 2 decimals, then flagged.

Pure Python and the standard library only: one child's z-scores are a handful
of ``pow`` calls, and a whole city month (30,000 children) takes about 0.3 s on
one core (``bench/growth.py``). No Django import, so scripts and notebooks can
use it as is. For many children at once, ``arrays.compute_zscores_arrays``
gives the same results, bit for bit, with numpy (docs/growth.md).

One deliberate difference from WHO's R code (posyandu.md §2.2): the corrected
length/height is rounded to 3 decimals (0.01 mm) before the weight-for-length/
height row look-up. In R, ``103.1 − 0.7`` is ``102.39999999999999`` and reads
the 102.5 cm row; here it reads 102.4 cm. WHO's result differs by about 0.02 z
for a child of 731 days or more measured lying at 103.1 cm, the only 0.1 cm
value where this changes a z (51.9 − 0.7 is the other, but below the height
table's 65 cm).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"

#: WHO's days per month (anthro ``ANTHRO_DAYS_OF_MONTH``), not calendar months.
DAYS_PER_MONTH = 30.4375

#: The oldest age (days) WHO accepts; the tables themselves stop at day 1826.
MAX_AGE_DAYS = 1856

#: Age (days) from which length is converted to height and WFH replaces WFL.
HEIGHT_FROM_DAYS = 731

#: Standing vs recumbent difference (cm) WHO assumes.
POSITION_CORRECTION_CM = 0.7

Sex = Literal[1, 2]
Position = Literal["l", "h"]

MALE: Sex = 1
FEMALE: Sex = 2


class Indicator(NamedTuple):
    """One growth standard: its table, and how its z-scores are bounded and flagged."""

    code: str
    description: str
    #: Restricted beyond ±3 SD (weight-based and skinfold-like indicators).
    restricted: bool
    #: Flagged as implausible when z < flag_low or z > flag_high (rounded z).
    flag_low: float
    flag_high: float

    def is_implausible(self, z: float) -> bool:
        """WHO's flag, on the z rounded to 2 decimals."""
        return z < self.flag_low or z > self.flag_high


WFA = Indicator("wfa", "weight-for-age", True, -6.0, 5.0)
LHFA = Indicator("lhfa", "length/height-for-age", False, -6.0, 6.0)
WFL = Indicator("wfl", "weight-for-length", True, -5.0, 5.0)
WFH = Indicator("wfh", "weight-for-height", True, -5.0, 5.0)
BFA = Indicator("bfa", "BMI-for-age", True, -5.0, 5.0)
HCFA = Indicator("hcfa", "head circumference-for-age", False, -5.0, 5.0)
ACFA = Indicator("acfa", "arm circumference-for-age", True, -5.0, 5.0)
TSFA = Indicator("tsfa", "triceps skinfold-for-age", True, -5.0, 5.0)
SSFA = Indicator("ssfa", "subscapular skinfold-for-age", True, -5.0, 5.0)

INDICATORS = {i.code: i for i in (WFA, LHFA, WFL, WFH, BFA, HCFA, ACFA, TSFA, SSFA)}

# Weight-for-length/height tables are keyed by tenths of a centimetre.
_CM_TABLES = frozenset({"wfl", "wfh"})


class Score(NamedTuple):
    """One z-score: rounded as WHO reports and flags it, and unrounded for storage."""

    z: float
    z_raw: float
    #: Outside WHO's plausibility limits: check the measurement; excluded from prevalence.
    flagged: bool


@dataclass(frozen=True, slots=True)
class ZScores:
    """Everything WHO anthro derives from one measurement (``None`` = not computable)."""

    age_days: int | None
    #: Unrounded age in months (days / 30.4375, or the months given).
    age_months: float | None
    #: Length/height on the basis of the age (±0.7 cm), used by HAZ, WFL/WFH and BMI.
    clenhei: float | None
    #: Position after cleaning: ``None`` if missing, unknown, or standing under 9 months.
    cmeasure: Position | None
    #: A standing measurement under 9 months (position dropped, no correction).
    c9mo_flag: bool
    cbmi: float | None
    wfa: Score | None
    lhfa: Score | None
    #: Weight-for-length or weight-for-height: which one is in ``wflh_table``.
    wflh: Score | None
    wflh_table: Literal["wfl", "wfh"] | None
    bfa: Score | None
    hcfa: Score | None
    acfa: Score | None
    tsfa: Score | None
    ssfa: Score | None


# --- age ---------------------------------------------------------------------


def round_half_up(x: float) -> int:
    """WHO's rounding of ages: floor, then up if the remainder is ≥ 0.5 (x ≥ 0)."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


def age_in_days(birth: dt.date, visit: dt.date) -> int:
    """Exact age in whole days, the input WHO prefers (negative if visit < birth)."""
    return (visit - birth).days


def age_in_completed_months(birth: dt.date, visit: dt.date) -> int:
    """Completed calendar months ("bulan penuh": 2 months 29 days is 2), for display and KMS.

    Not used for z-scores, which go by exact days (posyandu.md §4).
    """
    months = (visit.year - birth.year) * 12 + visit.month - birth.month
    if visit.day < birth.day:
        months -= 1
    return months


def days_from_months(months: float) -> int:
    """Age in months (WHO months of 30.4375 days) to the day index of the tables."""
    return round_half_up(months * DAYS_PER_MONTH)


# --- input cleaning ----------------------------------------------------------


def clean_sex(sex: object) -> Sex | None:
    """1/2, "1"/"2", "m"/"f" (any case) to 1 or 2; ``None`` stays missing.

    Anything else raises ``ValueError``: a wrong code would silently give the
    other sex's z-scores or none, so it is the caller's bug to fix.
    """
    if sex is None:
        return None
    text = str(sex).strip().lower()
    if text in ("1", "m"):
        return MALE
    if text in ("2", "f"):
        return FEMALE
    raise ValueError(f"sex must be 1/2 or m/f, not {sex!r}")


def clean_measure(measure: object) -> Position | None:
    """ "l"/"L" recumbent, "h"/"H" standing; anything else is missing (WHO)."""
    if measure is None:
        return None
    text = str(measure).strip().lower()
    if text == "l":
        return "l"
    if text == "h":
        return "h"
    return None


def clean_oedema(oedema: object) -> bool:
    """True for ``True``, "y"/"Y"/"1"; anything else (missing included) is no oedema."""
    if oedema is True:
        return True
    if oedema is None or oedema is False:
        return False
    return str(oedema).strip().lower() in ("y", "1")


# --- tables ------------------------------------------------------------------

# rows[sex - 1][key - first_key] = (L, M, S); key is the age in days, or the
# length/height in tenths of a centimetre for WFL/WFH.
Rows = tuple[Sequence[tuple[float, float, float]], Sequence[tuple[float, float, float]]]


class Table(NamedTuple):
    indicator: str
    first_key: int
    last_key: int
    rows: Rows


@cache
def _manifest() -> dict[str, dict[str, object]]:
    data = json.loads((DATA_DIR / "MANIFEST.json").read_text())
    return {entry["file"]: entry for entry in data["files"]}


@cache
def table(indicator: str) -> Table:
    """The LMS table of ``indicator`` ("wfa", "lhfa", …), read once and checked against MANIFEST.json."""
    if indicator not in INDICATORS:
        raise KeyError(f"no growth standard {indicator!r}")
    manifest = _manifest()
    per_sex: list[list[tuple[float, float, float]]] = []
    first_keys = []
    for sex, name in ((MALE, "boys"), (FEMALE, "girls")):
        file = f"{indicator}_{name}.csv"
        entry = manifest[file]
        with (DATA_DIR / file).open(newline="") as f:
            reader = csv.DictReader(f)
            x_column = str(entry["x"])
            keys: list[int] = []
            rows: list[tuple[float, float, float]] = []
            for record in reader:
                if int(record["sex"]) != sex:
                    raise ValueError(f"{file}: row for sex {record['sex']}")
                keys.append(_key(indicator, record[x_column], file))
                rows.append((float(record["L"]), float(record["M"]), float(record["S"])))
        expected_first = _key(indicator, str(entry["x_min"]), file)
        expected_last = _key(indicator, str(entry["x_max"]), file)
        if (
            len(rows) != entry["rows"]
            or keys != list(range(expected_first, expected_first + len(rows)))
            or keys[-1] != expected_last
        ):
            raise ValueError(f"{file}: rows or {x_column} range differ from MANIFEST.json")
        if any(lms[0] == 0 for lms in rows):
            raise ValueError(f"{file}: L = 0 needs the log form of the LMS formula")
        per_sex.append(rows)
        first_keys.append(expected_first)
    if first_keys[0] != first_keys[1] or len(per_sex[0]) != len(per_sex[1]):
        raise ValueError(f"{indicator}: boys' and girls' tables cover different ranges")
    return Table(
        indicator, first_keys[0], first_keys[0] + len(per_sex[0]) - 1, (per_sex[0], per_sex[1])
    )


def _key(indicator: str, text: str, file: str) -> int:
    if indicator not in _CM_TABLES:
        return int(text)
    value = float(text)
    key = round(value * 10)
    # The look-up finds rows by trunc(h·10): that must land on this row's key.
    if key / 10 != value or math.trunc(value * 10) != key:
        raise ValueError(f"{file}: {text} cm is not on the 0.1 cm grid")
    return key


# --- z-scores ----------------------------------------------------------------


def lms_zscore(y: float, lms: tuple[float, float, float], restricted: bool) -> float:
    """z of measurement ``y`` for one (L, M, S) row; restricted beyond ±3 SD if asked.

    NaN when the restricted formula has no real value (never with WHO's tables).
    """
    l, m, s = lms  # noqa: E741 (the LMS method's own letters)
    z = ((y / m) ** l - 1.0) / (s * l)
    if restricted and (z > 3.0 or z < -3.0):
        sign = 3.0 if z > 0 else -3.0
        base3 = 1.0 + l * s * sign
        base2 = 1.0 + l * s * (sign * 2.0 / 3.0)
        if base3 <= 0.0 or base2 <= 0.0:
            return math.nan
        sd3 = m * base3 ** (1.0 / l)
        sd2 = m * base2 ** (1.0 / l)
        # The 2→3 SD distance on the measurement scale: SD3 − SD2 above, SD2 − SD3 below.
        z = sign + (y - sd3) / (sd3 - sd2 if z > 0 else sd2 - sd3)
    return z


def _score(indicator: Indicator, z: float) -> Score | None:
    if math.isnan(z):
        return None
    rounded = round(z, 2)
    return Score(rounded, z, indicator.is_implausible(rounded))


def _age_score(indicator: Indicator, sex: int, age_days: int, y: float | None) -> Score | None:
    """Age-based z (callers have checked sex, age present and < 60 months)."""
    if y is None or y <= 0:
        return None
    t = table(indicator.code)
    if not t.first_key <= age_days <= t.last_key:
        return None
    return _score(
        indicator, lms_zscore(y, t.rows[sex - 1][age_days - t.first_key], indicator.restricted)
    )


def weight_for_lenhei_table(
    age_days: int | None, cmeasure: Position | None, clenhei: float
) -> Literal["wfl", "wfh"]:
    """WFL or WFH: by age (731 days) when known, else by position, else below/above 87 cm."""
    if age_days is not None:
        return "wfl" if age_days < HEIGHT_FROM_DAYS else "wfh"
    if cmeasure is not None:
        return "wfl" if cmeasure == "l" else "wfh"
    return "wfl" if clenhei < 87 else "wfh"


def _wflh_score(indicator: Indicator, sex: int, weight: float, clenhei: float) -> Score | None:
    t = table(indicator.code)
    # 3 decimals, so float noise of the ±0.7 correction cannot pick a wrong row (module docstring).
    h = round(clenhei, 3)
    if not t.first_key / 10 <= h <= t.last_key / 10:
        return None
    low = math.trunc(h * 10)
    rows = t.rows[sex - 1]
    lms = rows[low - t.first_key]
    fraction = (h - low / 10) / 0.1
    if fraction > 0:
        # WHO takes trunc(h·10 + 1); on 3-decimal values that is always the next row.
        upper = rows[low + 1 - t.first_key]
        lms = (
            lms[0] + fraction * (upper[0] - lms[0]),
            lms[1] + fraction * (upper[1] - lms[1]),
            lms[2] + fraction * (upper[2] - lms[2]),
        )
    return _score(indicator, lms_zscore(weight, lms, True))


def compute_zscores(
    sex: object,
    *,
    age_days: float | None = None,
    age_months: float | None = None,
    weight: float | None = None,
    lenhei: float | None = None,
    measure: object = None,
    headc: float | None = None,
    armc: float | None = None,
    triskin: float | None = None,
    subskin: float | None = None,
    oedema: object = False,
) -> ZScores:
    """All the z-scores one measurement allows, as WHO anthro 1.1.0 computes them.

    ``sex``: 1/2 or m/f (``None`` = missing: no z-scores). Age: ``age_days``
    (preferred; see :func:`age_in_days`) or ``age_months`` (WHO months of
    30.4375 days, unrounded), not both; missing age still allows WFL/WFH.
    ``weight`` kg; ``lenhei`` cm as measured; ``measure`` "l" lying, "h"
    standing; ``headc``, ``armc`` cm; ``triskin``, ``subskin`` mm;
    ``oedema`` True/"y"/"1". Numbers may be ``Decimal`` (model fields): they are
    converted to ``float``.
    """
    if age_days is not None and age_months is not None:
        raise ValueError("give age_days or age_months, not both")
    csex = clean_sex(sex)
    cmeasure = clean_measure(measure)
    has_oedema = clean_oedema(oedema)
    weight_f = _number(weight)
    lenhei_f = _number(lenhei)

    days: int | None = None
    months: float | None = None
    if age_days is not None and float(age_days) >= 0:
        days = round_half_up(float(age_days))
        months = float(age_days) / DAYS_PER_MONTH
    elif age_months is not None and float(age_months) >= 0:
        months = float(age_months)
        days = days_from_months(months)

    c9mo_flag = cmeasure == "h" and months is not None and months < 9
    if c9mo_flag:
        cmeasure = None

    clenhei = lenhei_f
    if lenhei_f is not None and days is not None:
        if days < HEIGHT_FROM_DAYS and cmeasure == "h":
            clenhei = lenhei_f + POSITION_CORRECTION_CM
        elif days >= HEIGHT_FROM_DAYS and cmeasure == "l":
            clenhei = lenhei_f - POSITION_CORRECTION_CM

    cbmi = None
    if weight_f is not None and clenhei is not None and clenhei > 0:
        metres = clenhei / 100
        cbmi = weight_f / (metres * metres)

    wfa = lhfa = bfa = hcfa = acfa = tsfa = ssfa = None
    age_valid = days is not None and months is not None and months < 60 and days <= MAX_AGE_DAYS
    if csex is not None and days is not None and age_valid:
        if not has_oedema:
            wfa = _age_score(WFA, csex, days, weight_f)
            bfa = _age_score(BFA, csex, days, cbmi)
        lhfa = _age_score(LHFA, csex, days, clenhei)
        hcfa = _age_score(HCFA, csex, days, _number(headc))
        acfa = _age_score(ACFA, csex, days, _number(armc))
        tsfa = _age_score(TSFA, csex, days, _number(triskin))
        ssfa = _age_score(SSFA, csex, days, _number(subskin))

    wflh = None
    wflh_table: Literal["wfl", "wfh"] | None = None
    if clenhei is not None and clenhei > 0:
        wflh_table = weight_for_lenhei_table(days, cmeasure, clenhei)
        if (
            csex is not None
            and weight_f is not None
            and weight_f > 0
            and not has_oedema
            and (days is None or age_valid)
        ):
            wflh = _wflh_score(INDICATORS[wflh_table], csex, weight_f, clenhei)

    return ZScores(
        age_days=days,
        age_months=months,
        clenhei=clenhei,
        cmeasure=cmeasure,
        c9mo_flag=c9mo_flag,
        cbmi=cbmi,
        wfa=wfa,
        lhfa=lhfa,
        wflh=wflh,
        wflh_table=wflh_table,
        bfa=bfa,
        hcfa=hcfa,
        acfa=acfa,
        tsfa=tsfa,
        ssfa=ssfa,
    )


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)
