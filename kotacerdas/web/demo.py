"""The floor's demo builder: regions, units, the floor's personas, residents.

Declared on ``WebConfig.demo``; the ``demo`` command runs it first (web is the
first installed app), then each service's builder.
"""

from __future__ import annotations

from django.core.management import call_command

from kotacerdas.accounts.demo import PERSONAS, Persona, build_personas, build_units
from kotacerdas.people.demo import build_people
from kotacerdas.people.models import Family, Person
from kotacerdas.regions.demo import build_rw_rt
from kotacerdas.regions.models import RT, Region
from kotacerdas.web.declarations import DemoContext

# Families per RT: ≈ 100,000 families in ≈ 1,360 RT (≈ 73 each) for the city;
# for "small", a few families in the RWs the personas work in, and one elsewhere.
CITY_FAMILIES_PER_RT = (55, 92)
SMALL_KELURAHAN = ["32.74.01.1001", "32.74.03.1002"]


def build_floor(context: DemoContext) -> list[Persona]:
    if not Region.objects.exists():
        call_command("load_regions", stdout=context.out)
    rws, rts = build_rw_rt(context.rng)
    units = build_units()
    personas = build_personas(PERSONAS)
    context.write(f"Regions ready: {rws} RW and {rts} RT created; {units} units created")
    if Person.objects.exists() or Family.objects.exists():
        context.write("Residents already present: left as they are.")
        return personas
    all_rts = list(
        RT.objects.select_related("rw__kelurahan").order_by(
            "rw__kelurahan_id", "rw__number", "number"
        )
    )
    counts = [_families(context, rt) for rt in all_rts]
    plan = [(rt.pk, rt.rw.kelurahan.nik_prefix) for rt in all_rts]
    for families, people in build_people(plan, counts, seed=context.seed):
        context.write(f"  {families:,} families, {people:,} residents", ending="\r")
    context.write("")
    return personas


def _families(context: DemoContext, rt: RT) -> int:
    if context.scale == "city":
        return context.rng.randint(*CITY_FAMILIES_PER_RT)
    if rt.rw.number == 1 and rt.rw.kelurahan_id in SMALL_KELURAHAN:
        return 6
    return 1 if rt.number == 1 and rt.rw.number == 2 else 0
