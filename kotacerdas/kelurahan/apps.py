from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.web.declarations import HomeEntry, NavLink, ServiceConfig

PROGRAMME = "Cirebon Sedulur"
ACCESS = "kotacerdas.kelurahan.access"


class KelurahanConfig(ServiceConfig):
    name = "kotacerdas.kelurahan"
    verbose_name = _("Cirebon Sedulur: letters")
    home_entries = (
        HomeEntry(
            PROGRAMME,
            _("Kelurahan letters"),
            _(
                "Request a letter (domisili, SKTM, SKCK cover letter …) for yourself or your "
                "children, follow it and download it signed."
            ),
            "kelurahan:citizen-list",
            order=45,
        ),
        HomeEntry(
            PROGRAMME,
            _("Check a kelurahan letter"),
            _("Type the code under a letter's QR code to see whether it is valid."),
            "kelurahan:verify-form",
            order=46,
        ),
        HomeEntry(
            PROGRAMME,
            _("Letter requests"),
            _("Requests of your RW or kelurahan along the chain to the Lurah, and the late ones."),
            "kelurahan:queue",
            f"{ACCESS}.reads_letters",
            order=45,
        ),
    )
    nav_links = (NavLink(_("Letters"), "kelurahan:queue", f"{ACCESS}.reads_letters", 45),)
    work_items = ("kotacerdas.kelurahan.work.letter_work",)
    demo = "kotacerdas.kelurahan.demo.build_demo"
    url_modules = (("", "kotacerdas.kelurahan.urls"),)

    def ready(self) -> None:
        from kotacerdas.kelurahan import sms
        from kotacerdas.kelurahan.receivers import close_open_requests
        from kotacerdas.people.signals import person_left

        sms.register_keywords()
        person_left.connect(close_open_requests, dispatch_uid="kelurahan.close_open_requests")
