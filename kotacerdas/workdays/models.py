"""The city's calendar of days off: public holidays, cuti bersama, local days off.

One table for the whole platform: Wadul Bae's deadlines, the hospital's
closures and any service level counted in working days read it through
``kotacerdas.workdays.calendar``. Weekends are not stored (a setting).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOff(models.Model):
    """A date that is not a working day, with the decision that made it one."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National public holiday")
        COLLECTIVE_LEAVE = "cuti_bersama", _("Collective leave (cuti bersama)")
        LOCAL = "local", _("Local day off")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_(
            "The decision that made this a day off: the SKB 3 Menteri number, the Wali Kota's decision, or a link to it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day off")
        verbose_name_plural = _("days off")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
