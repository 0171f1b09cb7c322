"""Cirebon Melet: the city's free WiFi points and digital-literacy classes.

A service (see kotacerdas.web.declarations.ServiceConfig); docs/literacy.md tells its story.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.literacy.roles import LiteracyRole
from kotacerdas.web.declarations import HomeEntry, NavLink, ServiceConfig

PROGRAMME = "Cirebon Melet"
STAFF = "kotacerdas.literacy.access.is_wifi_staff"


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
    )
    nav_links = (NavLink(_("WiFi"), "literacy:points", STAFF, 75),)
    roles = LiteracyRole
    demo = "kotacerdas.literacy.demo.build_demo"
    url_modules = (("", "kotacerdas.literacy.urls"),)

    def ready(self) -> None:
        from kotacerdas.literacy import sms

        sms.register_keywords()
