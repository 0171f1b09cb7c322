"""Wadul Bae's demo: its personas (reports come in through the pages and SMS)."""

from __future__ import annotations

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import Role
from kotacerdas.reports.roles import ReportsRole
from kotacerdas.web.declarations import DemoContext

PERSONAS = [
    Persona(
        "ppa.petugas",
        "Sari Wulandari",
        ReportsRole.PROTECTION_OFFICER,
        "dp3a",
        "protection officer, on duty (TOTP)",
        on_duty=True,
    ),
    Persona(
        "guru.sdn1",
        "Ratna Komalasari",
        ReportsRole.SCHOOL_COORDINATOR,
        "sdn-kejaksan-1",
        "Wadul Bae coordinator of SD Negeri Kejaksan 1",
    ),
    Persona(
        "ppa.kepala",
        "Tati Suhartini",
        Role.VIEWER,
        "dp3a",
        "head of the protection unit, read only",
    ),
]


def build_demo(context: DemoContext) -> list[Persona]:
    return build_personas(PERSONAS)
