"""Nutrition-status categories of Permenkes 2/2020 (Standar Antropometri Anak), 0–60 months.

Each index has its own categories; a category has a stable ``code`` (what
the database and the API store), the regulation's Indonesian ``label`` (what
cards and reports print) and an English ``gloss``.

The cut-offs apply to the z rounded to 2 decimals, as WHO flags it and as
cards show it, with the regulation's boundaries (posyandu.md §3): "< −3" is
the lowest category and "−3 sd < −2" the next, so exactly −3.00 is *kurang*;
−2.00 and +1.00 are normal; +2.00 on BB/PB is *berisiko gizi lebih*; +3.00 on
PB/U is normal.

The categories for IMT/U at 5–18 years (WHO Reference 2007) are not here: the
growth tables stop at 60 months.
"""

from __future__ import annotations

from dataclasses import dataclass

from kotacerdas.growth.zscores import ZScores


@dataclass(frozen=True, slots=True)
class Category:
    index: str
    code: str
    label: str
    gloss: str


# Index codes: BB/U, PB/U or TB/U, BB/PB or BB/TB, IMT/U.
WEIGHT_FOR_AGE = "bb_u"
LENGTH_FOR_AGE = "pb_u"
WEIGHT_FOR_LENGTH = "bb_pb"
BMI_FOR_AGE = "imt_u"

INDEX_LABELS = {
    WEIGHT_FOR_AGE: "BB/U",
    LENGTH_FOR_AGE: "PB/U atau TB/U",
    WEIGHT_FOR_LENGTH: "BB/PB atau BB/TB",
    BMI_FOR_AGE: "IMT/U",
}


def _wasting_scale(index: str) -> tuple[Category, ...]:
    # BB/PB and IMT/U (0–60 months) share categories and cut-offs.
    return (
        Category(index, "severely_wasted", "Gizi buruk", "severely wasted"),
        Category(index, "wasted", "Gizi kurang", "wasted"),
        Category(index, "normal", "Gizi baik", "normal"),
        Category(
            index,
            "possible_risk_of_overweight",
            "Berisiko gizi lebih",
            "possible risk of overweight",
        ),
        Category(index, "overweight", "Gizi lebih", "overweight"),
        Category(index, "obese", "Obesitas", "obese"),
    )


# Per index: the categories from lowest to highest, and the upper bound
# (inclusive or not) of each but the last.
_SCALES: dict[str, tuple[tuple[Category, ...], tuple[tuple[float, bool], ...]]] = {
    WEIGHT_FOR_AGE: (
        (
            Category(
                WEIGHT_FOR_AGE,
                "severely_underweight",
                "Berat badan sangat kurang",
                "severely underweight",
            ),
            Category(WEIGHT_FOR_AGE, "underweight", "Berat badan kurang", "underweight"),
            Category(WEIGHT_FOR_AGE, "normal", "Berat badan normal", "normal"),
            Category(
                WEIGHT_FOR_AGE,
                "risk_of_overweight",
                "Risiko berat badan lebih",
                "risk of overweight",
            ),
        ),
        # (bound, inclusive): < −3 | −3 to < −2 | −2 to +1 | > +1
        ((-3.0, False), (-2.0, False), (1.0, True)),
    ),
    LENGTH_FOR_AGE: (
        (
            Category(LENGTH_FOR_AGE, "severely_stunted", "Sangat pendek", "severely stunted"),
            Category(LENGTH_FOR_AGE, "stunted", "Pendek", "stunted"),
            Category(LENGTH_FOR_AGE, "normal", "Normal", "normal"),
            Category(LENGTH_FOR_AGE, "tall", "Tinggi", "tall"),
        ),
        # < −3 | −3 to < −2 | −2 to +3 | > +3
        ((-3.0, False), (-2.0, False), (3.0, True)),
    ),
    WEIGHT_FOR_LENGTH: (
        _wasting_scale(WEIGHT_FOR_LENGTH),
        # < −3 | −3 to < −2 | −2 to +1 | > +1 to +2 | > +2 to +3 | > +3
        ((-3.0, False), (-2.0, False), (1.0, True), (2.0, True), (3.0, True)),
    ),
    BMI_FOR_AGE: (
        _wasting_scale(BMI_FOR_AGE),
        ((-3.0, False), (-2.0, False), (1.0, True), (2.0, True), (3.0, True)),
    ),
}


def classify(index: str, z: float) -> Category:
    """The Permenkes 2/2020 category of ``z`` on ``index`` (``bb_u``, ``pb_u``, ``bb_pb``, ``imt_u``).

    ``z`` is rounded to 2 decimals first, so an unrounded z gives the category
    of the value a card would show.
    """
    categories, bounds = _SCALES[index]
    rounded = round(z, 2)
    for category, (bound, inclusive) in zip(categories, bounds, strict=False):
        if rounded < bound or (inclusive and rounded == bound):
            return category
    return categories[-1]


def categories(index: str) -> tuple[Category, ...]:
    """All categories of ``index``, lowest first (for report columns and choices)."""
    return _SCALES[index][0]


def classify_all(scores: ZScores) -> dict[str, Category]:
    """The categories of every index ``scores`` has, leaving out flagged (implausible) z.

    A flagged z is more likely a mistake in the measurement than a child's
    status: measure again rather than print "gizi buruk" on the card.
    """
    result = {}
    for index, score in (
        (WEIGHT_FOR_AGE, scores.wfa),
        (LENGTH_FOR_AGE, scores.lhfa),
        (WEIGHT_FOR_LENGTH, scores.wflh),
        (BMI_FOR_AGE, scores.bfa),
    ):
        if score is not None and not score.flagged:
            result[index] = classify(index, score.z)
    return result
