from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.roles import PEOPLE_EDITORS, Role, role_choices, second_factor_roles

__all__ = ["PEOPLE_EDITORS", "Membership", "Role", "Unit", "User"]


class User(AbstractUser):
    """A member of staff. Citizens sign in by phone number (see messaging)."""

    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        blank=True,
        help_text=_("E.164 (+628…); urgent alerts are sent here while on duty."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Unit(models.Model):
    """An organisation people work in: an agency, an office, an RW, a facility.

    ``region`` (or ``rw``) is the area the unit serves; it decides what its
    members can see. A city agency serves the kota, a kelurahan office its
    kelurahan, an RW unit one RW.
    """

    class Kind(models.TextChoices):
        AGENCY = "agency", _("City agency")
        KECAMATAN = "kecamatan", _("Kecamatan office")
        KELURAHAN = "kelurahan", _("Kelurahan office")
        RW = "rw", _("RW")
        POSYANDU = "posyandu", _("Posyandu")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        HOSPITAL = "hospital", _("Hospital")
        SCHOOL = "school", _("School")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    rw = models.ForeignKey(
        "regions.RW", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(kind="rw") & models.Q(rw__isnull=True)),
                name="rw_unit_has_rw",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=role_choices)
    on_duty = models.BooleanField(
        _("on duty"), default=False, help_text=_("Receives urgent alerts by SMS.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.unit}"

    @property
    def can_edit_people(self) -> bool:
        return self.role in PEOPLE_EDITORS

    @property
    def needs_second_factor(self) -> bool:
        return self.role in second_factor_roles()
