"""WHO Child Growth Standards (0–60 months) and Permenkes 2/2020 nutrition status.

A plain library: no Django import. Two paths give the same results: the scalar
:func:`compute_zscores` (standard library only) for one child, as when a
measurement is saved, and :func:`compute_zscores_arrays` (numpy) for arrays of
children at once, as when a month is recomputed or an analyst scores a file
(``python -m kotacerdas.growth zscores IN.csv -o OUT.csv``)::

    from kotacerdas.growth import age_in_days, classify_all, compute_zscores

    scores = compute_zscores(
        2, age_days=age_in_days(birth, visit), weight=8.8, lenhei=77.5, measure="h"
    )
    scores.wfa.z, scores.wfa.flagged   # -2.23, False
    classify_all(scores)["bb_u"].label  # "Berat badan kurang"

    month = compute_zscores_arrays(sexes, age_days=days, weight=kg, lenhei=cm, measure=how)
    month.wfa.z, month.wfa.flagged       # numpy arrays, NaN where there is no z
    classify_all_arrays(month)["bb_u"]   # category codes, "" where none

See docs/growth.md.
"""

from __future__ import annotations

from kotacerdas.growth.arrays import (
    ScoreArrays,
    ZScoreArrays,
    age_in_completed_months_arrays,
    age_in_days_arrays,
    category_labels,
    classify_all_arrays,
    classify_arrays,
    compute_zscores_arrays,
)
from kotacerdas.growth.categories import (
    BMI_FOR_AGE,
    LENGTH_FOR_AGE,
    WEIGHT_FOR_AGE,
    WEIGHT_FOR_LENGTH,
    Category,
    categories,
    classify,
    classify_all,
)
from kotacerdas.growth.zscores import (
    DAYS_PER_MONTH,
    FEMALE,
    INDICATORS,
    MALE,
    Indicator,
    Score,
    ZScores,
    age_in_completed_months,
    age_in_days,
    compute_zscores,
    days_from_months,
    lms_zscore,
    round_half_up,
    table,
)

__all__ = [
    "BMI_FOR_AGE",
    "DAYS_PER_MONTH",
    "FEMALE",
    "INDICATORS",
    "LENGTH_FOR_AGE",
    "MALE",
    "WEIGHT_FOR_AGE",
    "WEIGHT_FOR_LENGTH",
    "Category",
    "Indicator",
    "Score",
    "ScoreArrays",
    "ZScoreArrays",
    "ZScores",
    "age_in_completed_months",
    "age_in_completed_months_arrays",
    "age_in_days",
    "age_in_days_arrays",
    "categories",
    "category_labels",
    "classify",
    "classify_all",
    "classify_all_arrays",
    "classify_arrays",
    "compute_zscores",
    "compute_zscores_arrays",
    "days_from_months",
    "lms_zscore",
    "round_half_up",
    "table",
]
