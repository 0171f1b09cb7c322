"""Open data built from the services: aggregate datasets, a CKAN-compatible API, a DCAT catalogue.

The top layer: it only reads the services' figures (kotacerdas.web.figures); nothing imports it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

ACCESS = "kotacerdas.opendata.access"


class OpenDataConfig(ServiceConfig):
    name = "kotacerdas.opendata"
    verbose_name = _("Open data")
    home_entries = (
        HomeEntry(
            _("Satu Data Kota Cirebon"),
            _("Open data"),
            _("The city services' figures per kelurahan and month: CSV, JSON, CKAN API, DCAT."),
            "opendata:catalogue",
            order=90,
        ),
    )
    nav_links = (NavLink(_("Open data"), "opendata:work", f"{ACCESS}.works_on_data", 90),)
    demo = "kotacerdas.opendata.demo.build_demo"
    periodic_commands = (
        PeriodicCommand(
            "opendata_build", "10 2 * * *", "Open data: datasets rebuilt from the services, nightly"
        ),
    )
    url_modules = (("", "kotacerdas.opendata.urls"),)
