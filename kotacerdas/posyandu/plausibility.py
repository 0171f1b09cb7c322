"""Is this weighing plausible against the child's previous visit?

WHO's flags judge one measurement against the standard; a child whose weight
fell from 10.54 to 6.50 kg in a month, or whose length shrank by 1.6 cm, is
inside WHO's limits and still almost certainly mis-measured (the wrong child,
a scale not zeroed, a child measured lying one month and standing the next).
The cadre is asked to measure again, exactly as for a WHO flag. The limits are
settings (``POSYANDU_DROP_*``, ``POSYANDU_SHRINK_CM``) [verify with Dinkes].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from kotacerdas.growth import age_in_days
from kotacerdas.people.models import Person
from kotacerdas.posyandu.models import Measure, Measurement

# Lying under two years, standing from two years (WHO cuts at 731 days; posyandu.md §4).
STANDING_FROM_DAYS = 731


def measure_for_age(birth: dt.date, day: dt.date) -> str:
    return Measure.STANDING if age_in_days(birth, day) >= STANDING_FROM_DAYS else Measure.LYING


def suggested_measure(child: Person, last: Measurement | None, day: dt.date) -> str:
    """How to measure today: by age, or as last time when last time was on the same
    side of the second birthday (a two-year-old who cannot stand yet stays lying)."""
    by_age = measure_for_age(child.birth_date, day)
    if last is None or not last.measure:
        return by_age
    if measure_for_age(child.birth_date, last.date) == by_age:
        return last.measure
    return by_age


@dataclass(frozen=True)
class Change:
    """One change against the previous visit beyond plausible limits."""

    code: str  # "weight", "lenhei" or "measure"
    text: str


def previous_visit(child: Person, day: dt.date) -> Measurement | None:
    """The child's last weighing before this visit's month."""
    return (
        Measurement.objects.filter(child=child, date__lt=day)
        .exclude(month=day.replace(day=1))
        .order_by("-date", "-id")
        .first()
    )


def _kg(value: Decimal) -> str:
    return number_format(value, 2)


def _cm(value: Decimal) -> str:
    return number_format(value, 1)


def _weight_change(previous: Measurement, weight: Decimal) -> Change | None:
    loss = previous.weight - weight
    if loss <= 0:
        return None
    too_much = loss > Decimal(str(settings.POSYANDU_DROP_KG)) or (
        loss * 100 > previous.weight * Decimal(str(settings.POSYANDU_DROP_PERCENT))
    )
    if not too_much:
        return None
    return Change(
        "weight",
        _("The weight went down from %(before)s kg to %(now)s kg since %(date)s.")
        % {
            "before": _kg(previous.weight),
            "now": _kg(weight),
            "date": date_format(previous.date, "j M Y"),
        },
    )


def _lenhei_change(
    previous: Measurement, lenhei: Decimal, measure: str, clenhei: float | None
) -> Change | None:
    if previous.lenhei is None:
        return None
    # The same position compares what was read; a change of position compares the
    # WHO-standardised value (±0.7 cm), which the method check below judges anyway.
    if measure == previous.measure:
        shrink = float(previous.lenhei - lenhei)
    elif clenhei is not None and previous.clenhei is not None:
        shrink = previous.clenhei - clenhei
    else:
        return None
    if shrink <= settings.POSYANDU_SHRINK_CM:
        return None
    return Change(
        "lenhei",
        _("The length or height went down from %(before)s cm to %(now)s cm since %(date)s.")
        % {
            "before": _cm(previous.lenhei),
            "now": _cm(lenhei),
            "date": date_format(previous.date, "j M Y"),
        },
    )


def _measure_change(
    child: Person, previous: Measurement, measure: str, day: dt.date
) -> Change | None:
    """Lying last time and standing now (or back) when the age does not explain it."""
    if not previous.measure or measure == previous.measure:
        return None
    if measure == measure_for_age(child.birth_date, day) and previous.measure == measure_for_age(
        child.birth_date, previous.date
    ):
        return None  # the second birthday fell between the visits
    labels = dict(Measure.choices)
    return Change(
        "measure",
        _("Last time the child was measured %(before)s, now %(now)s.")
        % {"before": str(labels[previous.measure]).lower(), "now": str(labels[measure]).lower()},
    )


def changes_since_previous(
    child: Person, fields: dict[str, Any], clenhei: float | None
) -> list[Change]:
    """What changed beyond plausible limits since the previous visit (empty: nothing)."""
    day: dt.date = fields["date"]
    previous = previous_visit(child, day)
    if previous is None:
        return []
    found = [_weight_change(previous, fields["weight"])]
    lenhei, measure = fields.get("lenhei"), fields.get("measure") or ""
    if lenhei is not None and measure:
        found.append(_lenhei_change(previous, lenhei, measure, clenhei))
        found.append(_measure_change(child, previous, measure, day))
    return [change for change in found if change is not None]
