from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import ServiceConfig


class LiteracyConfig(ServiceConfig):
    name = "kotacerdas.literacy"
    verbose_name = _("Cirebon Melet")
