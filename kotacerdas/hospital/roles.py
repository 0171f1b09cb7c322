"""The roles Cirebon Lengko adds to the floor's.

Declared on the app's ``AppConfig`` (``roles = HospitalRole``); ``kotacerdas.accounts.roles``
gathers every app's roles into the choices of ``Membership.role``. The values
are the codes stored in the database: never change one that is in use. This
module is the service's public face for its roles: another service may import
it (see ``[tool.importlinter]`` in pyproject.toml).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HospitalRole(models.TextChoices):
    HOSPITAL_CLERK = "hospital_clerk", _("Hospital registration clerk")
    CLINIC_STAFF = "clinic_staff", _("Clinic staff (poli)")
    WARD_NURSE = "ward_nurse", _("Ward nurse")
