"""The roles Cirebon Melet adds to the floor's.

Declared on the app's ``AppConfig`` (``roles = LiteracyRole``); the values are
the codes stored in ``Membership.role``: never change one in use.

- ``WIFI_OFFICER``: DKIS staff who keep the WiFi point register, close
  outages and import usage; on the DKIS unit (the city) or on a kecamatan or
  kelurahan office (that area only).

The classes (trainers and volunteers who check participants in) will add their
role with the classes themselves.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiteracyRole(models.TextChoices):
    WIFI_OFFICER = "wifi_officer", _("WiFi officer (DKIS)")
