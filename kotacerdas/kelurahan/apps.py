from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import ServiceConfig


class KelurahanConfig(ServiceConfig):
    name = "kotacerdas.kelurahan"
    verbose_name = _("Cirebon Sedulur: letters")
