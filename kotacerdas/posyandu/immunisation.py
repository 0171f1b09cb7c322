"""What each child is due: the schedule (data) against the doses given."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kotacerdas.people.models import Person
from kotacerdas.posyandu.models import AntenatalVisit, Immunisation, Pregnancy, ScheduleDose

GIVEN = "given"
OVERDUE = "overdue"
DUE = "due"
UPCOMING = "upcoming"
MISSED = "missed"
STATUS_LABELS = {
    GIVEN: _("given"),
    MISSED: _("missed (past the age limit)"),
    OVERDUE: _("overdue"),
    DUE: _("due"),
    UPCOMING: _("later"),
}


@dataclass
class DoseStatus:
    dose: ScheduleDose
    status: str
    due_date: dt.date
    given: Immunisation | None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def schedule() -> list[ScheduleDose]:
    return list(ScheduleDose.objects.filter(active=True))


def doses_status(
    child: Person,
    given: Iterable[Immunisation],
    doses: list[ScheduleDose],
    on: dt.date,
) -> list[DoseStatus]:
    """Each scheduled dose for ``child`` on day ``on``: given, overdue, due or later.

    A dose is due from the recommended age, and not before the minimum
    interval after the previous dose of the same antigen.
    """
    by_dose = {g.dose_id: g for g in given}
    previous_date: dict[str, dt.date | None] = {}
    result = []
    overdue_after = dt.timedelta(days=settings.POSYANDU_OVERDUE_DAYS)
    for dose in sorted(doses, key=lambda d: (d.antigen, d.dose)):
        due = child.birth_date + dt.timedelta(days=max(dose.age_days, dose.min_age_days))
        before = previous_date.get(dose.antigen)
        if before is not None and dose.min_interval_days:
            due = max(due, before + dt.timedelta(days=dose.min_interval_days))
        given_dose = by_dose.get(dose.pk)
        if given_dose is not None:
            status = GIVEN
            previous_date[dose.antigen] = given_dose.date
        elif dose.max_age_days is not None and (on - child.birth_date).days > dose.max_age_days:
            # Too old for it now (HB0 after its first week): neither due nor overdue.
            status = MISSED
        else:
            status = OVERDUE if due + overdue_after < on else DUE if due <= on else UPCOMING
            # A later dose of this antigen waits for this one.
            previous_date[dose.antigen] = max(due, on)
        result.append(DoseStatus(dose, status, due, given_dose))
    result.sort(key=lambda s: (s.due_date, s.dose.antigen, s.dose.dose))
    return result


def due_by_child(children: list[Person], on: dt.date) -> dict[int, list[DoseStatus]]:
    """Due and overdue doses on ``on`` for many children, in two queries."""
    doses = schedule()
    given: dict[int, list[Immunisation]] = defaultdict(list)
    for immunisation in Immunisation.objects.filter(child__in=[c.pk for c in children]):
        given[immunisation.child_id].append(immunisation)
    return {
        child.pk: [
            s for s in doses_status(child, given[child.pk], doses, on) if s.status in (DUE, OVERDUE)
        ]
        for child in children
    }


@dataclass
class Risk:
    code: str
    label: str


def visit_risks(visit: AntenatalVisit) -> list[Risk]:
    risks = []
    if visit.lila is not None and visit.lila < Decimal(str(settings.POSYANDU_KEK_LILA_CM)):
        risks.append(Risk("kek", str(_("KEK risk: LiLA below 23.5 cm"))))
    if visit.hb is not None and visit.hb < Decimal(str(settings.POSYANDU_ANAEMIA_HB)):
        risks.append(Risk("anaemia", str(_("Anaemia: Hb below 11 g/dL"))))
    if (visit.systolic or 0) >= 140 or (visit.diastolic or 0) >= 90:
        risks.append(Risk("hypertension", str(_("High blood pressure (≥ 140/90)"))))
    return risks


def pregnancy_risks(
    pregnancy: Pregnancy, visits: list[AntenatalVisit], today: dt.date
) -> list[Risk]:
    """Risk flags of a pregnancy: those of its latest visit, the mother's age, a late HPL."""
    risks = visit_risks(visits[-1]) if visits else []
    birth, edd = pregnancy.woman.birth_date, pregnancy.edd
    # Whole years on the HPL (not days // 365, which is days off around a birthday).
    age = edd.year - birth.year - ((edd.month, edd.day) < (birth.month, birth.day))
    if age < 20:
        risks.append(Risk("young", str(_("Mother under 20 at delivery"))))
    elif age > 35:
        risks.append(Risk("old", str(_("Mother over 35 at delivery"))))
    if pregnancy.ended_on is None and pregnancy.edd < today:
        risks.append(Risk("late", str(_("Past the expected date of delivery"))))
    if pregnancy.ended_on is None and not visits:
        risks.append(Risk("no_visit", str(_("No antenatal visit recorded"))))
    return risks
