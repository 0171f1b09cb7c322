from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

REGISTER = "kotacerdas.accounts.access.reads_any_register"
SMS_LOG = "kotacerdas.messaging.access.can_read_log"


class WebConfig(ServiceConfig):
    """The floor's own entries (register, citizen sign-in, SMS log, open data), declared
    the way each service declares its own."""

    name = "kotacerdas.web"
    verbose_name = _("Register and SMS")
    home_entries = (
        HomeEntry(
            "Cirebon Sedulur",
            _("Residents register"),
            _("Residents and families of each RW, kept by the RW and kelurahan."),
            "people:person-list",
            REGISTER,
            order=10,
        ),
        HomeEntry(
            "Cirebon Sedulur",
            _("Family cards"),
            _("Families (Kartu Keluarga) and their members."),
            "people:family-list",
            REGISTER,
            order=10,
        ),
        HomeEntry(
            "Cirebon Sedulur",
            _("Population statistics"),
            _(
                "Residents by age, sex, education, occupation, religion and marital status, per kelurahan."
            ),
            "people:population-public",
            order=12,
        ),
        HomeEntry(
            _("For citizens"),
            _("Sign in with your mobile number"),
            _("A code by SMS, no password: the start of the services that need to know you."),
            "messaging:citizen-sign-in",
            order=30,
        ),
        HomeEntry(
            _("SMS gateway"),
            _("SMS log"),
            _("Messages in and out, failed messages to send again, daily counts."),
            "messaging:log",
            SMS_LOG,
            order=30,
        ),
        HomeEntry(
            _("Open data"),
            _("Regions of Kota Cirebon"),
            _("Kecamatan, kelurahan, RW and RT with their official codes (JSON)."),
            "api-1.0.0:list_regions",
            order=90,
        ),
        HomeEntry(
            _("For developers"),
            _("API documentation"),
            _("The platform's JSON API (OpenAPI 3)."),
            "api-1.0.0:openapi-view",
            order=90,
        ),
    )
    nav_links = (
        NavLink(_("Residents"), "people:person-list", REGISTER, order=10),
        NavLink(_("Families"), "people:family-list", REGISTER, order=10),
        NavLink(_("Statistics"), "people:population", REGISTER, order=11),
        NavLink(
            _("Proposed changes"),
            "people:proposal-list",
            "kotacerdas.people.access.can_edit_people",
            order=11,
        ),
        NavLink(_("SMS"), "messaging:log", SMS_LOG, order=90),
    )
    work_items = ("kotacerdas.web.work.register_work", "kotacerdas.web.work.sms_work")
    demo = "kotacerdas.web.demo.build_floor"
    periodic_commands = (
        PeriodicCommand(
            "sms_sweep",
            "* * * * *",
            "SMS: queue again the retries that are due and messages never processed",
        ),
    )

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from kotacerdas.web import discovery

        setting_changed.connect(discovery.clear_caches, dispatch_uid="web.discovery")
