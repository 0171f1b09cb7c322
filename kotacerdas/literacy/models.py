"""Cirebon Melet: WiFi points, their outages and their usage counted from RADIUS accounting;
the digital-literacy classes (sessions, tickets, check-ins, certificates, quizzes).

Usage holds no personal data: the importer (``literacy.radacct``) replaces the
device id (``callingstationid``, a MAC) and the RADIUS ``username`` by a keyed
hash before anything is stored, and keeps only counts per point and hour.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Point(models.Model):
    """A free WiFi point of the city (a hotspot behind one controller, its NAS)."""

    class Kind(models.TextChoices):
        KELURAHAN_OFFICE = "kelurahan_office", _("Kelurahan office")
        GOVERNMENT_OFFICE = "government_office", _("Government office")
        SCHOOL = "school", _("School")
        PUBLIC_SPACE = "public_space", _("Public space")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DOWN = "down", _("Down")
        REMOVED = "removed", _("Removed")
        # Registered by the importer from an unknown NAS; DKIS fills in the details.
        PENDING = "pending", _("Awaiting details")

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        help_text=_("Short code citizens type in an SMS (WIFI <code> MATI), e.g. KJS01."),
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250, blank=True)
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wifi_points",
        limit_choices_to={"level": "kelurahan"},
        verbose_name=_("kelurahan"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    kind = models.CharField(_("kind of site"), max_length=20, choices=Kind.choices)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    ssid = models.CharField(_("SSID"), max_length=32, blank=True)
    nas_id = models.CharField(
        _("NAS id"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The controller's NAS-Identifier or NAS IP address in RADIUS accounting."),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kelurahan_id", "name"]
        verbose_name = _("WiFi point")
        verbose_name_plural = _("WiFi points")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def on_map(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Outage(models.Model):
    """A time a point was down: opened by a citizen's report or by DKIS, closed by DKIS."""

    class Cause(models.TextChoices):
        UNKNOWN = "unknown", _("Not known yet")
        POWER = "power", _("Power cut")
        BACKHAUL = "backhaul", _("Provider's line (backhaul)")
        EQUIPMENT = "equipment", _("Equipment fault")
        THEFT = "theft", _("Theft or vandalism")
        MAINTENANCE = "maintenance", _("Planned maintenance")

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="outages")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    cause = models.CharField(_("cause"), max_length=12, choices=Cause.choices, default="unknown")
    note = models.CharField(_("note"), max_length=300, blank=True)
    reports = models.PositiveIntegerField(_("citizen reports"), default=0)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # At most one open outage per point: a second report joins it.
            models.UniqueConstraint(
                fields=["point"],
                condition=models.Q(ended_at__isnull=True),
                name="literacy_one_open_outage_per_point",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point.code} {self.started_at:%Y-%m-%d %H:%M}"


class DownReport(models.Model):
    """A citizen's "this point is down", stored as received before it opens or joins an outage."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        SMS = "sms", _("SMS")

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="down_reports")
    outage = models.ForeignKey(
        Outage, on_delete=models.SET_NULL, null=True, blank=True, related_name="down_reports"
    )
    channel = models.CharField(max_length=3, choices=Channel.choices)
    message = models.ForeignKey(
        "messaging.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.point_id} {self.channel} {self.received_at:%Y-%m-%d %H:%M}"


class UsageHour(models.Model):
    """Counts of one point in one hour, added to by every import.

    ``devices`` counts the distinct devices seen that hour, and stays exact
    however often an hour is imported again: ``device_hashes`` keeps the
    hour's devices themselves (their keyed hashes, packed by
    ``radacct.pack``), one value per hour rather than one row per device,
    which is what lets an import write a million sessions in seconds.
    """

    # Indexed by the (point, hour) constraint; written only by the importer, which
    # finds points itself: no foreign-key check in the database (as DeviceMonth).
    point = models.ForeignKey(
        Point, on_delete=models.CASCADE, related_name="usage", db_constraint=False, db_index=False
    )
    hour = models.DateTimeField()
    sessions = models.PositiveIntegerField(default=0)
    devices = models.PositiveIntegerField(default=0)
    seconds = models.BigIntegerField(default=0)
    bytes_in = models.BigIntegerField(default=0)
    bytes_out = models.BigIntegerField(default=0)
    device_hashes = models.BinaryField(default=b"", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "hour"], name="literacy_usage_point_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.hour:%Y-%m-%d %H}h"


class DeviceMonth(models.Model):
    """That a device (by its keyed hash) used a point in a month (WIB): distinct devices
    per point, kelurahan and month for the evidence pack and the dashboard.

    Written only by the importer, which finds points itself; no foreign-key
    check in the database (one per row cost the import a fifth of its time).
    """

    pk = models.CompositePrimaryKey("point", "month", "device")
    point = models.ForeignKey(
        Point, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    month = models.DateField()  # its first day
    device = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.point_id} {self.month:%Y-%m}"


class AccountedSession(models.Model):
    """What an import has already counted of one RADIUS session (by its keyed ``acctuniqueid``).

    A session row comes back with each interim update and with its stop, carrying
    cumulative time and octets; only what goes past ``counted_until`` and the
    counted octets is added. That is what makes a re-import change nothing.
    Written only by the importer: no foreign-key check in the database, as for
    :class:`DeviceMonth` (a million sessions a month).
    """

    uid = models.BinaryField(primary_key=True, max_length=16)
    point = models.ForeignKey(
        Point, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    device = models.BigIntegerField()
    key_version = models.PositiveSmallIntegerField()
    counted_until = models.BigIntegerField()  # epoch seconds, as the importer counts
    bytes_in = models.BigIntegerField()
    bytes_out = models.BigIntegerField()
    stopped = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.point_id} {self.uid.hex()[:8]}"


class ImportRun(models.Model):
    """One run of ``melet_import_radacct``: what it read, counted and refused."""

    source = models.CharField(max_length=250)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    counted = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    bad = models.JSONField(default=list)  # [[line, reason], ...] (capped)
    bad_count = models.PositiveIntegerField(default=0)
    unknown_nas = models.JSONField(default=dict)  # {nas: rows}
    # For --database-url: the latest accounting time read, to start from next time.
    watermark = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------
# Digital-literacy classes


class Pillar(models.TextChoices):
    """The four pillars of GNLD Siberkreasi."""

    CAKAP = "cakap", _("Digital skills (Cakap Digital)")
    ETIKA = "etika", _("Digital ethics (Etika Digital)")
    AMAN = "aman", _("Digital safety (Aman Digital)")
    BUDAYA = "budaya", _("Digital culture (Budaya Digital)")


class ClassSession(models.Model):
    """One digital-literacy class (kelas): a topic on one or more pillars, at a place and time."""

    class Audience(models.TextChoices):
        COMMUNITY = "masyarakat", _("Community")
        PUPILS = "pelajar", _("Pupils")
        CIVIL_SERVANTS = "asn", _("Civil servants (ASN)")
        UMKM = "umkm", _("Small businesses (UMKM)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for registration")
        CANCELLED = "cancelled", _("Class cancelled")

    topic = models.CharField(_("topic"), max_length=150)
    pillars = models.JSONField(_("pillars"), default=list)  # codes of Pillar
    place = models.CharField(_("place"), max_length=200)
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="literacy_classes",
        limit_choices_to={"level": "kelurahan"},
        verbose_name=_("kelurahan"),
    )
    point = models.ForeignKey(
        Point,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="classes",
        verbose_name=_("WiFi point"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="literacy_classes_trained",
        verbose_name=_("trainer"),
    )
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="literacy_classes_helped",
        verbose_name=_("volunteers"),
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="literacy_class_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="literacy_class_has_seats"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.starts_at:%Y-%m-%d}"

    def pillar_labels(self) -> list[str]:
        labels = dict(Pillar.choices)
        return [str(labels[code]) for code in self.pillars if code in labels]


class Registration(models.Model):
    """A seat (or a place on the waiting list) in a class: the ticket.

    ``code`` is the ticket's unguessable code (``kotacerdas.core.tokens``), the
    content of its QR. The waiting list is ordered by ``pk`` (order of arrival).
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online (phone code)")
        DOOR = "door", _("At the door")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITING = "waiting", _("Waiting list")
        CANCELLED = "cancelled", _("Ticket cancelled")

    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="registrations"
    )
    code = models.CharField(max_length=28, unique=True)
    citizen = models.ForeignKey(
        "people.Citizen", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=16)
    channel = models.CharField(max_length=6, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One live ticket per phone number and class.
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=~models.Q(status="cancelled"),
                name="literacy_one_ticket_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.pk}"

    @property
    def attended(self) -> bool:
        return self.checkins.filter(result=CheckIn.Result.OK).exists()


class CheckIn(models.Model):
    """One scan received from a door (pretix's model): stored once per client-made nonce.

    Every scan is kept with its answer, so a resend of the same nonce gets the
    same answer and counts nothing twice. Attendance is an ``ok`` scan; at most
    one per ticket (a second ticket scan is answered "already checked in").
    """

    class Result(models.TextChoices):
        OK = "ok", _("Present")
        ALREADY = "already", _("Already checked in")
        REFUSED = "refused", _("Refused")

    nonce = models.CharField(max_length=64, unique=True)
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="checkins")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="checkins"
    )
    secret = models.CharField(max_length=64)  # what was scanned or typed, canonical
    result = models.CharField(max_length=8, choices=Result.choices)
    reason = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(result="ok"),
                name="literacy_one_entry_per_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.result} {self.scanned_at:%Y-%m-%d %H:%M}"


class ClassCertificate(models.Model):
    """The certificate of attendance: issued on the first download, only after an ``ok`` check-in.

    ``shown`` is exactly what the PDF shows, and so what the public
    verification page may show.
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate"
    )
    token = models.CharField(max_length=28, unique=True)
    shown = models.JSONField()
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.registration_id} {self.issued_at:%Y-%m-%d}"


class Quiz(models.Model):
    """A short quiz on one pillar, taken before (pre) or after (post) a class."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Before the class (pre-test)")
        POST = "post", _("After the class (post-test)")

    pillar = models.CharField(_("pillar"), max_length=8, choices=Pillar.choices)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["pillar", "-kind"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.UniqueConstraint(
                fields=["pillar", "kind"],
                condition=models.Q(active=True),
                name="literacy_one_active_quiz_per_pillar_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A multiple-choice question: one option a line, ``answer`` the number of the right one."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    options = models.TextField(_("options"), help_text=_("One option a line."))
    answer = models.PositiveSmallIntegerField(
        _("right option"), help_text=_("The number of the right option: 1 for the first line.")
    )

    class Meta:
        ordering = ["quiz_id", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Submission(models.Model):
    """A participant's answers to one quiz: stored as sent, scored once, never replaced."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="submissions")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="submissions"
    )
    answers = models.JSONField()  # {question id: chosen option number}
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "registration"], name="literacy_one_submission_per_quiz"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} {self.registration_id}"
