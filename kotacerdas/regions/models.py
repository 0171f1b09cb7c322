from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A place in the Kemendagri tree: provinsi → kota → kecamatan → kelurahan.

    The dotted Kepmendagri code is the natural key (``32.74.01.1001``); BPS
    codes are a different system and live in their own field.
    """

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Province")
        KOTA = "kota", _("City")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")

    code = models.CharField(_("Kepmendagri code"), max_length=13, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    bps_code = models.CharField(_("BPS code"), max_length=10, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"

    @property
    def compact_code(self) -> str:
        """The 10-digit form used in letter numbers and by OpenSID (3274011001)."""
        return self.code.replace(".", "")

    @property
    def nik_prefix(self) -> str:
        """First digits of a NIK or No. KK registered here (6 for a kecamatan)."""
        return self.compact_code[:6]


class RW(models.Model):
    """Rukun warga: a neighbourhood of a kelurahan, numbered and often named."""

    kelurahan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="rws",
        limit_choices_to={"level": Region.Level.KELURAHAN},
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["kelurahan_id", "number"]
        verbose_name = _("RW")
        verbose_name_plural = _("RWs")
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "number"], name="unique_rw_number"),
        ]

    def __str__(self) -> str:
        label = f"RW {self.number:02d}"
        return f"{label} {self.name}" if self.name else label


class RT(models.Model):
    """Rukun tetangga: a block of households within an RW."""

    rw = models.ForeignKey(RW, on_delete=models.PROTECT, related_name="rts")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["rw_id", "number"]
        verbose_name = _("RT")
        verbose_name_plural = _("RTs")
        constraints = [
            models.UniqueConstraint(fields=["rw", "number"], name="unique_rt_number"),
        ]

    def __str__(self) -> str:
        return f"RT {self.number:03d} / RW {self.rw.number:02d}"
