"""E-Posyandu: posyandu, children's measurements, immunisation, pregnant women.

Children are not enrolled: every resident of a posyandu's RW under five
years old is one of its children (``children.children_q``). The register
stays the one source of names, birth dates and addresses; this app keeps
what the posyandu measures and gives.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Posyandu(models.Model):
    """A monthly community health post of one RW, run by its cadres (kader)."""

    unit = models.OneToOneField(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="posyandu",
        limit_choices_to={"kind": "posyandu"},
        help_text=_("Its cadres are the members of this unit with the cadre role."),
    )
    name = models.CharField(_("name"), max_length=150)
    rw = models.ForeignKey(
        "regions.RW",
        on_delete=models.PROTECT,
        related_name="posyandu",
        help_text=_("The children under five living in this RW are the posyandu's children."),
    )
    puskesmas = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_posyandu",
        limit_choices_to={"kind": "puskesmas"},
    )
    opening_day = models.PositiveSmallIntegerField(
        _("opening day"),
        default=10,
        help_text=_("Day of the month the posyandu opens (1–28)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("posyandu")
        verbose_name_plural = _("posyandu")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opening_day__gte=1, opening_day__lte=28),
                name="posyandu_opening_day_1_28",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def opening_date(self, month: dt.date) -> dt.date:
        return month.replace(day=self.opening_day)

    def next_opening(self, today: dt.date) -> dt.date:
        this_month = self.opening_date(today.replace(day=1))
        if this_month >= today:
            return this_month
        return self.opening_date(add_months(today.replace(day=1), 1))


def add_months(month: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``month`` (negative: before)."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class ChildRecord(models.Model):
    """What the posyandu adds to a child's register entry: the parents, the KIA book.

    Optional: without it the parents come from the family card (KK).
    """

    child = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="posyandu_record"
    )
    mother = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mother"),
    )
    father = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("father"),
    )
    has_kia_book = models.BooleanField(
        _("has a KIA book (KMS)"),
        default=True,
        help_text=_("Buku Kesehatan Ibu dan Anak with its growth card: counts in K of SKDN."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("child record")
        verbose_name_plural = _("child records")

    def __str__(self) -> str:
        return f"child {self.child_id}"


class Growth(models.TextChoices):
    """KMS growth status against the previous month (posyandu.md §5)."""

    UP = "N", _("Gained (N)")
    NOT_UP = "T", _("Not gained (T)")
    SKIPPED = "O", _("Not weighed last month (O)")
    NEW = "B", _("First weighing (B)")


class Measure(models.TextChoices):
    LYING = "l", _("Lying (length)")
    STANDING = "h", _("Standing (height)")


class Measurement(models.Model):
    """One child's weighing and measuring at the posyandu, one per month.

    The z-scores, categories and growth status are computed when it is
    saved and stored here, so reports add them up in SQL.
    """

    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="measurements")
    date = models.DateField(_("date"))
    month = models.DateField(_("month"), help_text=_("First day of the month of the visit."))
    age_days = models.PositiveIntegerField(_("age (days)"))
    age_months = models.PositiveSmallIntegerField(_("age (completed months)"))
    weight = models.DecimalField(_("weight (kg)"), max_digits=4, decimal_places=2)
    lenhei = models.DecimalField(
        _("length or height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    measure = models.CharField(_("measured"), max_length=1, choices=Measure.choices, blank=True)
    headc = models.DecimalField(
        _("head circumference (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    armc = models.DecimalField(
        _("arm circumference (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    vitamin_a = models.BooleanField(_("vitamin A given"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # Computed at save time (kotacerdas.growth, WHO anthro 1.1.0).
    clenhei = models.FloatField(null=True, blank=True)
    z_wfa = models.FloatField(_("weight-for-age z"), null=True, blank=True)
    z_lhfa = models.FloatField(_("length/height-for-age z"), null=True, blank=True)
    z_wflh = models.FloatField(_("weight-for-length/height z"), null=True, blank=True)
    z_bfa = models.FloatField(_("BMI-for-age z"), null=True, blank=True)
    z_hcfa = models.FloatField(_("head circumference-for-age z"), null=True, blank=True)
    z_acfa = models.FloatField(_("arm circumference-for-age z"), null=True, blank=True)
    wflh_table = models.CharField(max_length=3, blank=True)
    flags = models.CharField(
        _("WHO flags"),
        max_length=40,
        blank=True,
        help_text=_("Indicators whose z WHO flags as implausible, comma-separated."),
    )
    flag_confirmed = models.BooleanField(
        _("implausible value confirmed by the cadre"), default=False
    )
    changes = models.CharField(
        _("changes confirmed"),
        max_length=40,
        blank=True,
        help_text=_(
            "Changes against the previous visit beyond plausible limits that the cadre "
            "measured again and confirmed (weight, lenhei, measure), comma-separated."
        ),
    )
    cat_bb_u = models.CharField(max_length=30, blank=True)
    cat_pb_u = models.CharField(max_length=30, blank=True)
    cat_bb_pb = models.CharField(max_length=30, blank=True)
    cat_imt_u = models.CharField(max_length=30, blank=True)
    growth = models.CharField(_("growth"), max_length=1, choices=Growth.choices)
    gain_grams = models.IntegerField(null=True, blank=True)
    kbm_grams = models.PositiveIntegerField(null=True, blank=True)
    two_t = models.BooleanField(_("2T"), default=False)
    latest = models.BooleanField(
        _("child's latest measurement"),
        default=False,
        help_text=_("Kept at save time, so the stunting page reads one row per child."),
    )
    bgm = models.BooleanField(_("BGM"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["child", "month"], name="one_measurement_a_month"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="weight_positive"),
        ]
        indexes = [
            models.Index(fields=["month", "posyandu"], name="measurement_month_posyandu"),
            models.Index(fields=["child", "-date"], name="measurement_child_date"),
            models.Index(
                fields=["posyandu"],
                condition=models.Q(latest=True),
                name="measurement_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.weight} kg"

    @property
    def loss_grams(self) -> int | None:
        """The weight lost since last month, when it went down."""
        return -self.gain_grams if self.gain_grams is not None and self.gain_grams < 0 else None

    @property
    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]

    @property
    def change_list(self) -> list[str]:
        return [c for c in self.changes.split(",") if c]


class Alert(models.Model):
    """Something the puskesmas nutrition officer must follow up: one per child and
    visit, with every reason that visit gave (one "handled" for all of them).

    ``kind`` is the first reason (older rows had one alert per reason); a reason
    that appears after the alert was handled opens a new one.
    """

    class Kind(models.TextChoices):
        BGM = "bgm", _("Below the red line (BGM)")
        TWO_T = "2t", _("Not gained twice in a row (2T)")
        STUNTING = "stunting", _("Stunted (length/height-for-age < −2 SD)")
        WASTING = "wasting", _("Wasted (weight-for-length/height < −2 SD)")
        IMPLAUSIBLE = "implausible", _("Implausible value confirmed by the cadre")
        CHANGE = "change", _("Large change since the previous visit, confirmed by the cadre")

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="alerts")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reasons = models.CharField(
        _("reasons"), max_length=80, help_text=_("Every kind this visit raised, comma-separated.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    handled_note = models.CharField(_("follow-up"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["measurement"],
                condition=models.Q(handled_at=None),
                name="one_open_alert_per_visit",
            ),
        ]
        indexes = [models.Index(fields=["posyandu", "handled_at"], name="alert_posyandu_open")]

    def __str__(self) -> str:
        return ", ".join(str(label) for label in self.reason_labels)

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r] or [self.kind]

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(self.Kind.choices)
        return [str(labels.get(r, r)) for r in self.reason_list]


class MinimumGain(models.Model):
    """KBM (kenaikan berat badan minimal): the least monthly gain that counts as N.

    Data, not code: the nutrition officer signs it off against the Buku KIA
    edition in use (posyandu.md §5). ``age_months`` is the child's age in
    completed months this month; the row for the highest age not above it applies.
    """

    age_months = models.PositiveSmallIntegerField(_("from age (completed months)"), unique=True)
    grams = models.PositiveIntegerField(_("minimum gain (g)"))

    class Meta:
        ordering = ["age_months"]
        verbose_name = _("minimum weight gain (KBM)")
        verbose_name_plural = _("minimum weight gains (KBM)")

    def __str__(self) -> str:
        return f"{self.age_months} bln: {self.grams} g"


class ScheduleDose(models.Model):
    """One dose of the national routine immunisation schedule (Permenkes 12/2017 and later)."""

    antigen = models.CharField(_("antigen"), max_length=30)
    dose = models.PositiveSmallIntegerField(_("dose number"), default=1)
    label = models.CharField(_("label"), max_length=40, unique=True)
    age_days = models.PositiveIntegerField(_("recommended age (days)"))
    min_age_days = models.PositiveIntegerField(_("minimum age (days)"), default=0)
    min_interval_days = models.PositiveIntegerField(
        _("minimum interval after the previous dose (days)"), default=0
    )
    max_age_days = models.PositiveIntegerField(
        _("maximum age (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Not given after this age: the dose is then missed, not overdue, and no "
            "reminder is sent for it. Empty: no upper age."
        ),
    )
    active = models.BooleanField(_("in the schedule"), default=True)

    class Meta:
        ordering = ["age_days", "antigen", "dose"]
        verbose_name = _("scheduled dose")
        verbose_name_plural = _("immunisation schedule")
        constraints = [
            models.UniqueConstraint(fields=["antigen", "dose"], name="unique_antigen_dose"),
        ]

    def __str__(self) -> str:
        return self.label


class Immunisation(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    dose = models.ForeignKey(ScheduleDose, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date given"))
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+", null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("immunisation")
        verbose_name_plural = _("immunisations")
        constraints = [
            models.UniqueConstraint(fields=["child", "dose"], name="one_dose_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dose_id} {self.date}"


class Reminder(models.Model):
    """An immunisation reminder sent to a mother for one posyandu day (never twice)."""

    mother = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="+")
    posyandu_day = models.DateField()
    message = models.ForeignKey(
        "messaging.Message", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mother", "posyandu_day"], name="one_reminder_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu_day}"


class Pregnancy(models.Model):
    woman = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="pregnancies")
    lmp = models.DateField(_("first day of last menstrual period (HPHT)"), null=True, blank=True)
    edd = models.DateField(_("expected date of delivery (HPL)"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edd", "id"]
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")

    def __str__(self) -> str:
        return f"HPL {self.edd}"


class AntenatalVisit(models.Model):
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("date"))
    lila = models.DecimalField(
        _("upper-arm circumference, LiLA (cm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    systolic = models.PositiveSmallIntegerField(_("systolic (mmHg)"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("diastolic (mmHg)"), null=True, blank=True)
    hb = models.DecimalField(
        _("haemoglobin (g/dL)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    weight = models.DecimalField(
        _("weight (kg)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("antenatal visit")
        verbose_name_plural = _("antenatal visits")

    def __str__(self) -> str:
        return f"{self.date}"


# SKDN aggregates (tallies.py): what the reports read instead of raw rows. -----

TALLY_COUNTS = ("D", "N", "T", "two_t", "O", "B", "BGM", "stunted", "wasted")


def _count() -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(default=0)


class WeighingTally(models.Model):
    """The weighings of one posyandu and month, by the child's age group and sex.

    Kept in the same transaction as the weighings by the posyandu actions
    (``tallies.refresh_weighings``); rebuilt whole by ``posyandu_tallies --full``.
    ``age_group`` is the index in ``skdn.AGE_GROUPS`` (FORMAT F2), −1 outside them.
    """

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    age_group = models.SmallIntegerField()
    sex = models.CharField(max_length=1, blank=True)
    D = _count()
    N = _count()
    T = _count()
    two_t = _count()
    O = _count()  # noqa: E741 - the SKDN letter
    B = _count()
    BGM = _count()
    stunted = _count()
    wasted = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["posyandu", "month", "age_group", "sex"], name="one_weighing_tally"
            )
        ]
        indexes = [models.Index(fields=["month"], name="weighing_tally_month")]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.month:%Y-%m} {self.age_group} {self.sex}: D {self.D}"


class RegisterTally(models.Model):
    """Children in one RW's register on the last day of a month (SKDN's S and K).

    ``age_group`` −1 is the whole five years (S, and ``without_kia`` for K);
    0–4 are ``skdn.AGE_GROUPS``. Refreshed by ``posyandu_tallies`` for the
    months in :class:`RegisterMonth`; other months are counted from the register.
    """

    rw = models.ForeignKey("regions.RW", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    age_group = models.SmallIntegerField()
    sex = models.CharField(max_length=1, blank=True)
    S = _count()
    without_kia = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rw", "month", "age_group", "sex"], name="one_register_tally"
            )
        ]
        indexes = [models.Index(fields=["month"], name="register_tally_month")]

    def __str__(self) -> str:
        return f"RW {self.rw_id} {self.month:%Y-%m} {self.age_group} {self.sex}: S {self.S}"


class RegisterMonth(models.Model):
    """A month whose :class:`RegisterTally` rows are complete, and when they were counted."""

    month = models.DateField(primary_key=True)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} counted at {self.refreshed_at:%Y-%m-%d %H:%M}"
