"""The dashboard's demo: the heads and the leadership who read it, the city's partners,
agreements and contributions, the masterplan tracker, then every figure computed.

Runs after every service's demo (the dashboard comes after them in
INSTALLED_APPS), so the figures it computes are those of the demo city.
Safe to run again: it adds only what is missing.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import Unit
from kotacerdas.accounts.roles import Role
from kotacerdas.dashboard.models import Agreement, Contribution, MasterplanItem, Partner
from kotacerdas.dashboard.refresh import refresh, years_to_refresh
from kotacerdas.regions.models import Region
from kotacerdas.web.declarations import DemoContext

WALIKOTA_UNIT = "setda"

PERSONAS = [
    Persona("walikota", "Eti Herawati", Role.CITY_LEADER, WALIKOTA_UNIT, "Wali Kota's office"),
    Persona("walidata", "Budi Santoso", Role.DATA_STEWARD, "dkis", "walidata (DKIS)"),
    # lurah.kejaksan comes from the letters' demo (kotacerdas.kelurahan.demo), built before this one.
    Persona("lurah.harjamukti", "Ade Rukmana", Role.LURAH, "kel-3274031002", "Lurah of Harjamukti"),
    Persona("camat.kepala", "Heri Kusnadi", Role.CAMAT, "kec-327401", "Camat of Kejaksan"),
]

# (name, kind, unit code or "", about)
PARTNERS = [
    (
        "Dinas Komunikasi, Informatika dan Statistik",
        "agency",
        "dkis",
        "Walidata; runs Cirebon Melet.",
    ),
    ("Relawan TIK Kota Cirebon", "volunteers", "", "Volunteers of the digital literacy roadshow."),
    ("SMP Negeri 1 Cirebon", "school", "smpn-1-cirebon", "A Wadul Bae reporter school."),
    ("Universitas Swadaya Gunung Jati", "university", "", "Research on the city's open data."),
    (
        "PT Telekomunikasi Indonesia Witel Cirebon",
        "business",
        "",
        "Backhaul for public WiFi (CSR).",
    ),
    ("Pemerintah Kabupaten Badung", "region", "", "Visited for its 987 WiFi points to RT/RW."),
]
# (partner, title, number, signed, years valid, scope, contributions)
AGREEMENTS = [
    (
        "Relawan TIK Kota Cirebon",
        "Roadshow Literasi Digital 22 Kelurahan",
        "555/PKS.12-DKIS/2025",
        dt.date(2025, 3, 3),
        2,
        "Digital literacy classes in every kelurahan, with the four GNLD pillars.",
        [("literacy", "classes", 22, "One class per kelurahan per quarter")],
    ),
    (
        "SMP Negeri 1 Cirebon",
        "Sekolah Pelapor Wadul Bae",
        "400/PKS.07-DP3A/2025",
        dt.date(2025, 7, 14),
        3,
        "Pupils and teachers report harm to children through Wadul Bae; the school names a contact teacher.",
        [("reports", "reporter_school", 1, "Reporter school")],
    ),
    (
        "PT Telekomunikasi Indonesia Witel Cirebon",
        "Nota Kesepahaman Internet Publik",
        "555/MoU.03-DKIS/2024",
        dt.date(2024, 10, 1),
        3,
        "Backhaul for free WiFi points at kelurahan offices and public spaces.",
        [("literacy", "wifi_points", 30, "WiFi points at kelurahan offices and parks")],
    ),
    (
        "Universitas Swadaya Gunung Jati",
        "Kerja Sama Riset Satu Data",
        "070/PKS.02-BAPPEDA/2025",
        dt.date(2025, 2, 10),
        5,
        "Analyses of the published datasets; interns at the walidata.",
        [("dashboard", "datasets", 4, "Analyses of published datasets")],
    ),
]
# (programme, dimension, element, horizon, agency, indicator, figure, target, manual)
MASTERPLAN = [
    (
        "Wadul Bae",
        "society",
        "Community",
        "quick_win",
        "DP3A",
        "Reports received from citizens and schools",
        "reports.reports_received",
        300,
        None,
    ),
    (
        "Cirebon Lengko",
        "living",
        "Health",
        "quick_win",
        "RSD Gunung Jati",
        "Outpatient visits booked online",
        "hospital.bookings",
        2000,
        None,
    ),
    (
        "Brojol Aja Klalen",
        "governance",
        "Pelayanan",
        "quick_win",
        "Disdukcapil",
        "Births registered with an akta at once",
        "births.births_registered",
        400,
        None,
    ),
    (
        "E-Posyandu",
        "living",
        "Health",
        "medium",
        "Dinas Kesehatan",
        "Weighings recorded at posyandu",
        "posyandu.children_weighed",
        3000,
        None,
    ),
    (
        "Cirebon Sedulur",
        "governance",
        "Pelayanan",
        "medium",
        "Kelurahan and kecamatan",
        "Letters issued electronically at the RW",
        "",
        None,
        35,
    ),
    (
        "Cirebon Melet",
        "society",
        "Learning ecosystem",
        "quick_win",
        "DKIS",
        "Free WiFi points (target 50)",
        "",
        None,
        60,
    ),
    (
        "Satu Data Kota Cirebon",
        "governance",
        "Kebijakan",
        "long",
        "DKIS",
        "Datasets published as open data",
        "",
        None,
        20,
    ),
    (
        "Parkir non-tunai",
        "economy",
        "Transaction ecosystem",
        "quick_win",
        "Dinas Perhubungan",
        "Parking points paid without cash",
        "",
        None,
        25,
    ),
]
# A one-page PDF stands in for the scanned MoU (the register keeps the document).
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_demo(context: DemoContext) -> list[Persona]:
    Unit.objects.get_or_create(
        code=WALIKOTA_UNIT,
        defaults={
            "kind": Unit.Kind.AGENCY,
            "name": "Sekretariat Daerah (Wali Kota)",
            "region": Region.objects.get(code="32.74"),
        },
    )
    personas = build_personas(PERSONAS)
    with transaction.atomic():
        partners = build_partners()
        items = build_masterplan()
    context.write(f"Dashboard: {partners} partners, {items} masterplan programmes")
    done = refresh(years_to_refresh(full=True))
    context.write(f"Dashboard: {sum(d.rows for d in done)} figure values computed")
    return personas


def build_partners() -> int:
    units = {
        unit.code: unit for unit in Unit.objects.filter(code__in=[p[2] for p in PARTNERS if p[2]])
    }
    for name, kind, unit, about in PARTNERS:
        Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "unit": units.get(unit), "about": about}
        )
    today = timezone.localdate()
    for partner, title, number, signed, years, scope, contributions in AGREEMENTS:
        owner = Partner.objects.get(name=partner)
        agreement, created = Agreement.objects.get_or_create(
            partner=owner,
            title=title,
            defaults={
                "number": number,
                "signed_on": signed,
                "ends_on": signed.replace(year=signed.year + years),
                "scope": scope,
            },
        )
        if created:
            agreement.document.save(
                f"{number.replace('/', '-')}.pdf", ContentFile(DEMO_PDF), save=False
            )
            agreement.document_type = "application/pdf"
            agreement.save()
            for programme, kind, quantity, description in contributions:
                Contribution.objects.create(
                    partner=owner,
                    agreement=agreement,
                    programme=programme,
                    kind=kind,
                    quantity=quantity,
                    description=description,
                    since=min(signed, today),
                )
    return Partner.objects.count()


def build_masterplan() -> int:
    for order, (
        programme,
        dimension,
        element,
        horizon,
        agency,
        indicator,
        figure,
        target,
        manual,
    ) in enumerate(MASTERPLAN):
        MasterplanItem.objects.get_or_create(
            programme=programme,
            defaults={
                "dimension": dimension,
                "element": element,
                "horizon": horizon,
                "agency": agency,
                "indicator": indicator,
                "figure": figure,
                "target": target,
                "manual_progress": manual,
                "order": order,
            },
        )
    return MasterplanItem.objects.count()
