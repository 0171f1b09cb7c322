"""Cirebon Melet: WiFi points, their outages and their usage counted from RADIUS accounting.

Usage holds no personal data: the importer (``literacy.radacct``) replaces the
device id (``callingstationid``, a MAC) and the RADIUS ``username`` by a keyed
hash before anything is stored, and keeps only counts per point and hour.
"""

from __future__ import annotations

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

    ``devices`` counts distinct device hashes seen that hour; it is kept exact
    by :class:`DeviceHour` (a device is added once, however often re-imported).
    """

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="usage")
    hour = models.DateTimeField()
    sessions = models.PositiveIntegerField(default=0)
    devices = models.PositiveIntegerField(default=0)
    seconds = models.BigIntegerField(default=0)
    bytes_in = models.BigIntegerField(default=0)
    bytes_out = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "hour"], name="literacy_usage_point_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.hour:%Y-%m-%d %H}h"


class DeviceHour(models.Model):
    """That a device (by its keyed hash) used a point in an hour: exact distinct counts."""

    pk = models.CompositePrimaryKey("point", "hour", "device")
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    device = models.BinaryField(max_length=16)

    def __str__(self) -> str:
        return f"{self.point_id} {self.hour:%Y-%m-%d %H}h"


class AccountedSession(models.Model):
    """What an import has already counted of one RADIUS session (by its keyed ``acctuniqueid``).

    A session row comes back with each interim update and with its stop, carrying
    cumulative time and octets; only what goes past ``counted_until`` and the
    counted octets is added. That is what makes a re-import change nothing.
    """

    uid = models.BinaryField(primary_key=True, max_length=16)
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="+")
    device = models.BinaryField(max_length=16)
    user = models.BinaryField(max_length=16)
    key_version = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    counted_until = models.DateTimeField()
    bytes_in = models.BigIntegerField()
    bytes_out = models.BigIntegerField()
    stopped = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.point_id} {self.started_at:%Y-%m-%d %H:%M}"


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
