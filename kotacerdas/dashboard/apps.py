"""The smart city as a whole: one dashboard across every programme, and the collaboration behind it.

The top layer: it only reads the services' figures (kotacerdas.web.figures); nothing imports it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

SCOPE = "kotacerdas.dashboard.scope"


class DashboardConfig(ServiceConfig):
    name = "kotacerdas.dashboard"
    verbose_name = _("City dashboard")
    home_entries = (
        HomeEntry(
            _("Kota Cerdas Cirebon"),
            _("City dashboard"),
            _("Every programme's figures by kelurahan and month, with their definitions."),
            "dashboard:city",
            order=85,
        ),
        HomeEntry(
            _("Kota Cerdas Cirebon"),
            _("Masterplan 2028"),
            _("The smart-city programmes, their indicators and how far each has come."),
            "dashboard:masterplan",
            order=86,
        ),
        HomeEntry(
            _("Kota Cerdas Cirebon"),
            _("My area's figures"),
            _("All programmes for your kelurahan or kecamatan, month by month."),
            "dashboard:my-area",
            f"{SCOPE}.reads_dashboard",
            order=84,
        ),
    )
    nav_links = (
        NavLink(_("Dashboard"), "dashboard:my-area", f"{SCOPE}.reads_dashboard", 85),
        NavLink(_("Partners"), "dashboard:partners", f"{SCOPE}.reads_everything", 86),
    )
    demo = "kotacerdas.dashboard.demo.build_demo"
    periodic_commands = (
        PeriodicCommand(
            "dashboard_refresh", "20 * * * *", "City dashboard: this year's figures, hourly"
        ),
        PeriodicCommand(
            "dashboard_rebuild", "40 1 * * *", "City dashboard: every year's figures, nightly"
        ),
    )
    url_modules = (("", "kotacerdas.dashboard.urls"),)
