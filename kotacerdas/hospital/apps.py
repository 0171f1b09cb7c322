from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HospitalConfig(AppConfig):
    name = "kotacerdas.hospital"
    verbose_name = _("Cirebon Lengko (hospital)")
