"""The dashboard's own tables: precomputed figure values, and the collaboration registers.

``FigureValue`` holds what the services' figure functions returned, one row
per figure, kelurahan, month and group; pages read it and never the services'
raw records. ``FigureRun`` remembers when each figure was last computed for a
year (what every page shows beside the figure), how long it took and how many
rows it gave.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureValue(models.Model):
    figure = models.CharField(_("figure"), max_length=100)  # "<app label>.<function name>"
    kelurahan = models.CharField(_("kelurahan code"), max_length=13)
    month = models.DateField(_("month"))  # its first day
    group = models.CharField(_("group"), max_length=60, blank=True)
    value = models.BigIntegerField(_("value"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "month", "kelurahan", "group"], name="one_value_per_cell"
            )
        ]
        # Pages read one year of one figure, or one year of every figure.
        indexes = [models.Index(fields=["month", "figure"], name="figure_value_month")]
        verbose_name = _("figure value")
        verbose_name_plural = _("figure values")

    def __str__(self) -> str:
        return f"{self.figure} {self.kelurahan} {self.month:%Y-%m} {self.group}: {self.value}"


class FigureRun(models.Model):
    figure = models.CharField(_("figure"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds"))
    rows = models.PositiveIntegerField(_("rows"))
    error = models.TextField(_("error"), blank=True)  # the last failure; values kept from before

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "year"], name="one_run_per_figure_year")
        ]
        verbose_name = _("figure run")
        verbose_name_plural = _("figure runs")

    def __str__(self) -> str:
        return f"{self.figure} {self.year} at {self.computed_at:%Y-%m-%d %H:%M}"


# Collaboration ---------------------------------------------------------------


class Partner(models.Model):
    """Someone the city works with on its smart-city programmes."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("City agency (OPD)")
        SCHOOL = "school", _("School")
        UNIVERSITY = "university", _("University")
        BUSINESS = "business", _("Business (CSR)")
        VOLUNTEERS = "volunteers", _("Volunteer group")
        REGION = "region", _("Other region")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit on the platform"),
    )
    about = models.TextField(_("about"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A memorandum of understanding (MoU) or cooperation agreement (PKS) with a partner."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"))
    ends_on = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.TextField(_("scope"))
    document = models.FileField(_("document"), upload_to="dashboard/agreements/", blank=True)
    document_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-signed_on", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class Contribution(models.Model):
    """What a partner brings to a programme: WiFi points, classes, reporter schools, datasets."""

    class Kind(models.TextChoices):
        WIFI_POINTS = "wifi_points", _("WiFi points")
        CLASSES = "classes", _("Literacy classes")
        REPORTER_SCHOOL = "reporter_school", _("Reporter school")
        DATASETS = "datasets", _("Datasets")
        FACILITY = "facility", _("Facility or staff")
        FUNDING = "funding", _("Funding")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("partner")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("under the agreement"),
    )
    programme = models.CharField(_("programme"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    description = models.CharField(_("description"), max_length=300, blank=True)
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["programme", "kind", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_kind_display()} ({self.programme})"


class MasterplanItem(models.Model):
    """A programme of the smart-city masterplan (vision 2028) and how far it has come.

    Progress comes from a live figure where one measures the indicator
    (``figure`` and ``target``: this year's city value over the target),
    otherwise from ``manual_progress`` entered by the owning agency.
    """

    class Dimension(models.TextChoices):
        GOVERNANCE = "governance", "Smart Governance"
        BRANDING = "branding", "Smart Branding"
        ECONOMY = "economy", "Smart Economy"
        LIVING = "living", "Smart Living"
        SOCIETY = "society", "Smart Society"
        ENVIRONMENT = "environment", "Smart Environment"

    class Horizon(models.TextChoices):
        QUICK_WIN = "quick_win", _("Quick win")
        MEDIUM = "medium", _("Medium term")
        LONG = "long", _("Long term")

    programme = models.CharField(_("programme"), max_length=150)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    element = models.CharField(_("element"), max_length=100)
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon.choices)
    agency = models.CharField(_("owning agency"), max_length=150)
    indicator = models.CharField(_("indicator"), max_length=300)
    figure = models.CharField(_("live figure"), max_length=100, blank=True)
    target = models.PositiveIntegerField(_("target this year"), null=True, blank=True)
    manual_progress = models.PositiveSmallIntegerField(
        _("progress entered by hand (%)"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension", "order", "programme"]
        verbose_name = _("masterplan programme")
        verbose_name_plural = _("masterplan programmes")

    def __str__(self) -> str:
        return self.programme
