"""Demo Cirebon Melet: a WiFi point at every kelurahan office and a few public places.

Synthetic: coordinates are scattered around the city centre, not surveyed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import User
from kotacerdas.literacy.demo_classes import build_classes
from kotacerdas.literacy.models import Point
from kotacerdas.literacy.roles import LiteracyRole
from kotacerdas.regions.models import Region
from kotacerdas.web.declarations import DemoContext

CENTRE = (Decimal("-6.7063"), Decimal("108.5570"))
PERSONAS = [
    Persona("wifi.dkis", "Rudi Hartono", LiteracyRole.WIFI_OFFICER, "dkis", "DKIS WiFi officer"),
    Persona(
        "relawan.tik",
        "Nurul Aini",
        LiteracyRole.CLASS_TRAINER,
        "dkis",
        "Relawan TIK: trainer of digital-literacy classes",
    ),
]
PUBLIC_PLACES = [
    ("ALUN1", "Alun-alun Kejaksan", Point.Kind.PUBLIC_SPACE),
    ("GOA01", "Taman Goa Sunyaragi", Point.Kind.PUBLIC_SPACE),
    ("BALKT", "Balai Kota Cirebon", Point.Kind.GOVERNMENT_OFFICE),
    ("SMPN1", "SMP Negeri 1 Cirebon", Point.Kind.SCHOOL),
]


def _near_centre(rng: random.Random) -> tuple[Decimal, Decimal]:
    lat = CENTRE[0] + Decimal(rng.randint(-300, 300)) / 10000
    lng = CENTRE[1] + Decimal(rng.randint(-300, 300)) / 10000
    return lat, lng


def build_points(seed: int = 2018) -> int:
    """A point at each kelurahan office (and a few places), once; returns how many were made."""
    rng = random.Random(seed)
    made = 0
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).order_by("code"))
    places = [
        (f"KEL{i + 1:02d}", f"Kantor Kelurahan {k.name}", Point.Kind.KELURAHAN_OFFICE, k)
        for i, k in enumerate(kelurahan)
    ]
    places += (
        [
            (code, name, kind, kelurahan[i % len(kelurahan)])
            for i, (code, name, kind) in enumerate(PUBLIC_PLACES)
        ]
        if kelurahan
        else []
    )
    for index, (code, name, kind, region) in enumerate(places):
        lat, lng = _near_centre(rng)
        _, created = Point.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "kelurahan": region,
                "latitude": lat,
                "longitude": lng,
                "provider": "Telkom Indonesia",
                "ssid": "Cirebon-Melet",
                "nas_id": f"10.10.{index // 200}.{index % 200 + 1}",
                "installed_on": dt.date(2018, 11, 1),
            },
        )
        made += created
    return made


def build_demo(context: DemoContext) -> list[Persona]:
    """Cirebon Melet's personas and WiFi points (declared on LiteracyConfig.demo)."""
    personas = build_personas(PERSONAS)
    made = build_points(context.seed)
    context.write(f"Cirebon Melet: {made} WiFi points created; public page /melet/wifi/")
    classes = build_classes(context.rng, User.objects.get(username="relawan.tik"))
    context.write(f"Cirebon Melet: {classes} classes created; public page /melet/kelas/")
    return personas
