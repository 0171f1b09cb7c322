"""Cirebon Sedulur letters: templates, requests along the chain, issued letters, registers.

A request (``LetterRequest``) moves RW or citizen → kelurahan operator →
Sekretaris Lurah → Lurah; each step is a ``RequestStep`` (who, when, why) and
an audit event. The Lurah's approval issues a ``Letter`` with a number from
``NumberSequence`` in the same transaction. A letter keeps the template version
and the data it was rendered from, so a reprint is identical; a correction is a
new ``Letter`` (version + 1) that supersedes the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotacerdas.kelurahan.catalogue import REQUIREMENTS


class LetterType(models.Model):
    """One kind of letter (domisili, SKTM …): what it needs and who may ask for it.

    ``requirements`` lists keys of ``catalogue.REQUIREMENTS``; ``persons`` the
    roles pulled from the register besides the applicant (``mother``, ``father``,
    ``reporter``); ``extra_fields`` is a list of ``{"name", "label"}`` typed in
    by whoever starts the request.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    classification = models.CharField(
        _("archive classification code"),
        max_length=20,
        help_text=_("Permendagri 83/2022 by default; the kelurahan may change it."),
    )
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    persons = models.JSONField(_("persons from the register"), default=list, blank=True)
    extra_fields = models.JSONField(_("extra fields"), default=list, blank=True)
    citizen_may_request = models.BooleanField(_("citizens may request it online"), default=True)
    validity_days = models.PositiveSmallIntegerField(_("valid for (days)"), default=30)
    service_days = models.PositiveSmallIntegerField(_("service level (working days)"), default=3)
    number_format = models.CharField(
        _("number format"),
        max_length=80,
        blank=True,
        help_text=_("Empty: the kelurahan's default format."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("letter type")
        verbose_name_plural = _("letter types")

    def __str__(self) -> str:
        return self.title

    @property
    def requirement_labels(self) -> list[str]:
        return [str(REQUIREMENTS.get(key, key)) for key in self.requirements]

    def current_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    """The text of a letter type as published; never changed once a letter uses it."""

    letter_type = models.ForeignKey(LetterType, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(_("letter text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["letter_type", "number"], name="unique_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_type} v{self.number}"


class NumberSequence(models.Model):
    """The last number given in one kelurahan, year and scope (``type:<code>``,
    ``letters`` or ``shared``). Incremented under a row lock in the transaction
    that issues the letter, so numbers neither repeat nor skip."""

    kelurahan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=50)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "year", "scope"], name="unique_number_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kelurahan_id} {self.year} {self.scope}: {self.last}"


class LetterRequest(models.Model):
    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete")
        CHECKING = "checking", _("Being checked")
        SIGNING = "signing", _("Awaiting signature")
        READY = "ready", _("Ready for pick-up")
        COLLECTED = "collected", _("Collected")
        CANCELLED = "cancelled", pgettext_lazy("letter request", "Cancelled")

    class Awaiting(models.TextChoices):
        OPERATOR = "operator", _("Kelurahan operator")
        SEKRETARIS = "sekretaris", _("Sekretaris Lurah")
        LURAH = "lurah", _("Lurah")
        NOBODY = "", _("Nobody")

    class Channel(models.TextChoices):
        RW = "rw", _("RW computer")
        COUNTER = "counter", _("Kelurahan counter")
        ONLINE = "online", _("Citizen online")

    code = models.CharField(_("request code"), max_length=12, unique=True)
    letter_type = models.ForeignKey(LetterType, on_delete=models.PROTECT, related_name="requests")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    persons = models.JSONField(default=dict, blank=True)  # role -> person id
    data = models.JSONField(default=dict, blank=True)  # the extra fields as typed
    rw = models.ForeignKey("regions.RW", on_delete=models.PROTECT, related_name="+")
    kelurahan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    awaiting = models.CharField(max_length=10, choices=Awaiting.choices, blank=True)
    seen_on_paper = models.JSONField(default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        "people.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kelurahan", "status"], name="letter_request_queue"),
            models.Index(fields=["rw", "status"], name="letter_request_rw"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def filled_fields(self) -> list[tuple[str, str]]:
        """The type's extra fields as (label, value), for pages."""
        return [(f["label"], self.data.get(f["name"], "")) for f in self.letter_type.extra_fields]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.INCOMPLETE, self.Status.CHECKING, self.Status.SIGNING)


class RequestStep(models.Model):
    """One step of a request's chain: who did what, when and why."""

    class Action(models.TextChoices):
        STARTED = "started", _("Started")
        SUBMITTED = "submitted", _("Sent by the citizen")
        CHECKED = "checked", _("Requirements checked")
        ENDORSED = "endorsed", _("Passed on by the Sekretaris Lurah")
        APPROVED = "approved", _("Approved and signed by the Lurah")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Sent again")
        CANCELLED = "cancelled", _("Cancelled")
        COLLECTED = "collected", _("Collected")

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class Attachment(models.Model):
    """A requirement's document (KK, KTP, pengantar …), stored in the database as sent."""

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.CharField(max_length=30)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name


class Letter(models.Model):
    """An issued letter: its number, frozen data and template version, its PDF and token."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    request = models.ForeignKey(LetterRequest, on_delete=models.PROTECT, related_name="letters")
    version = models.PositiveSmallIntegerField(default=1)
    letter_type = models.ForeignKey(LetterType, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="+")
    kelurahan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    scope = models.CharField(max_length=50)
    number = models.CharField(_("letter number"), max_length=80)
    issued_on = models.DateField()
    valid_until = models.DateField()
    data = models.JSONField()  # every placeholder's value as printed
    masked_name = models.CharField(max_length=150)
    masked_nik = models.CharField(max_length=16)
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=150)
    token = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    status_reason = models.CharField(max_length=300, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    signed_electronically = models.BooleanField(default=False)
    scan = models.BinaryField(null=True, blank=True)
    scan_type = models.CharField(max_length=100, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="one_letter_version"),
            # A number is given once (a correction keeps its number: version > 1).
            models.UniqueConstraint(
                fields=["kelurahan", "year", "scope", "sequence"],
                condition=Q(version=1),
                name="unique_letter_number",
            ),
        ]
        indexes = [models.Index(fields=["kelurahan", "issued_on"], name="letter_issued")]

    def __str__(self) -> str:
        return self.number


class Correspondence(models.Model):
    """An entry of the agenda surat masuk or keluar, numbered like the letters."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("Incoming letters")
        OUTGOING = "out", _("Outgoing letters")

    kelurahan = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("register"), max_length=3, choices=Direction.choices)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    scope = models.CharField(max_length=50)
    number = models.CharField(_("agenda number"), max_length=80)
    their_number = models.CharField(_("number on the letter"), max_length=80, blank=True)
    date = models.DateField(_("date of the letter"))
    counterpart = models.CharField(_("from / to"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    classification = models.CharField(_("classification code"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "year", "scope", "sequence"], name="unique_agenda_number"
            )
        ]

    def __str__(self) -> str:
        return self.number
