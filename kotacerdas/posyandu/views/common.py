"""Helpers the posyandu pages share: category labels, ages, charts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import number_format

from kotacerdas.growth import categories as growth_categories
from kotacerdas.people.models import Person
from kotacerdas.posyandu import actions, chart
from kotacerdas.posyandu.models import (
    Measurement,
)

CATEGORY_LABELS = {
    (index, c.code): c.label
    for index in ("bb_u", "pb_u", "bb_pb", "imt_u")
    for c in growth_categories(index)
}


def category_label(index: str, code: str) -> str:
    return CATEGORY_LABELS.get((index, code), "")


def decorate(m: Measurement) -> Measurement:
    m.bb_u_label = category_label("bb_u", m.cat_bb_u)  # type: ignore[attr-defined]
    m.pb_u_label = category_label("pb_u", m.cat_pb_u)  # type: ignore[attr-defined]
    m.bb_pb_label = category_label("bb_pb", m.cat_bb_pb)  # type: ignore[attr-defined]
    return m


def mass_text(grams: int) -> str:
    """A weight difference as a cadre reads it: "350 g", or "4,04 kg" from a kilogram."""
    if abs(grams) < 1000:
        return f"{grams} g"
    return f"{number_format(Decimal(grams) / 1000, 2)} kg"


def months_old(birth: dt.date, day: dt.date) -> int:
    from kotacerdas.growth import age_in_completed_months

    return age_in_completed_months(birth, day)


def charts(child: Person) -> list[chart.Chart]:
    history = list(Measurement.objects.filter(child=child).order_by("date"))
    sex = actions.sex_code(child)
    return [chart.growth_chart("wfa", sex, history), chart.growth_chart("lhfa", sex, history)]
