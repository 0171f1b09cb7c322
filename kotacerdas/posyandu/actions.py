"""Every change E-Posyandu makes goes through here, with its audit record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.core import locks
from kotacerdas.growth import (
    ZScores,
    age_in_completed_months,
    age_in_days,
    classify_all,
    compute_zscores,
)
from kotacerdas.people.models import Person
from kotacerdas.posyandu.alerts import STUNTING_Z, WASTING_Z, alert_kinds, sync_alerts
from kotacerdas.posyandu.children import five_years_before
from kotacerdas.posyandu.models import (
    Alert,
    AntenatalVisit,
    ChildRecord,
    Growth,
    Immunisation,
    Measurement,
    MinimumGain,
    Posyandu,
    Pregnancy,
    ScheduleDose,
    add_months,
)
from kotacerdas.posyandu.plausibility import Change, changes_since_previous
from kotacerdas.posyandu.tallies import refresh_register_of, refresh_weighings, weighing_keys

__all__ = ["STUNTING_Z", "WASTING_Z", "alert_kinds"]

# WHO anthro 1.1.0 ignores a standing position under 9 months (c9mo_flag): refuse it.
NINE_MONTHS_DAYS = 274
# Which z-scores WHO flags, with the name a cadre understands.
FLAG_FIELDS = {
    "wfa": "z_wfa",
    "lhfa": "z_lhfa",
    "wflh": "z_wflh",
    "bfa": "z_bfa",
    "hcfa": "z_hcfa",
    "acfa": "z_acfa",
}


class NeedsConfirmation(Exception):
    """The values are possible but WHO flags them, or they changed beyond plausible
    limits since the previous visit: ask the cadre to measure again."""

    def __init__(
        self, scores: ZScores, flagged: list[str], changes: list[Change] | None = None
    ) -> None:
        self.changes = changes or []
        super().__init__(", ".join([*flagged, *(c.code for c in self.changes)]))
        self.scores = scores
        self.flagged = flagged


def sex_code(person: Person) -> int:
    return 1 if person.sex == "M" else 2


def kbm_grams(age_months: int) -> int | None:
    row = MinimumGain.objects.filter(age_months__lte=age_months).order_by("-age_months").first()
    return row.grams if row else None


def check_visit_date(child: Person, date: dt.date) -> None:
    today = timezone.localdate()
    if date > today:
        raise ValidationError(_("The date is in the future."), code="future")
    if date < child.birth_date:
        raise ValidationError(
            _("The date is before the child's date of birth (%(birth)s).")
            % {"birth": child.birth_date.strftime("%d-%m-%Y")},
            code="before_birth",
        )
    if child.birth_date <= five_years_before(date):
        raise ValidationError(
            _(
                "The child was five years old or more on that date: the posyandu records "
                "children under five only."
            ),
            code="over_five",
        )


def score(child: Person, fields: dict[str, Any]) -> ZScores:
    """Z-scores of the values the cadre typed; ValidationError for what cannot be right."""
    date: dt.date = fields["date"]
    check_visit_date(child, date)
    weight = fields.get("weight")
    if weight is None or weight <= 0:
        raise ValidationError(_("The weight must be more than 0 kg."), code="weight")
    if weight > settings.POSYANDU_WEIGHT_MAX_KG:
        raise ValidationError(
            _("A weight above %(max)s kg is not a child under five's: check the scale.")
            % {"max": settings.POSYANDU_WEIGHT_MAX_KG},
            code="weight",
        )
    lenhei = fields.get("lenhei")
    measure = fields.get("measure") or None
    if lenhei is not None:
        if measure is None:
            raise ValidationError(
                _("Say how the length or height was measured (lying or standing)."),
                code="measure",
            )
        if measure == "h" and age_in_days(child.birth_date, date) < NINE_MONTHS_DAYS:
            raise ValidationError(
                _("A baby under nine months is measured lying down (length), not standing."),
                code="measure",
            )
        low, high = settings.POSYANDU_LENHEI_MIN_CM, settings.POSYANDU_LENHEI_MAX_CM
        if not low <= lenhei <= high:
            raise ValidationError(
                _(
                    "A length or height of %(value)s cm is outside the WHO tables "
                    "(%(low)s–%(high)s cm): measure again."
                )
                % {"value": lenhei, "low": low, "high": high},
                code="lenhei",
            )
    for name, label in (("headc", _("head circumference")), ("armc", _("arm circumference"))):
        value = fields.get(name)
        if value is not None and not Decimal(5) <= value <= Decimal(70):
            raise ValidationError(
                _("The %(what)s of %(value)s cm cannot be right: measure again.")
                % {"what": label, "value": value},
                code=name,
            )
    return compute_zscores(
        sex_code(child),
        age_days=age_in_days(child.birth_date, date),
        weight=weight,
        lenhei=lenhei,
        measure=measure,
        headc=fields.get("headc"),
        armc=fields.get("armc"),
    )


def flagged_indicators(scores: ZScores) -> list[str]:
    return [code for code in FLAG_FIELDS if (s := getattr(scores, code)) is not None and s.flagged]


def _z(scores: ZScores, code: str) -> float | None:
    s = getattr(scores, code)
    return None if s is None else s.z


@dataclass
class Saved:
    measurement: Measurement
    created: bool
    alerts: list[Alert]


def record_measurement(
    child: Person,
    posyandu: Posyandu,
    fields: dict[str, Any],
    *,
    user: User,
    request: HttpRequest | None = None,
    confirmed: bool = False,
) -> Saved:
    """Store this month's weighing of ``child`` with its z-scores, N/T and alerts.

    Flagged values, and changes since the previous visit beyond plausible limits
    (posyandu.plausibility), raise NeedsConfirmation unless ``confirmed``. A second
    weighing in the same month replaces the first (a correction), and the
    next month's N/T is computed again against it.
    """
    scores = score(child, fields)
    flagged = flagged_indicators(scores)
    changes = changes_since_previous(child, fields, scores.clenhei)
    if (flagged or changes) and not confirmed:
        raise NeedsConfirmation(scores, flagged, changes)
    date: dt.date = fields["date"]
    month = date.replace(day=1)
    categories = classify_all(scores)
    with transaction.atomic():
        locks.hold(f"posyandu-child:{child.pk}")
        measurement = Measurement.objects.filter(child=child, month=month).first()
        created = measurement is None
        if measurement is None:
            measurement = Measurement(child=child, month=month)
        # A correction may move the weighing to another posyandu: count both.
        touched = set() if created else {(measurement.posyandu_id, month)}
        measurement.posyandu = posyandu
        measurement.date = date
        measurement.age_days = age_in_days(child.birth_date, date)
        measurement.age_months = age_in_completed_months(child.birth_date, date)
        measurement.weight = fields["weight"]
        measurement.lenhei = fields.get("lenhei")
        measurement.measure = fields.get("measure") or ""
        measurement.headc = fields.get("headc")
        measurement.armc = fields.get("armc")
        measurement.vitamin_a = bool(fields.get("vitamin_a"))
        measurement.notes = fields.get("notes") or ""
        measurement.clenhei = scores.clenhei
        for code, field in FLAG_FIELDS.items():
            setattr(measurement, field, _z(scores, code))
        measurement.wflh_table = scores.wflh_table or ""
        measurement.flags = ",".join(flagged)
        measurement.flag_confirmed = bool(flagged)
        measurement.changes = ",".join(change.code for change in changes)
        measurement.cat_bb_u = categories["bb_u"].code if "bb_u" in categories else ""
        measurement.cat_pb_u = categories["pb_u"].code if "pb_u" in categories else ""
        measurement.cat_bb_pb = categories["bb_pb"].code if "bb_pb" in categories else ""
        measurement.cat_imt_u = categories["imt_u"].code if "imt_u" in categories else ""
        measurement.recorded_by = user
        _growth(measurement)
        measurement.save()
        alerts = sync_alerts(measurement)
        mark_latest(child.pk)
        _regrow_after(measurement)
        refresh_weighings(touched | weighing_keys(child.pk, since=month))
        record(
            "posyandu.measurement.recorded" if created else "posyandu.measurement.corrected",
            actor=user,
            obj=measurement,
            request=request,
            posyandu=posyandu.pk,
            flags=flagged,
            changes=measurement.change_list,
        )
    return Saved(measurement, created, alerts)


def _regrow_after(measurement: Measurement) -> None:
    """Recompute N/T/O/B and 2T of the child's later months, as far as they change.

    A correction changes the next month's gain, and so its 2T the month
    after; a weighing entered late (from the paper KMS) makes a later B an O
    or an N/T.
    """
    later = Measurement.objects.filter(
        child_id=measurement.child_id, month__gt=measurement.month
    ).order_by("month")
    for following in later:
        before = (following.growth, following.gain_grams, following.kbm_grams, following.two_t)
        _growth(following)
        if (following.growth, following.gain_grams, following.kbm_grams, following.two_t) == before:
            break
        following.save(update_fields=["growth", "gain_grams", "kbm_grams", "two_t"])
        sync_alerts(following)


REMOVE_REASONS = {
    "wrong_child": gettext_lazy("Recorded on the wrong child"),
    "not_weighed": gettext_lazy("The child was not weighed (entered by mistake)"),
}


def remove_measurement(
    measurement: Measurement, reason: str, *, user: User, request: HttpRequest | None = None
) -> None:
    """Take back a weighing recorded on the wrong child: its alerts go with it and
    the later months' N/T/O/B are computed again without it."""
    with transaction.atomic():
        locks.hold(f"posyandu-child:{measurement.child_id}")
        record(
            "posyandu.measurement.removed",
            actor=user,
            obj=measurement,
            request=request,
            posyandu=measurement.posyandu_id,
            month=measurement.month.isoformat(),
            reason=reason,
        )
        child_id, month = measurement.child_id, measurement.month
        touched = {(measurement.posyandu_id, month)}
        measurement.delete()
        following = (
            Measurement.objects.filter(child_id=child_id, month__gt=month).order_by("month").first()
        )
        if following is not None:
            _growth(following)
            following.save(update_fields=["growth", "gain_grams", "kbm_grams", "two_t"])
            sync_alerts(following)
            _regrow_after(following)
        mark_latest(child_id)
        refresh_weighings(touched | weighing_keys(child_id, since=month))


def mark_latest(child_id: int) -> None:
    """Only the child's newest measurement carries ``latest``."""
    newest = (
        Measurement.objects.filter(child_id=child_id)
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if newest is None:
        return
    Measurement.objects.filter(child_id=child_id, latest=True).exclude(pk=newest).update(
        latest=False
    )
    Measurement.objects.filter(pk=newest, latest=False).update(latest=True)


def _growth(measurement: Measurement) -> None:
    """N, T, O or B against last month (posyandu.md §5), the gain and 2T."""
    previous = (
        Measurement.objects.filter(child_id=measurement.child_id, month__lt=measurement.month)
        .order_by("-month")
        .first()
    )
    measurement.gain_grams = None
    measurement.kbm_grams = None
    measurement.two_t = False
    if previous is None:
        measurement.growth = Growth.NEW
    elif previous.month != add_months(measurement.month, -1):
        measurement.growth = Growth.SKIPPED
    else:
        gain = round((measurement.weight - previous.weight) * 1000)
        kbm = kbm_grams(measurement.age_months)
        measurement.gain_grams = gain
        measurement.kbm_grams = kbm
        measurement.growth = Growth.UP if kbm is not None and gain >= kbm else Growth.NOT_UP
        measurement.two_t = measurement.growth == Growth.NOT_UP and previous.growth == Growth.NOT_UP
    measurement.bgm = (
        measurement.z_wfa is not None
        and "wfa" not in measurement.flag_list
        and measurement.z_wfa < settings.POSYANDU_BGM_Z
    )


def handle_alert(alert: Alert, note: str, *, user: User, request: HttpRequest) -> None:
    with transaction.atomic():
        alert.handled_at = timezone.now()
        alert.handled_by = user
        alert.handled_note = note
        alert.save(update_fields=["handled_at", "handled_by", "handled_note"])
        record(
            "posyandu.alert.handled",
            obj=alert,
            request=request,
            kind=alert.kind,
            reasons=alert.reason_list,
        )


def set_parents(
    child: Person,
    *,
    mother: Person | None,
    father: Person | None,
    has_kia_book: bool,
    user: User,
    request: HttpRequest,
) -> ChildRecord:
    for parent, sex, label in ((mother, "F", _("mother")), (father, "M", _("father"))):
        if parent is None:
            continue
        if parent.pk == child.pk or parent.birth_date >= child.birth_date:
            raise ValidationError(
                _("The %(who)s must be born before the child.") % {"who": label}, code="parent"
            )
        if parent.sex != sex:
            raise ValidationError(
                _("The person chosen as %(who)s has the wrong sex in the register.")
                % {"who": label},
                code="parent",
            )
    with transaction.atomic():
        child_record, _created = ChildRecord.objects.get_or_create(child=child)
        kia_book_changed = child_record.has_kia_book != has_kia_book
        child_record.mother = mother
        child_record.father = father
        child_record.has_kia_book = has_kia_book
        child_record.updated_by = user
        child_record.save()
        if kia_book_changed:
            refresh_register_of(child)  # K of SKDN
        record(
            "posyandu.child.parents",
            obj=child_record,
            request=request,
            mother=mother.pk if mother else None,
            father=father.pk if father else None,
        )
    return child_record


def give_dose(
    child: Person,
    dose: ScheduleDose,
    date: dt.date,
    *,
    posyandu: Posyandu,
    user: User,
    request: HttpRequest,
) -> Immunisation:
    if date > timezone.localdate():
        raise ValidationError(_("The date is in the future."), code="future")
    if date < child.birth_date:
        raise ValidationError(
            _("The date is before the child's date of birth (%(birth)s).")
            % {"birth": child.birth_date.strftime("%d-%m-%Y")},
            code="before_birth",
        )
    if (date - child.birth_date).days < dose.min_age_days:
        raise ValidationError(
            _("%(dose)s is not given before the age of %(days)s days: check the date and the dose.")
            % {"dose": dose.label, "days": dose.min_age_days},
            code="too_young",
        )
    if dose.max_age_days is not None and (date - child.birth_date).days > dose.max_age_days:
        raise ValidationError(
            _("%(dose)s is not given after the age of %(days)s days: check the date and the dose.")
            % {"dose": dose.label, "days": dose.max_age_days},
            code="too_old",
        )
    with transaction.atomic():
        locks.hold(f"posyandu-child:{child.pk}")
        if Immunisation.objects.filter(child=child, dose=dose).exists():
            raise ValidationError(
                _("%(dose)s is already recorded for this child.") % {"dose": dose.label},
                code="duplicate",
            )
        given = Immunisation.objects.create(
            child=child, dose=dose, date=date, posyandu=posyandu, recorded_by=user
        )
        record("posyandu.immunisation.given", obj=given, request=request, dose=dose.label)
    return given


# Naegele's rule: HPL = HPHT + 280 days.
PREGNANCY_DAYS = 280


def record_pregnancy(
    woman: Person,
    posyandu: Posyandu,
    *,
    lmp: dt.date | None,
    edd: dt.date | None,
    user: User,
    request: HttpRequest,
) -> Pregnancy:
    today = timezone.localdate()
    if woman.sex != "F":
        raise ValidationError(_("Only a woman can be recorded as pregnant."), code="sex")
    if lmp is None and edd is None:
        raise ValidationError(
            _("Give the first day of the last period (HPHT) or the expected date (HPL)."),
            code="dates",
        )
    if lmp is not None:
        if lmp > today:
            raise ValidationError(_("The HPHT is in the future."), code="future")
        if lmp < today - dt.timedelta(days=PREGNANCY_DAYS + 42):
            raise ValidationError(
                _("An HPHT more than 46 weeks ago is not a current pregnancy."), code="old"
            )
        edd = edd or lmp + dt.timedelta(days=PREGNANCY_DAYS)
    assert edd is not None
    if lmp is not None and lmp <= woman.birth_date:
        raise ValidationError(_("The HPHT is before the woman's date of birth."), code="birth")
    if not today - dt.timedelta(days=42) <= edd <= today + dt.timedelta(days=PREGNANCY_DAYS):
        raise ValidationError(_("The HPL must fall within the coming 40 weeks."), code="edd")
    with transaction.atomic():
        locks.hold(f"posyandu-woman:{woman.pk}")
        if Pregnancy.objects.filter(woman=woman, ended_on=None).exists():
            raise ValidationError(
                _("This woman already has a current pregnancy recorded."), code="duplicate"
            )
        pregnancy = Pregnancy.objects.create(
            woman=woman, posyandu=posyandu, lmp=lmp, edd=edd, recorded_by=user
        )
        record("posyandu.pregnancy.recorded", obj=pregnancy, request=request)
    return pregnancy


def record_visit(
    pregnancy: Pregnancy, fields: dict[str, Any], *, user: User, request: HttpRequest
) -> AntenatalVisit:
    date: dt.date = fields["date"]
    today = timezone.localdate()
    if date > today:
        raise ValidationError(_("The date is in the future."), code="future")
    start = pregnancy.lmp or pregnancy.edd - dt.timedelta(days=PREGNANCY_DAYS)
    if date < start:
        raise ValidationError(
            _("The visit is before the start of the pregnancy (%(start)s).")
            % {"start": start.strftime("%d-%m-%Y")},
            code="before_pregnancy",
        )
    if date < pregnancy.woman.birth_date:
        raise ValidationError(_("The visit is before the woman's date of birth."), code="birth")
    systolic, diastolic = fields.get("systolic"), fields.get("diastolic")
    if (systolic is None) != (diastolic is None):
        raise ValidationError(
            _("Give both blood pressure values (systolic and diastolic)."), code="bp"
        )
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        raise ValidationError(
            _("The diastolic pressure must be lower than the systolic."), code="bp"
        )
    if pregnancy.ended_on is not None and date > pregnancy.ended_on:
        raise ValidationError(
            _("The pregnancy ended on %(end)s: a later visit cannot belong to it.")
            % {"end": pregnancy.ended_on.strftime("%d-%m-%Y")},
            code="ended",
        )
    with transaction.atomic():
        locks.hold(f"posyandu-pregnancy:{pregnancy.pk}")
        # One visit a day: a form sent twice must not count as K2.
        if AntenatalVisit.objects.filter(pregnancy=pregnancy, date=date).exists():
            raise ValidationError(
                _("A visit on %(date)s is already recorded for this pregnancy.")
                % {"date": date.strftime("%d-%m-%Y")},
                code="duplicate",
            )
        visit = AntenatalVisit.objects.create(pregnancy=pregnancy, recorded_by=user, **fields)
        record("posyandu.pregnancy.visit", obj=visit, request=request)
    return visit


def end_pregnancy(
    pregnancy: Pregnancy, ended_on: dt.date, *, user: User, request: HttpRequest
) -> None:
    if ended_on > timezone.localdate():
        raise ValidationError(_("The date is in the future."), code="future")
    start = pregnancy.lmp or pregnancy.edd - dt.timedelta(days=PREGNANCY_DAYS)
    if ended_on < start:
        raise ValidationError(
            _("The date is before the start of the pregnancy (%(start)s).")
            % {"start": start.strftime("%d-%m-%Y")},
            code="before_pregnancy",
        )
    last_visit = pregnancy.visits.order_by("-date").values_list("date", flat=True).first()
    if last_visit is not None and ended_on < last_visit:
        raise ValidationError(
            _("The date is before the last antenatal visit (%(date)s).")
            % {"date": last_visit.strftime("%d-%m-%Y")},
            code="before_visit",
        )
    with transaction.atomic():
        pregnancy.ended_on = ended_on
        pregnancy.save(update_fields=["ended_on"])
        record("posyandu.pregnancy.ended", obj=pregnancy, request=request)
