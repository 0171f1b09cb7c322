from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BirthsConfig(AppConfig):
    name = "kotacerdas.births"
    verbose_name = _("Birth reports (Brojol Aja Klalen)")
