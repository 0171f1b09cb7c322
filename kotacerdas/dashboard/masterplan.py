"""The masterplan tracker's progress: from a live figure where one measures it, by hand otherwise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from kotacerdas.dashboard.catalogue import figure_catalogue
from kotacerdas.dashboard.models import FigureValue, MasterplanItem


@dataclass(frozen=True)
class Progress:
    item: MasterplanItem
    percent: int | None
    live: bool  # from a figure (value / target) rather than entered by hand
    value: int | None = None


def progress(items: list[MasterplanItem], today: dt.date | None = None) -> list[Progress]:
    """Each item's progress this year (one query for all the live figures)."""
    today = today or timezone.localdate()
    catalogue = figure_catalogue()
    keys = {item.figure for item in items if item.figure in catalogue and item.target}
    values = dict(
        FigureValue.objects.filter(figure__in=keys, month__year=today.year)
        .values_list("figure")
        .annotate(total=Sum("value"))
        .values_list("figure", "total")
    )
    found = []
    for item in items:
        if item.figure in keys and item.target:
            value = int(values.get(item.figure) or 0)
            found.append(Progress(item, min(100, round(100 * value / item.target)), True, value))
        else:
            found.append(Progress(item, item.manual_progress, False))
    return found
