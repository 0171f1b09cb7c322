from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.access import AreaQuerySet
from kotacerdas.people.identity import mask_number, mask_phone


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Religion(models.TextChoices):
    # Dukcapil's list; "kepercayaan" since MK decision 97/PUU-XIV/2016.
    ISLAM = "islam", _("Islam")
    PROTESTANT = "kristen", _("Protestant")
    CATHOLIC = "katolik", _("Catholic")
    HINDU = "hindu", _("Hindu")
    BUDDHIST = "buddha", _("Buddhist")
    CONFUCIAN = "khonghucu", _("Confucian")
    BELIEF = "kepercayaan", _("Belief in God Almighty")


class Education(models.TextChoices):
    NONE = "none", _("Not yet / no schooling")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high (SMP)")
    SMA = "sma", _("Senior high (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D3)")
    BACHELOR = "s1", _("Bachelor (D4/S1)")
    MASTER = "s2", _("Master (S2)")
    DOCTOR = "s3", _("Doctorate (S3)")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Not married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Relationship(models.TextChoices):
    # SHDK codes (status hubungan dalam keluarga) as Dukcapil numbers them.
    HEAD = "1", _("Head of family")
    HUSBAND = "2", _("Husband")
    WIFE = "3", _("Wife")
    CHILD = "4", _("Child")
    CHILD_IN_LAW = "5", _("Son/daughter-in-law")
    GRANDCHILD = "6", _("Grandchild")
    PARENT = "7", _("Parent")
    PARENT_IN_LAW = "8", _("Parent-in-law")
    OTHER_RELATIVE = "9", _("Other relative")
    HOUSEHOLD_HELP = "10", _("Household help")
    OTHER = "11", _("Other")


class BloodType(models.TextChoices):
    # Dukcapil's blood groups (OpenSID ``tweb_golongan_darah``); "" = not known.
    TYPE_A = "A", "A"
    TYPE_B = "B", "B"
    TYPE_AB = "AB", "AB"
    TYPE_O = "O", "O"
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB-"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"


class IdentityCard(models.TextChoices):
    # The identity document a resident holds (OpenSID ``ktp_el``): "" = not known.
    NONE = "none", _("None yet")
    KTP_EL = "ktp_el", _("KTP-el")
    KIA = "kia", _("Child identity card (KIA)")


class Citizenship(models.TextChoices):
    WNI = "wni", _("Indonesian (WNI)")
    WNA = "wna", _("Foreign (WNA)")
    DUAL = "dual", _("Dual citizenship")


class InRTQuerySet(AreaQuerySet):
    rw_path = "rt__rw"


class Family(models.Model):
    """A family card (Kartu Keluarga): one address, its members."""

    kk_number = models.CharField(_("family card number (No. KK)"), max_length=16, unique=True)
    rt = models.ForeignKey("regions.RT", on_delete=models.PROTECT, related_name="families")
    address = models.CharField(_("street address"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InRTQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        indexes = [models.Index(fields=["rt", "id"], name="family_rt_id")]

    def __str__(self) -> str:
        return f"KK {self.masked_kk}"

    @property
    def masked_kk(self) -> str:
        return mask_number(self.kk_number)


class Person(models.Model):
    """A resident in the register every service reads. Modules point here."""

    class Status(models.TextChoices):
        ALIVE = "alive", _("Resident")
        DEAD = "dead", _("Deceased")
        MOVED = "moved", _("Moved away")

    nik = models.CharField(
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        help_text=_("16 digits. Leave empty for a newborn who has no NIK yet."),
    )
    name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=100)
    religion = models.CharField(_("religion"), max_length=12, choices=Religion.choices, blank=True)
    education = models.CharField(
        _("education"), max_length=8, choices=Education.choices, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=8, choices=MaritalStatus.choices, blank=True
    )
    phone = models.CharField(_("mobile phone"), max_length=16, blank=True)
    rt = models.ForeignKey("regions.RT", on_delete=models.PROTECT, related_name="residents")
    address = models.CharField(_("street address"), max_length=200)
    status = models.CharField(
        _("status"), max_length=5, choices=Status.choices, default=Status.ALIVE
    )
    family = models.ForeignKey(
        Family, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    relationship = models.CharField(
        _("relationship in family"), max_length=2, choices=Relationship.choices, blank=True
    )
    # Parents as the civil registry records them: NIK and name always kept, the
    # register's Person linked when that NIK is in the register (imports link them).
    father_nik = models.CharField(_("father's NIK"), max_length=16, blank=True, db_default="")
    father_name = models.CharField(_("father's name"), max_length=150, blank=True, db_default="")
    father = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mother_nik = models.CharField(_("mother's NIK"), max_length=16, blank=True, db_default="")
    mother_name = models.CharField(_("mother's name"), max_length=150, blank=True, db_default="")
    mother = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Empty = no birth certificate known: the birth-certificate ownership figure.
    birth_certificate_number = models.CharField(
        _("birth certificate number (akta lahir)"), max_length=60, blank=True, db_default=""
    )
    blood_type = models.CharField(
        _("blood type"), max_length=3, choices=BloodType.choices, blank=True, db_default=""
    )
    identity_card = models.CharField(
        _("identity card (KTP-el/KIA)"),
        max_length=6,
        choices=IdentityCard.choices,
        blank=True,
        db_default="",
    )
    citizenship = models.CharField(
        _("citizenship"), max_length=4, choices=Citizenship.choices, blank=True, db_default=""
    )
    schooling = models.CharField(
        _("schooling now"),
        max_length=60,
        blank=True,
        db_default="",
        help_text=_("The school level attended now (OpenSID's pendidikan_sedang)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InRTQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(Upper("name"), "birth_date", name="person_name_dob"),
            models.Index(fields=["rt", "name"], name="person_rt_name"),
            # The register's default order: walks pages along the index.
            models.Index(fields=["name", "id"], name="person_name_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(nik=""), name="person_nik_null_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_nik(self) -> str:
        return mask_number(self.nik) if self.nik else ""


class LifeEvent(models.Model):
    class Kind(models.TextChoices):
        BIRTH = "birth", _("Birth")
        DEATH = "death", _("Death")
        MOVE_IN = "move_in", _("Moved in")
        MOVE_OUT = "move_out", _("Moved out")
        # Register changes that leave the status as it is (people.actions).
        FAMILY = "family", _("Joined a family")
        CORRECTION = "correct", _("Correction")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="life_events")
    kind = models.CharField(_("event"), max_length=8, choices=Kind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=40, default="register")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Citizen(models.Model):
    """A citizen's account: a phone number proved by a one-time code, and once
    verified (``people.actions.link_citizen``: NIK and the same number in the
    register) the Person it belongs to. What the account may act for is
    ``people.access.persons_citizen_may_act_for``."""

    phone = models.CharField(_("phone"), max_length=16, unique=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")

    def __str__(self) -> str:
        return mask_phone(self.phone)


class ImportJob(models.Model):
    """An uploaded workbook of residents, stored first and then processed by a task.

    The workbook is kept in the database (not MEDIA_ROOT) so that a worker on
    any machine can read it. ``rejected`` lists ``{"row", "nik", "reason"}``
    with the NIK masked; ``notes`` lists rows imported with a warning.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The RT and RW numbers in the workbook are read within this kelurahan."),
    )
    language = models.CharField(max_length=8, default="id")
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    families_created = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)

    # Extracts (SIAK, OpenSID): the file's format, whether this is a dry run,
    # and what a run found besides new rows (people.imports.monthly).
    class Format(models.TextChoices):
        TEMPLATE = "template", _("Kota Cerdas template")
        OPENSID = "opensid", "OpenSID"
        SIAK = "siak", "SIAK (Dukcapil)"

    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    from_command = models.BooleanField(default=False)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_left = models.PositiveIntegerField(default=0)  # deaths and moves out
    unplaced_columns = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="import_by_user")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def changed_anything(self) -> bool:
        return bool(self.rows_imported or self.rows_updated or self.rows_left)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.is_finished else 0
        return self.rows_processed * 100 // self.rows_total


class Proposal(models.Model):
    """A register change an RW operator proposes and the kelurahan decides.

    Stored first, exactly as proposed (``data``: the form's cleaned values, dates
    as ISO strings); approving applies it through the register actions
    (``people.actions.proposals``), which record the life events. Nothing is
    deleted: a returned proposal stays, with the reason, for the RW to see.
    """

    class Kind(models.TextChoices):
        BIRTH = "birth", _("Birth")
        DEATH = "death", _("Death")
        MOVE_IN = "move_in", _("Moving in")
        MOVE_OUT = "move_out", _("Moving out")
        SPLIT = "split", _("Family split (new family card)")
        CORRECTION = "correct", _("Correction of data")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the kelurahan")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    kind = models.CharField(_("change"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    # The RT the change concerns: the person's, the family's, or where someone moves in.
    rt = models.ForeignKey("regions.RT", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    data = models.JSONField(default=dict)
    reason = models.CharField(_("reason or note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason for returning"), max_length=300, blank=True)
    # What approving made or changed (the new child, the person moving in, the new family).
    result_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InRTQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        indexes = [models.Index(fields=["status", "rt"], name="proposal_status_rt")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ImportedValues(models.Model):
    """A person's values as the last extract (SIAK, OpenSID) gave them.

    The next month's extract is compared with the register *and* with these:
    a field the platform changed since (an RW operator corrected a name) is a
    conflict for the kelurahan operator, never overwritten silently.
    """

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="imported"
    )
    values = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("last imported values")
        verbose_name_plural = _("last imported values")

    def __str__(self) -> str:
        return str(self.person_id)


class AreaMapping(models.Model):
    """Where a desa-style file's dusun/RW/RT lies in the kelurahan: chosen once
    by the operator, remembered for the next file of the same kelurahan."""

    kelurahan = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    dusun = models.CharField(max_length=60, blank=True)
    file_rw = models.CharField(max_length=10, blank=True)
    file_rt = models.CharField(max_length=10, blank=True)
    rt = models.ForeignKey("regions.RT", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("area mapping")
        verbose_name_plural = _("area mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "dusun", "file_rw", "file_rt"], name="area_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dusun}/{self.file_rw}/{self.file_rt}"
