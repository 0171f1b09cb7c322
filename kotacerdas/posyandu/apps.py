from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.posyandu.roles import PosyanduRole
from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

PROGRAMME = "E-Posyandu"
STAFF = "kotacerdas.posyandu.access.is_posyandu_staff"


class PosyanduConfig(ServiceConfig):
    name = "kotacerdas.posyandu"
    verbose_name = _("E-Posyandu")
    home_entries = (
        HomeEntry(
            PROGRAMME,
            _("Posyandu day"),
            _(
                "Children to weigh this month, growth status at once, immunisation due, pregnant women."
            ),
            "posyandu:home",
            STAFF,
            order=40,
        ),
        HomeEntry(
            PROGRAMME,
            _("SKDN and stunting"),
            _(
                "Monthly SKDN by posyandu, kelurahan, kecamatan and city; stunting and wasting; alerts."
            ),
            "posyandu:skdn",
            STAFF,
            order=40,
        ),
        HomeEntry(
            PROGRAMME,
            _("My child's growth chart"),
            _("Mothers: sign in with the mobile number in the register to see your child's chart."),
            "posyandu:mine",
            order=40,
        ),
    )
    nav_links = (NavLink(_("Posyandu"), "posyandu:home", STAFF, 40),)
    work_items = ("kotacerdas.posyandu.work.posyandu_work",)
    roles = PosyanduRole
    demo = "kotacerdas.posyandu.demo.build_demo"
    periodic_commands = (
        PeriodicCommand(
            "posyandu_reminders",
            "0 8 * * *",
            "E-Posyandu: immunisation reminders to mothers before posyandu day",
        ),
        PeriodicCommand(
            "posyandu_alert_digest",
            "0 7 * * 1-6",
            "E-Posyandu: alert counts to the puskesmas officers on duty",
        ),
    )
    url_modules = (("", "kotacerdas.posyandu.urls"),)

    def ready(self) -> None:
        from kotacerdas.people.signals import person_left
        from kotacerdas.posyandu.receivers import close_open_items

        person_left.connect(close_open_items, dispatch_uid="posyandu.close_open_items")
