"""The roles Cirebon Melet adds to the floor's.

Declared on the app's ``AppConfig`` (``roles = LiteracyRole``); the values are
the codes stored in ``Membership.role``: never change one in use.

- ``WIFI_OFFICER``: DKIS staff who keep the WiFi point register, close
  outages and import usage; on the DKIS unit (the city) or on a kecamatan or
  kelurahan office (that area only).
- ``CLASS_TRAINER``: a trainer or volunteer (Relawan TIK, Pandu Digital) who
  runs the door of the classes they are named on: registers walk-ins and
  checks participants in. DKIS WiFi officers of the city create and edit the
  classes (and may run any door).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiteracyRole(models.TextChoices):
    WIFI_OFFICER = "wifi_officer", _("WiFi officer (DKIS)")
    CLASS_TRAINER = "class_trainer", _("Digital-literacy trainer or volunteer")
