from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kotacerdas.reports"
    verbose_name = _("Wadul Bae")

    def ready(self) -> None:
        from kotacerdas.reports import sms

        sms.register_keywords()
