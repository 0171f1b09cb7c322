from __future__ import annotations

import random
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.accounts.demo import DEMO_PASSWORD, build_personas, build_units
from kotacerdas.births.demo import build_births
from kotacerdas.hospital.demo import build_hospital
from kotacerdas.people.demo import build_people
from kotacerdas.people.models import Family, Person
from kotacerdas.posyandu.demo import DEMO_MOTHER_PHONE, build_posyandu
from kotacerdas.regions.demo import build_rw_rt
from kotacerdas.regions.models import RT, Region

# Families per RT: ≈ 100,000 families in ≈ 1,360 RT (≈ 73 each) for the city;
# for "small", a few families in the RWs the personas work in, and one elsewhere.
CITY_FAMILIES_PER_RT = (55, 92)
SMALL_KELURAHAN = ["32.74.01.1001", "32.74.03.1002"]


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic demo city (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "city"], default="small")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo city is synthetic data: it is never made in production.")
        started = time.perf_counter()
        rng = random.Random(seed)
        if not Region.objects.exists():
            call_command("load_regions", stdout=self.stdout)
        rws, rts = build_rw_rt(rng)
        units = build_units()
        personas = build_personas()
        self.stdout.write(f"Regions ready: {rws} RW and {rts} RT created; {units} units created")
        if Person.objects.exists() or Family.objects.exists():
            self.stdout.write("Residents already present: left as they are.")
        else:
            all_rts = list(
                RT.objects.select_related("rw__kelurahan").order_by(
                    "rw__kelurahan_id", "rw__number", "number"
                )
            )
            if scale == "city":
                counts = [rng.randint(*CITY_FAMILIES_PER_RT) for _ in all_rts]
            else:
                counts = [
                    (
                        6
                        if rt.rw.number == 1 and rt.rw.kelurahan_id in SMALL_KELURAHAN
                        else 1
                        if rt.number == 1 and rt.rw.number == 2
                        else 0
                    )
                    for rt in all_rts
                ]
            plan = [(rt.pk, rt.rw.kelurahan.nik_prefix) for rt in all_rts]
            for families, people in build_people(plan, counts, seed=seed):
                self.stdout.write(f"  {families:,} families, {people:,} residents", ending="\r")
                self.stdout.flush()
            self.stdout.write("")
        self.stdout.write(f"Birth reports: {build_births()} made")
        posyandu = build_posyandu(seed=seed)
        self.stdout.write(
            f"E-Posyandu: {posyandu['posyandu']} posyandu, {posyandu['measurements']:,} weighings, "
            f"{posyandu['doses']:,} doses, {posyandu['pregnancies']} pregnancies created"
        )
        mother = Person.objects.filter(phone=DEMO_MOTHER_PHONE).first()
        if mother is not None:  # synthetic: printing her NIK is what a tester needs
            self.stdout.write(
                f"  Demo mother: {DEMO_MOTHER_PHONE} (NIK {mother.nik}) sees her child's chart"
                " at /posyandu/anak-saya/"
            )
        self.stdout.write(build_hospital(rng, scale=scale))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city ({scale}) ready in {elapsed:.1f} s: {Person.objects.count():,} residents."
            )
        )
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for persona in personas:
            self.stdout.write(f"  {persona.username:<18} {persona.what}")
        self.stdout.write(
            "  The TOTP personas use the key in README (or: manage.py totp_code admin)."
        )
