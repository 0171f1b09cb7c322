from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import ServiceConfig


class DashboardConfig(ServiceConfig):
    name = "kotacerdas.dashboard"
    verbose_name = _("City dashboard")
