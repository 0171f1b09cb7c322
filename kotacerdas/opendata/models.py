"""Open data's own tables: datasets with their Satu Data metadata, their files, the yearly list.

``YearTable`` keeps one figure's built and suppressed kelurahan × month table of
one year (what the nightly build computes from the service's stats function);
``Resource`` keeps each dataset's published files, assembled from those tables;
``Dataset.metadata_modified`` moves only when a file's content or the metadata
changes, so a harvester's incremental run fetches only what changed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """A producing agency (OPD, CKAN's organization)."""

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.SlugField(_("name (slug)"), max_length=100, unique=True)
    title = models.CharField(_("agency name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit_code = models.CharField(_("unit code on the platform"), max_length=50, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.title


class DatasetQuerySet(models.QuerySet["Dataset"]):
    def published(self) -> DatasetQuerySet:
        """Approved by the walidata, public, in an approved Daftar Data, and built."""
        return self.filter(
            status=Dataset.Status.APPROVED,
            classification=Dataset.Classification.PUBLIC,
            built_at__isnull=False,
            lists__approved_at__isnull=False,
        ).distinct()


class Dataset(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the walidata")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    class Classification(models.TextChoices):
        PUBLIC = "publik", _("Public")
        LIMITED = "terbatas", _("Limited")

    class Sensitivity(models.TextChoices):
        GENERAL = "umum", _("General data")
        SPECIFIC = "spesifik", _("Specific data (health, children: UU 27/2022)")

    class Level(models.TextChoices):
        MONTH = "bulanan", _("Per kelurahan per month")
        YEAR = "tahunan", _("Per kelurahan per year")

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.SlugField(_("name (slug)"), max_length=100, unique=True)
    figure = models.CharField(_("source figure"), max_length=100)  # "<app label>.<function>"
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("producer")
    )
    title = models.CharField(_("title"), max_length=200)
    concept = models.TextField(_("concept"))
    definition = models.TextField(_("definition"))
    measure = models.SlugField(_("measure column"), max_length=60)
    unit = models.CharField(_("unit (satuan)"), max_length=40)
    frequency = models.CharField(_("frequency"), max_length=20)
    coverage = models.CharField(_("coverage"), max_length=200)
    walidata = models.CharField(_("walidata"), max_length=200)
    method = models.TextField(_("method"))
    classification = models.CharField(
        _("classification"), max_length=8, choices=Classification.choices, default="publik"
    )
    sensitivity = models.CharField(_("kind of data"), max_length=8, choices=Sensitivity.choices)
    next_release = models.DateField(_("next release date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    metadata_created = models.DateTimeField(_("created"))
    metadata_modified = models.DateTimeField(_("last changed"))
    first_issued = models.DateTimeField(_("first issued"), null=True, blank=True)
    built_at = models.DateTimeField(_("last built"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    hidden = models.PositiveIntegerField(_("hidden counts"), default=0)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["figure", "level"], name="one_dataset_per_figure_level")
        ]
        indexes = [models.Index(fields=["metadata_modified"], name="dataset_modified")]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.title

    @property
    def app(self) -> str:
        return self.figure.split(".")[0]


class Resource(models.Model):
    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        JSON = "JSON", "JSON"

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(_("created"))
    last_modified = models.DateTimeField(_("last changed"))

    class Meta:
        ordering = ["dataset", "format"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "format"], name="one_file_per_format")
        ]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return f"{self.dataset.name}.{self.format.lower()}"

    @property
    def filename(self) -> str:
        return f"{self.dataset.name}.{self.format.lower()}"


class YearTable(models.Model):
    """One figure's kelurahan × month table of one year, summed over groups, suppressed.

    ``cells`` is {kelurahan code: [12 values]} and ``years`` {kelurahan code: value}
    (the year's total, or for a stock its last month); a hidden value is null.
    """

    figure = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()  # months of the year covered (1-12)
    cells = models.JSONField()
    years = models.JSONField()
    hidden = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "year"], name="one_table_per_figure_year")
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.year}"


class DataList(models.Model):
    """The yearly Daftar Data: which datasets the city publishes, approved by the walidata."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    datasets = models.ManyToManyField(Dataset, related_name="lists", blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False),
                name="approved_list_has_approver",
            )
        ]
        verbose_name = _("data list (Daftar Data)")
        verbose_name_plural = _("data lists (Daftar Data)")

    def __str__(self) -> str:
        return f"Daftar Data {self.year}"
