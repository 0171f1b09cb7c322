from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.births.roles import BirthsRole
from kotacerdas.web.declarations import HomeEntry, NavLink, ServiceConfig

PROGRAMME = "Brojol Aja Klalen"
ACCESS = "kotacerdas.births.access"


class BirthsConfig(ServiceConfig):
    name = "kotacerdas.births"
    verbose_name = _("Birth reports (Brojol Aja Klalen)")
    home_entries = (
        HomeEntry(
            PROGRAMME,
            _("Report a birth"),
            _(
                "Parents, midwives and kelurahan report a birth online; the birth certificate "
                "(akta) is ready to download as soon as Disdukcapil registers it."
            ),
            "births:start",
            order=50,
        ),
        HomeEntry(
            PROGRAMME,
            _("Birth reports"),
            _(
                "Reports started by your puskesmas, hospital, kelurahan or RW, and where they stand."
            ),
            "births:list",
            f"{ACCESS}.declares_births",
            order=50,
        ),
        HomeEntry(
            PROGRAMME,
            _("Birth registration queues"),
            _(
                "To validate, possible duplicates, sent back, late approval, ready to register, "
                "ready to print."
            ),
            "births:queues",
            f"{ACCESS}.reads_registry",
            order=50,
        ),
        HomeEntry(
            PROGRAMME,
            _("Births dashboard"),
            _("Reported and registered per kelurahan and month, on time and late, completeness."),
            "births:dashboard",
            f"{ACCESS}.reads_registry",
            order=50,
        ),
    )
    # The registry's readers get their queues; everyone else who reports births, the list.
    nav_links = (
        NavLink(_("Births"), "births:queues", f"{ACCESS}.reads_registry", 50),
        NavLink(_("Births"), "births:list", f"{ACCESS}.declares_births", 50),
    )
    work_items = ("kotacerdas.births.work.registry_work", "kotacerdas.births.work.declarer_work")
    roles = BirthsRole
    demo = "kotacerdas.births.demo.build_demo"
    url_modules = (("", "kotacerdas.births.urls"),)
