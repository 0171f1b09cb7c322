"""The kelurahan literacy mini-index: per pillar and quarter, on a 1–5 scale, from the quizzes.

Method (also written on the public page):

- Each quiz submission scores ``1 + 4 × (right answers / questions)``: 1 with
  none right, 5 with all right (the 1–5 scale of Kominfo's Indeks Literasi
  Digital, but this is **not** that index: it describes the self-selected
  participants of Cirebon Melet's classes only).
- A kelurahan's index for a pillar and quarter is the mean score of the
  post-tests taken in classes held in that kelurahan in that quarter; the
  gain is that mean minus the mean of the pre-tests of the same classes.
- A cell with fewer than ``LITERACY_INDEX_MIN_COUNT`` post-tests is not shown
  (small counts suppressed), and neither is its gain.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField
from django.db.models.functions import TruncQuarter

from kotacerdas.literacy.models import Pillar, Quiz, Submission


@dataclass(frozen=True)
class IndexCell:
    kelurahan: str  # Kepmendagri code
    kelurahan_name: str
    quarter: str  # "2026-Q3"
    pillar: str
    n: int
    index: float | None  # None when suppressed
    gain: float | None


def _score() -> ExpressionWrapper:
    return ExpressionWrapper(1.0 + 4.0 * F("correct") * 1.0 / F("total"), output_field=FloatField())


def cells(year: int | None = None) -> list[IndexCell]:
    """Every (kelurahan, quarter, pillar) with a post-test, small counts suppressed."""
    threshold = settings.LITERACY_INDEX_MIN_COUNT
    rows = Submission.objects.filter(total__gt=0, registration__session__kelurahan__isnull=False)
    if year is not None:
        rows = rows.filter(registration__session__starts_at__year=year)
    grouped = (
        rows.annotate(
            quarter=TruncQuarter(
                "registration__session__starts_at", tzinfo=ZoneInfo(settings.TIME_ZONE)
            )
        )
        .values(
            "registration__session__kelurahan_id",
            "registration__session__kelurahan__name",
            "quarter",
            "quiz__pillar",
            "quiz__kind",
        )
        .annotate(n=Count("pk"), mean=Avg(_score()))
    )
    found: dict[tuple[str, str, object, str], dict[str, tuple[int, float]]] = defaultdict(dict)
    for row in grouped:
        key = (
            row["registration__session__kelurahan_id"],
            row["registration__session__kelurahan__name"],
            row["quarter"],
            row["quiz__pillar"],
        )
        found[key][row["quiz__kind"]] = (row["n"], row["mean"])
    result = []
    for (code, name, quarter, pillar), kinds in found.items():
        n, post = kinds.get(Quiz.Kind.POST, (0, None))
        if not n:
            continue
        shown = n >= threshold
        pre = kinds.get(Quiz.Kind.PRE, (0, None))
        gain = (
            post - pre[1]
            if shown and post is not None and pre[1] is not None and pre[0] >= threshold
            else None
        )
        result.append(
            IndexCell(
                kelurahan=code,
                kelurahan_name=name,
                quarter=f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}",  # type: ignore[attr-defined]
                pillar=pillar,
                n=n,
                index=round(post, 2) if shown and post is not None else None,
                gain=round(gain, 2) if gain is not None else None,
            )
        )
    order = list(Pillar.values)
    return sorted(result, key=lambda c: (c.kelurahan_name, c.quarter, order.index(c.pillar)))
