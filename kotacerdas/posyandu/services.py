"""E-Posyandu's entries on the home page (web.services appends them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kotacerdas.posyandu.access import is_posyandu_staff


def _anyone(user: object) -> bool:
    return True


def services() -> list[object]:
    from kotacerdas.web.services import Service

    return [
        Service(
            "E-Posyandu",
            _("Posyandu day"),
            _(
                "Children to weigh this month, growth status at once, immunisation due, pregnant women."
            ),
            "posyandu:home",
            is_posyandu_staff,
        ),
        Service(
            "E-Posyandu",
            _("SKDN and stunting"),
            _(
                "Monthly SKDN by posyandu, kelurahan, kecamatan and city; stunting and wasting; alerts."
            ),
            "posyandu:skdn",
            is_posyandu_staff,
        ),
        Service(
            "E-Posyandu",
            _("My child's growth chart"),
            _("Mothers: sign in with the mobile number in the register to see your child's chart."),
            "posyandu:mine",
            _anyone,
        ),
    ]
