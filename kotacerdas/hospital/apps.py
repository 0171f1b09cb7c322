from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotacerdas.hospital.roles import HospitalRole
from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig

PROGRAMME = "Cirebon Lengko"
ACCESS = "kotacerdas.hospital.access"
WORK = "kotacerdas.hospital.work"


class HospitalConfig(ServiceConfig):
    name = "kotacerdas.hospital"
    verbose_name = _("Cirebon Lengko (hospital)")
    home_entries = (
        HomeEntry(
            PROGRAMME,
            _("Book a clinic visit at RSD Gunung Jati"),
            _("Choose a clinic, a day and a doctor; get a queue number and follow the queue."),
            "hospital:index",
            order=60,
        ),
        HomeEntry(
            PROGRAMME,
            _("Free beds at RSD Gunung Jati"),
            _("Inpatient beds by room class: total, occupied, free and waiting, live."),
            "hospital:beds",
            order=60,
        ),
        HomeEntry(
            PROGRAMME,
            _("Registration counter"),
            _("Today's sessions, walk-in patients, new patients to register."),
            "hospital:counter",
            f"{ACCESS}.works_at_counter",
            order=60,
        ),
        HomeEntry(
            PROGRAMME,
            _("Clinic queues"),
            _("Call the next patient, call again, skip, mark served."),
            "hospital:clinic-today",
            f"{ACCESS}.works_in_clinics",
            order=60,
        ),
        HomeEntry(
            PROGRAMME,
            _("Nurse station: beds"),
            _("One tap changes a bed's status; the public page follows."),
            "hospital:nurse-station",
            f"{ACCESS}.is_ward_staff",
            order=60,
        ),
    )
    work_items = (f"{WORK}.counter_work", f"{WORK}.clinic_work", f"{WORK}.ward_work")
    nav_links = (
        NavLink(
            pgettext_lazy("staff navigation", "Clinics"),
            "hospital:clinic-today",
            f"{ACCESS}.is_queue_staff",
            60,
        ),
        # The registration clerk's own desk, not behind "Clinics".
        NavLink(
            pgettext_lazy("staff navigation", "Counter"),
            "hospital:counter",
            f"{ACCESS}.works_at_counter",
            60,
        ),
        NavLink(_("Beds"), "hospital:nurse-station", f"{ACCESS}.is_ward_staff", 60),
    )
    roles = HospitalRole
    demo = "kotacerdas.hospital.demo.build_demo"
    periodic_commands = (
        PeriodicCommand(
            "hospital_sessions",
            "15 0 * * *",
            "Cirebon Lengko: dated clinic sessions for the days ahead",
        ),
        PeriodicCommand(
            "hospital_no_shows", "*/15 * * * *", "Cirebon Lengko: no-shows after sessions"
        ),
        PeriodicCommand(
            "hospital_reminders", "*/5 * * * *", "Cirebon Lengko: reminders to patients"
        ),
    )
    url_modules = (("", "kotacerdas.hospital.urls"),)

    def ready(self) -> None:
        from kotacerdas.hospital import receivers, sms
        from kotacerdas.workdays.signals import days_off_changed

        days_off_changed.connect(receivers.close_on_days_off, dispatch_uid="hospital-days-off")
        sms.register_keywords()
