"""Cirebon Melet: the city's free WiFi points and digital-literacy classes.

A service (see kotacerdas.web.declarations.ServiceConfig); docs/literacy.md tells its story.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.literacy.roles import LiteracyRole
from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

PROGRAMME = "Cirebon Melet"
STAFF = "kotacerdas.literacy.access.is_wifi_staff"
CLASS_STAFF = "kotacerdas.literacy.access.is_class_staff"


class LiteracyConfig(ServiceConfig):
    name = "kotacerdas.literacy"
    verbose_name = _("Cirebon Melet")
    home_entries = (
        HomeEntry(
            PROGRAMME,
            _("Free city WiFi"),
            _(
                "Every free WiFi point of the city, by kelurahan and on a map; report one that is down."
            ),
            "literacy:wifi",
            order=70,
        ),
        HomeEntry(
            PROGRAMME,
            _("WiFi point register"),
            _("DKIS: points, outages and usage counted from the controllers' accounting."),
            "literacy:points",
            STAFF,
            order=70,
        ),
        HomeEntry(
            PROGRAMME,
            _("Digital-literacy classes"),
            _("Free classes on digital skills, ethics, safety and culture: register by phone."),
            "literacy:classes",
            order=70,
        ),
        HomeEntry(
            PROGRAMME,
            _("Classes: planning and the door"),
            _("DKIS plans classes; trainers and volunteers register walk-ins and check people in."),
            "literacy:class-staff-list",
            CLASS_STAFF,
            order=70,
        ),
    )
    nav_links = (
        NavLink(_("WiFi"), "literacy:points", STAFF, 75),
        NavLink(_("Classes"), "literacy:class-staff-list", CLASS_STAFF, 75),
    )
    roles = LiteracyRole
    demo = "kotacerdas.literacy.demo.build_demo"
    periodic_commands = (
        PeriodicCommand(
            "melet_class_reminders",
            "0 9 * * *",
            "Cirebon Melet: SMS reminders for tomorrow's classes",
        ),
    )
    url_modules = (("", "kotacerdas.literacy.urls"),)

    def ready(self) -> None:
        from kotacerdas.literacy import sms

        sms.register_keywords()
