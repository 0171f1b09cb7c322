from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PosyanduConfig(AppConfig):
    name = "kotacerdas.posyandu"
    verbose_name = _("E-Posyandu")
