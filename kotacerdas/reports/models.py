"""Wadul Bae: reports about children and mothers at risk, and the cases made of them.

A ``Report`` is what someone sent (web form or SMS), kept as sent. A
protection officer triages it: a new ``Case``, attached to an existing case,
or closed with a reason. Identities (victim, reporter) live on the report
and the case and are shown only to the protection officers of the case's
unit; everything else sees codes, stages and counts.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.messaging.phones import mask_phone


class Category(models.TextChoices):
    PHYSICAL = "physical", _("Physical violence")
    PSYCHOLOGICAL = "psychological", _("Psychological violence")
    SEXUAL = "sexual", _("Sexual violence")
    NEGLECT = "neglect", _("Neglect")
    BULLYING = "bullying", _("Bullying")
    EXPLOITATION = "exploitation", _("Exploitation")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    TRAFFICKING = "trafficking", _("Trafficking")
    DOMESTIC = "domestic", _("Domestic violence")
    OTHER = "other", _("Other")


class AgeGroup(models.TextChoices):
    UNDER_5 = "0-4", _("Under 5")
    CHILD = "5-12", _("Child, 5–12")
    TEEN = "13-17", _("Teenager, 13–17")
    MOTHER = "mother", _("Mother or pregnant woman")
    UNKNOWN = "unknown", _("Not known")


class Stage(models.TextChoices):
    # The services of a UPTD PPA, in the order a case usually meets them.
    PENGADUAN = "pengaduan", _("Complaint received (pengaduan)")
    PENJANGKAUAN = "penjangkauan", _("Outreach (penjangkauan)")
    PENGELOLAAN = "pengelolaan", _("Case management (pengelolaan kasus)")
    PENAMPUNGAN = "penampungan", _("Temporary shelter (penampungan sementara)")
    MEDIASI = "mediasi", _("Mediation (mediasi)")
    PENDAMPINGAN = "pendampingan", _("Accompaniment (pendampingan)")
    SELESAI = "selesai", _("Closed (selesai)")


class PupilReporter(models.Model):
    """A pupil registered by the school's coordinator as a reporter (pelapor/pelopor).

    Reports sent from the pupil's phone carry the school and reach the
    school's coordinator as well as the protection unit.
    """

    school = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="pupil_reporters",
        limit_choices_to={"kind": "school"},
    )
    name = models.CharField(_("name"), max_length=150)
    class_name = models.CharField(_("class"), max_length=20, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=16)
    active = models.BooleanField(_("active"), default=True)
    # The number's owner agreed by SMS (PELAPOR YA): until then nothing sent
    # from it reaches the school.
    confirmed_at = models.DateTimeField(_("agreed by SMS"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pupil reporter")
        verbose_name_plural = _("pupil reporters")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=models.Q(active=True), name="one_active_pupil_per_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Report(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        SMS = "sms", _("SMS")
        OPEN311 = "api", _("Open311 client")

    class Status(models.TextChoices):
        FOR_TRIAGE = "for_triage", _("Waiting for triage")
        CASE = "case", _("Made a case")
        ATTACHED = "attached", _("Attached to an existing case")
        CLOSED = "closed", _("Closed without a case")

    class CloseReason(models.TextChoices):
        NOT_IN_SCOPE = "not_in_scope", _("Not in the protection unit's scope")
        SPAM = "spam", _("Spam or a test")

    tracking_code = models.CharField(max_length=9, unique=True)
    channel = models.CharField(max_length=3, choices=Channel.choices)
    story = models.TextField(_("what happened"))
    category_hint = models.CharField(
        _("kind of harm"), max_length=16, choices=Category.choices, blank=True
    )
    kelurahan = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rw_number = models.PositiveSmallIntegerField(_("RW"), null=True, blank=True)
    school = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    happened = models.CharField(_("when"), max_length=100, blank=True)
    age_group = models.CharField(
        _("who is hurt"), max_length=7, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    victim_name = models.CharField(_("name of the person hurt"), max_length=150, blank=True)
    still_happening = models.BooleanField(_("still happening"), default=False)
    danger_to_life = models.BooleanField(_("life in danger"), default=False)
    reporter_name = models.CharField(_("your name"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("your phone"), max_length=20, blank=True)
    pupil = models.ForeignKey(
        PupilReporter, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    sms = models.OneToOneField(
        "messaging.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("The protection unit the report was sent to."),
    )
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    verify_due = models.DateField(_("verification due"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FOR_TRIAGE)
    case = models.ForeignKey(
        "Case", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    close_reason = models.CharField(max_length=12, choices=CloseReason.choices, blank=True)
    triage_note = models.CharField(max_length=500, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["status", "created_at"], name="report_triage_queue")]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def urgent(self) -> bool:
        return self.still_happening or self.danger_to_life

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.reporter_phone) if self.reporter_phone else ""


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    kelurahan = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    school = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.PENGADUAN
    )
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="cases")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    reported_at = models.DateTimeField(_("first reported"))
    verified_at = models.DateTimeField(_("verified"))
    action_due = models.DateField(_("first action due"))
    first_action_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["unit", "stage", "opened_at"], name="case_unit_stage"),
            # The case list's order, for open cases and for all (bench: 50,000 cases).
            models.Index(
                models.F("unit"),
                models.F("urgent").desc(),
                models.F("opened_at").desc(),
                models.F("id").desc(),
                condition=~models.Q(stage="selesai"),
                name="case_open_list",
            ),
            models.Index(
                models.F("unit"),
                models.F("urgent").desc(),
                models.F("opened_at").desc(),
                models.F("id").desc(),
                name="case_list",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.SELESAI


class CaseEvent(models.Model):
    """The case's timeline, append-only: stage moves, notes, referrals, and every opening."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        STAGE = "stage", _("Stage changed")
        NOTE = "note", _("Internal note")
        REFERRAL = "referral", _("Referral")
        ATTACHED = "attached", _("Report attached")
        ASSIGNED = "assigned", _("Officer assigned")
        VIEWED = "viewed", _("Case viewed")

    class ReferredTo(models.TextChoices):
        POLICE = "police", _("Police (PPA unit)")
        HEALTH = "health", _("Health services")
        SCHOOL = "school", _("School")
        SHELTER = "shelter", _("Shelter")
        LEGAL = "legal", _("Legal aid")
        SOCIAL = "social", _("Social services")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    referred_to = models.CharField(max_length=8, choices=ReferredTo.choices, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Case events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Open311Client(models.Model):
    """A city app that files reports through Open311 GeoReport v2 (``/open311/v2/``).

    Only a SHA-256 hash of the client's key is stored: ``manage.py open311_key``
    prints the key once. The key is long and random, so a plain hash is enough
    (no slow password hash needed) and a look-up is one indexed query.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def for_key(cls, key: str) -> Open311Client | None:
        """The active client holding ``key``, or None."""
        if not key:
            return None
        return cls.objects.filter(key_hash=cls.hash_key(key), active=True).first()


class CasePerson(models.Model):
    """Someone involved in a case: linked to the register when known, else restricted text."""

    class Part(models.TextChoices):
        VICTIM = "victim", _("Victim")
        PERPETRATOR = "perpetrator", _("Alleged perpetrator")
        WITNESS = "witness", _("Witness")
        GUARDIAN = "guardian", _("Parent or guardian")
        REPORTER = "reporter", _("Reporter")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people")
    part = models.CharField(_("part in the case"), max_length=12, choices=Part.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=7, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part", "added_at"]
        verbose_name = _("person in a case")
        verbose_name_plural = _("people in cases")

    def __str__(self) -> str:
        return f"{self.case} {self.part}"


def document_path(document: CaseDocument, filename: str) -> str:
    # An unguessable name; the file is only ever served through the case's access check.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"wadul/{document.case_id}/{uuid.uuid4().hex}.{suffix}"


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to=document_path)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return self.title
