"""WHO Child Growth Standards (0–60 months) and Permenkes 2/2020 nutrition status.

A plain library: no Django import, standard library only. E-Posyandu calls it
when a measurement is saved and when a month is recomputed::

    from kotacerdas.growth import age_in_days, classify_all, compute_zscores

    scores = compute_zscores(
        2, age_days=age_in_days(birth, visit), weight=8.8, lenhei=77.5, measure="h"
    )
    scores.wfa.z, scores.wfa.flagged   # -2.23, False
    classify_all(scores)["bb_u"].label  # "Berat badan kurang"
"""

from __future__ import annotations

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
    "ZScores",
    "age_in_completed_months",
    "age_in_days",
    "categories",
    "classify",
    "classify_all",
    "compute_zscores",
    "days_from_months",
    "lms_zscore",
    "round_half_up",
    "table",
]
