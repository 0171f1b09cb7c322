from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import ServiceConfig


class OpenDataConfig(ServiceConfig):
    name = "kotacerdas.opendata"
    verbose_name = _("Open data")
