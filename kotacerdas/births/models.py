"""Brojol Aja Klalen: a birth is declared (F-2.01), checked and registered by
Disdukcapil, and the akta kelahiran is issued as a PDF with a verifiable QR.

A ``Declaration`` is what the parent, the midwife or the kelurahan sent,
kept as sent; its ``status`` is where it stands in Disdukcapil's work
queues. Registering it makes the child a ``Person`` of the register, in the
family of the declared No. KK, and issues a ``Certificate``. A correction
(pembetulan) issues a new certificate version; the old one is superseded.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotacerdas.people.identity import mask_number
from kotacerdas.people.models import InRTQuerySet, Sex


class BirthPlaceType(models.TextChoices):
    # F-2.01 "tempat dilahirkan".
    HOSPITAL = "1", _("Hospital or maternity clinic (RS/RB)")
    PUSKESMAS = "2", _("Puskesmas")
    POLINDES = "3", _("Village maternity post (Polindes)")
    # "Home" alone is the site's home page ("Beranda"): a home birth is "Rumah".
    HOME = "4", pgettext_lazy("place of birth", "Home")
    OTHER = "5", _("Other")


class BirthType(models.TextChoices):
    SINGLE = "1", _("Single")
    TWINS = "2", _("Twins")
    TRIPLETS = "3", _("Triplets")
    QUADRUPLETS = "4", _("Quadruplets")
    OTHER = "5", _("Other")


class Attendant(models.TextChoices):
    DOCTOR = "1", _("Doctor")
    MIDWIFE = "2", _("Midwife or nurse")
    TRADITIONAL = "3", _("Traditional birth attendant (dukun)")
    OTHER = "4", _("Other")


class ReporterRelation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    FAMILY = "family", _("Other family member")
    MIDWIFE = "midwife", _("Midwife, puskesmas or hospital")
    OTHER = "other", _("Other")


class Citizenship(models.TextChoices):
    WNI = "wni", _("Indonesian (WNI)")
    WNA = "wna", _("Foreign (WNA)")


class Channel(models.TextChoices):
    PARENT = "parent", _("Parent, online")
    FACILITY = "facility", _("Midwife, puskesmas or hospital")
    AREA = "area", _("Kelurahan or RW operator")


class Declaration(models.Model):
    """One birth as declared on F-2.01, and where it stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for validation")
        NEEDS_CHANGES = "changes", _("Sent back for changes")
        VALIDATED = "validated", _("Validated")
        REGISTERED = "registered", _("Registered")
        DUPLICATE = "duplicate", _("Closed as a duplicate")

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(_("reported by"), max_length=8, choices=Channel.choices)

    # The child.
    child_name = models.CharField(_("child's name"), max_length=150)
    child_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_time = models.TimeField(_("time of birth"), null=True, blank=True)
    birth_place_type = models.CharField(
        _("place of birth (type)"), max_length=1, choices=BirthPlaceType.choices
    )
    birth_place = models.CharField(
        _("place of birth (city or regency)"), max_length=100, default="Kota Cirebon"
    )
    birth_facility = models.CharField(
        _("name of the hospital, puskesmas or midwife"), max_length=150, blank=True
    )
    birth_type = models.CharField(
        _("birth type"), max_length=1, choices=BirthType.choices, default=BirthType.SINGLE
    )
    birth_order = models.PositiveSmallIntegerField(_("child number (kelahiran ke-)"), default=1)
    attendant = models.CharField(_("birth attendant"), max_length=1, choices=Attendant.choices)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    length_cm = models.DecimalField(
        _("length (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    # The mother, and the father when known; linked to the register by NIK.
    mother = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mother_nik = models.CharField(_("mother's NIK"), max_length=16)
    mother_name = models.CharField(_("mother's name"), max_length=150)
    mother_birth_date = models.DateField(
        _("mother's date of birth"),
        null=True,
        blank=True,
        help_text=_("Taken from the NIK when left empty."),
    )
    mother_occupation = models.CharField(_("mother's occupation"), max_length=100, blank=True)
    mother_citizenship = models.CharField(
        _("mother's citizenship"), max_length=3, choices=Citizenship.choices, default="wni"
    )
    father = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    father_nik = models.CharField(_("father's NIK"), max_length=16, blank=True)
    father_name = models.CharField(_("father's name"), max_length=150, blank=True)
    father_birth_date = models.DateField(_("father's date of birth"), null=True, blank=True)
    father_occupation = models.CharField(_("father's occupation"), max_length=100, blank=True)
    father_citizenship = models.CharField(
        _("father's citizenship"), max_length=3, choices=Citizenship.choices, blank=True
    )
    marriage_date = models.DateField(_("date the marriage was registered"), null=True, blank=True)

    # The family card the child joins; its RT decides who may see the declaration.
    # A midwife may start a report without them; sending needs them.
    kk_number = models.CharField(_("family card number (No. KK)"), max_length=16, blank=True)
    family = models.ForeignKey(
        "people.Family", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_name = models.CharField(_("name of the head of family"), max_length=150, blank=True)
    rt = models.ForeignKey(
        "regions.RT", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)

    # Reporter (pelapor) and witnesses (saksi).
    reporter_nik = models.CharField(_("reporter's NIK"), max_length=16)
    reporter_name = models.CharField(_("reporter's name"), max_length=150)
    reporter_relation = models.CharField(
        _("reporter's relationship to the baby"), max_length=8, choices=ReporterRelation.choices
    )
    witness1_nik = models.CharField(_("first witness's NIK"), max_length=16, blank=True)
    witness1_name = models.CharField(_("first witness's name"), max_length=150, blank=True)
    witness2_nik = models.CharField(_("second witness's NIK"), max_length=16, blank=True)
    witness2_name = models.CharField(_("second witness's name"), max_length=150, blank=True)
    parent_phone = models.CharField(
        _("parent's mobile number"),
        max_length=16,
        help_text=_("The parent signs in with this number to follow the report and get the akta."),
    )

    # Who declared it.
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_by_unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_by_citizen = models.ForeignKey(
        "people.Citizen", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A report started by staff opens to the citizen signed in with
    # parent_phone only after they show they are the parent (the mother's or
    # father's NIK): a mistyped number must not hand a stranger the family's data.
    claimed_by = models.ForeignKey(
        "people.Citizen", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_failures = models.PositiveSmallIntegerField(_("failed claim attempts"), default=0)

    # Disdukcapil's work.
    late = models.BooleanField(_("late registration"), default=False)
    potential_duplicate = models.BooleanField(_("potential duplicate"), default=False)
    changes_reason = models.TextField(_("what must be changed"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    late_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_approved_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # NULL until registered (unique among the registered).
    akta_number = models.CharField(
        _("akta number"), max_length=40, null=True, blank=True, unique=True
    )
    child = models.OneToOneField(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="birth_declaration",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The new-report form's hidden one-time key: a double submit saves one draft.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("reported"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)

    objects = InRTQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("birth declaration")
        verbose_name_plural = _("birth declarations")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="birth_queue"),
            models.Index(fields=["mother_nik", "birth_date"], name="birth_mother"),
            models.Index(fields=["birth_date"], name="birth_date"),
            models.Index(fields=["parent_phone"], name="birth_parent_phone"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.NEEDS_CHANGES)

    @property
    def days_to_report(self) -> int | None:
        if self.submitted_at is None:
            return None
        return (timezone.localdate(self.submitted_at) - self.birth_date).days

    @property
    def masked_mother_nik(self) -> str:
        return mask_number(self.mother_nik)

    @property
    def masked_kk(self) -> str:
        return mask_number(self.kk_number)

    @property
    def needs_late_approval(self) -> bool:
        return self.late and self.late_approved_at is None

    @property
    def has_father(self) -> bool:
        return bool(self.father_nik or self.father_name)

    @property
    def current_certificate(self) -> Certificate | None:
        return self.certificates.filter(status=Certificate.Status.VALID).first()

    def reported_late(self) -> bool:
        """Reported after the limit: counted to the day it was first sent, so a
        report sent back for changes does not turn late while it is fixed."""
        reported = (
            timezone.localdate(self.submitted_at) if self.submitted_at else timezone.localdate()
        )
        return (reported - self.birth_date).days > settings.BIRTHS_LATE_AFTER_DAYS

    def age_in_days(self, today: dt.date | None = None) -> int:
        return ((today or timezone.localdate()) - self.birth_date).days


class DocumentKind(models.TextChoices):
    # Disdukcapil Kota Cirebon's list for a birth in Indonesia (domain file A3).
    BIRTH_NOTICE = "skl", _("Birth notice from the midwife or hospital (surat keterangan lahir)")
    KELURAHAN_NOTICE = "skl_kel", _("Birth statement from the kelurahan")
    SPTJM_BIRTH = "sptjm_lahir", _("Statement of the birth's facts with 2 witnesses (SPTJM F-2.02)")
    MARRIAGE = "nikah", _("Marriage book or marriage certificate (buku nikah / akta perkawinan)")
    SPTJM_MARRIAGE = "sptjm_nikah", _("Statement of being a married couple (SPTJM F-2.04)")
    FAMILY_CARD = "kk", _("Family card (KK)")
    LATE_REQUEST = "terlambat", _("Request for late registration approval")
    PARENT_ID = "ktp", _("Parents' identity cards (KTP-el)")
    OTHER = "lain", _("Other document")


def document_path(document: BirthDocument, filename: str) -> str:
    # An unguessable name without the declaration id; read only through the access check.
    return f"births/{uuid.uuid4().hex}.{document.extension}"


class BirthDocument(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
            self.content_type, "bin"
        )


class PossibleDuplicate(models.Model):
    """A declaration that looks like another one, or like a child already registered."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="possible_duplicates"
    )
    other = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=200)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"{self.declaration} ~ {self.other or self.other_person}"


class AktaCounter(models.Model):
    """The running number of akta issued on one registration day.

    Incremented under ``select_for_update`` in the registering transaction:
    numbers never repeat and have no gaps, however many registrars register at once.
    """

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("akta counter")
        verbose_name_plural = _("akta counters")

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Certificate(models.Model):
    """One issued version of a birth certificate (kutipan akta kelahiran).

    ``shown`` holds exactly what the certificate shows (and what the public
    verification page may show); the token in the QR is random, never the id.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded by a corrected version")
        REVOKED = "revoked", _("Revoked")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="certificates"
    )
    version = models.PositiveSmallIntegerField(default=1)
    token = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    akta_number = models.CharField(_("akta number"), max_length=40)
    shown = models.JSONField()
    registrar_name = models.CharField(max_length=150)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "version"], name="one_certificate_version"
            ),
            models.UniqueConstraint(
                fields=["declaration"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "printed_at"], name="certificate_to_print"),
            # An old code typed in another case or without its leading dash is
            # found as a near miss ("check the code"), not called a forgery.
            models.Index(Upper("token"), name="certificate_token_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.akta_number} v{self.version}"


class Correction(models.Model):
    """A pembetulan: changes to a registered birth, approved (or not) by a registrar."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a registrar")
        APPROVED = "approved", _("Approved: new version issued")
        REJECTED = "rejected", _("Rejected")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="corrections"
    )
    changes = models.JSONField(help_text="{field: [old, new]}")
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by_citizen = models.ForeignKey(
        "people.Citizen", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.declaration} {self.status}"

    def labelled_changes(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) as people read them: labels and choices
        translated, dates as DD-MM-YYYY."""
        rows = []
        for name, (old, new) in self.changes.items():
            field = Declaration._meta.get_field(name)
            assert isinstance(field, models.Field)
            rows.append((str(field.verbose_name), _readable(field, old), _readable(field, new)))
        return rows


def _readable(field: models.Field, value: str) -> str:  # type: ignore[type-arg]
    if not value:
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField):
        try:
            return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    return value
