from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.reports.roles import ReportsRole
from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

PROGRAMME = "Wadul Bae"
ACCESS = "kotacerdas.reports.access"
WORK = "kotacerdas.reports.work"


class ReportsConfig(ServiceConfig):
    name = "kotacerdas.reports"
    verbose_name = _("Wadul Bae")
    home_entries = (
        HomeEntry(
            PROGRAMME,
            _("Report harm to a child or a mother"),
            _(
                "Violence, bullying, neglect, child marriage: tell the city's protection unit, anonymously if you wish. Also by SMS: WADUL <story>."
            ),
            "reports:report",
            order=20,
        ),
        HomeEntry(
            PROGRAMME,
            _("Check a report's stage"),
            _("With the tracking code you received (or by SMS: CEK <code>)."),
            "reports:status",
            order=20,
        ),
        HomeEntry(
            PROGRAMME,
            _("Triage and cases"),
            _("Reports waiting for triage, open cases, overdue deadlines."),
            "reports:triage",
            f"{ACCESS}.is_protection_staff",
            order=20,
        ),
        HomeEntry(
            PROGRAMME,
            _("Wadul Bae at school"),
            _("Register pupil reporters and follow what they sent."),
            "reports:school",
            f"{ACCESS}.coordinates_a_school",
            order=20,
        ),
    )
    work_items = (f"{WORK}.protection_work", f"{WORK}.school_work")
    nav_links = (NavLink(_("Wadul Bae"), "reports:triage", f"{ACCESS}.is_protection_staff", 70),)
    roles = ReportsRole
    # A whole city's child-protection cases: the second factor is not optional.
    second_factor_roles = frozenset({ReportsRole.PROTECTION_OFFICER})
    demo = "kotacerdas.reports.demo.build_demo"
    periodic_commands = (
        PeriodicCommand(
            "wadul_reminders",
            "30 7 * * 1-5",
            "Wadul Bae: each officer on duty gets the count of reports and cases due and late",
        ),
    )
    url_modules = (
        ("", "kotacerdas.reports.urls"),
        ("open311/v2/", "kotacerdas.reports.open311_urls"),
    )

    def ready(self) -> None:
        from kotacerdas.reports import sms

        sms.register_keywords()
