"""The roles Wadul Bae adds to the floor's.

Declared on the app's ``AppConfig`` (``roles = ReportsRole``); ``kotacerdas.accounts.roles``
gathers every app's roles into the choices of ``Membership.role``. The values
are the codes stored in the database: never change one that is in use. This
module is the service's public face for its roles: another service may import
it (see ``[tool.importlinter]`` in pyproject.toml).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportsRole(models.TextChoices):
    PROTECTION_OFFICER = "protection_officer", _("Protection officer (UPTD PPA)")
    SCHOOL_COORDINATOR = "school_coordinator", _("School coordinator (Wadul Bae)")
