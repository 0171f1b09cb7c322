from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HospitalConfig(AppConfig):
    name = "kotacerdas.hospital"
    verbose_name = _("Cirebon Lengko (hospital)")

    def ready(self) -> None:
        from kotacerdas.hospital import receivers
        from kotacerdas.workdays.signals import days_off_changed

        days_off_changed.connect(receivers.close_on_days_off, dispatch_uid="hospital-days-off")
