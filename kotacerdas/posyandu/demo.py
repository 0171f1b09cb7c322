"""Demo E-Posyandu: a posyandu for each posyandu unit, months of weighings, doses, pregnancies.

Synthetic: each child follows its own growth channel (a z that drifts a
little each month) on the WHO medians, some months are skipped, a few
children falter. Computed with the same code as the entry form.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import Unit, User
from kotacerdas.growth import (
    age_in_completed_months,
    age_in_days,
    classify_all,
    compute_zscores,
    table,
)
from kotacerdas.people.models import Person
from kotacerdas.posyandu import tallies
from kotacerdas.posyandu.actions import (
    FLAG_FIELDS,
    PREGNANCY_DAYS,
    alert_kinds,
    flagged_indicators,
)
from kotacerdas.posyandu.alerts import new_alert
from kotacerdas.posyandu.chart import sd_value
from kotacerdas.posyandu.children import under_five
from kotacerdas.posyandu.models import (
    Alert,
    AntenatalVisit,
    Growth,
    Immunisation,
    Measurement,
    MinimumGain,
    Posyandu,
    Pregnancy,
    ScheduleDose,
    add_months,
)
from kotacerdas.posyandu.roles import PosyanduRole
from kotacerdas.web.declarations import DemoContext

DEMO_MOTHER_PHONE = "+6281200000001"
CADRE = "kader.kejaksan"


def build_posyandu(*, months: int = 6, seed: int = 2017) -> dict[str, int]:
    """Posyandu records, then (once) weighings of the last ``months`` months."""
    created = 0
    puskesmas = {u.region_id: u for u in Unit.objects.filter(kind=Unit.Kind.PUSKESMAS)}
    for unit in Unit.objects.filter(kind=Unit.Kind.POSYANDU, rw__isnull=False).select_related(
        "rw__kelurahan"
    ):
        if Posyandu.objects.filter(unit=unit).exists():
            continue
        rw = unit.rw
        assert rw is not None
        kelurahan = rw.kelurahan
        Posyandu.objects.create(
            unit=unit,
            name=unit.name,
            rw=rw,
            puskesmas=puskesmas.get(kelurahan.parent_id),
            opening_day=5 + int(kelurahan.code[-2:]) % 20,
        )
        created += 1
    counts = {"posyandu": created, "measurements": 0, "doses": 0, "pregnancies": 0}
    if Measurement.objects.exists():
        return counts
    recorder = User.objects.filter(username=CADRE).first() or User.objects.order_by("pk").first()
    if recorder is None:
        return counts
    rng = random.Random(seed)
    with transaction.atomic():
        counts["measurements"] = _weighings(rng, recorder, months)
        counts["doses"] = _doses(rng, recorder)
        counts["pregnancies"] = _pregnancies(rng, recorder)
        _demo_mother()
    return counts


def _kbm() -> list[tuple[int, int]]:
    return list(MinimumGain.objects.order_by("-age_months").values_list("age_months", "grams"))


def _weighings(rng: random.Random, recorder: User, months: int) -> int:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    kbm = _kbm()
    wfa, lhfa = table("wfa"), table("lhfa")
    total = 0
    for posyandu in Posyandu.objects.select_related("rw"):
        kids = list(under_five(today).filter(rt__rw_id=posyandu.rw_id))
        batch: list[Measurement] = []
        for child in kids:
            sex = 1 if child.sex == "M" else 2
            z_w = rng.gauss(-0.4, 1.0)
            z_h = rng.gauss(-0.8, 1.0)
            previous: Measurement | None = None
            for back in range(months - 1, -1, -1):
                month = add_months(this_month, -back)
                day = posyandu.opening_date(month)
                if day > today or day < child.birth_date or rng.random() < 0.15:
                    continue
                days = age_in_days(child.birth_date, day)
                if days > 1826:
                    continue
                z_w += rng.gauss(0, 0.15) - (0.3 if rng.random() < 0.05 else 0)
                z_h += rng.gauss(0, 0.05)
                weight = sd_value(wfa.rows[sex - 1][days], z_w)
                height = sd_value(lhfa.rows[sex - 1][days], z_h)
                measure = "l" if days < 731 else "h"
                m = _measurement(
                    child, posyandu, day, days, round(weight, 2), round(height, 1), measure
                )
                m.vitamin_a = month.month in (2, 8)
                m.recorded_by = recorder
                _growth_in_memory(m, previous, kbm)
                batch.append(m)
                previous = m
            if previous is not None:
                previous.latest = True
        Measurement.objects.bulk_create(batch, batch_size=2000)
        Alert.objects.bulk_create(
            [
                new_alert(m, reasons)
                for m in batch
                if m.month == this_month and (reasons := alert_kinds(m))
            ],
            batch_size=2000,
        )
        total += len(batch)
    return total


def _measurement(
    child: Person,
    posyandu: Posyandu,
    day: dt.date,
    days: int,
    weight: float,
    height: float,
    measure: str,
) -> Measurement:
    scores = compute_zscores(
        1 if child.sex == "M" else 2, age_days=days, weight=weight, lenhei=height, measure=measure
    )
    categories = classify_all(scores)
    flagged = flagged_indicators(scores)
    m = Measurement(
        child=child,
        posyandu=posyandu,
        date=day,
        month=day.replace(day=1),
        age_days=days,
        age_months=age_in_completed_months(child.birth_date, day),
        weight=Decimal(str(weight)),
        lenhei=Decimal(str(height)),
        measure=measure,
        clenhei=scores.clenhei,
        wflh_table=scores.wflh_table or "",
        flags=",".join(flagged),
        flag_confirmed=bool(flagged),
        cat_bb_u=categories["bb_u"].code if "bb_u" in categories else "",
        cat_pb_u=categories["pb_u"].code if "pb_u" in categories else "",
        cat_bb_pb=categories["bb_pb"].code if "bb_pb" in categories else "",
        cat_imt_u=categories["imt_u"].code if "imt_u" in categories else "",
    )
    for code, field in FLAG_FIELDS.items():
        score = getattr(scores, code)
        setattr(m, field, None if score is None else score.z)
    return m


def _growth_in_memory(
    m: Measurement, previous: Measurement | None, kbm: list[tuple[int, int]]
) -> None:
    """As actions._growth, without queries (the demo's months come in order)."""
    if previous is None:
        m.growth = Growth.NEW
    elif previous.month != add_months(m.month, -1):
        m.growth = Growth.SKIPPED
    else:
        gain = round((m.weight - previous.weight) * 1000)
        minimum = next((g for age, g in kbm if age <= m.age_months), None)
        m.gain_grams, m.kbm_grams = gain, minimum
        m.growth = Growth.UP if minimum is not None and gain >= minimum else Growth.NOT_UP
        m.two_t = m.growth == Growth.NOT_UP and previous.growth == Growth.NOT_UP
    m.bgm = m.z_wfa is not None and not m.flags and m.z_wfa < -3


def _doses(rng: random.Random, recorder: User) -> int:
    today = timezone.localdate()
    doses = list(ScheduleDose.objects.filter(active=True))
    given = []
    for posyandu in Posyandu.objects.all():
        for child in under_five(today).filter(rt__rw_id=posyandu.rw_id):
            for dose in doses:
                day = child.birth_date + dt.timedelta(days=dose.age_days + rng.randint(0, 20))
                if day < today and rng.random() < 0.9:
                    given.append(
                        Immunisation(
                            child=child,
                            dose=dose,
                            date=day,
                            posyandu=posyandu,
                            recorded_by=recorder,
                        )
                    )
    Immunisation.objects.bulk_create(given, batch_size=2000)
    return len(given)


def _pregnancies(rng: random.Random, recorder: User) -> int:
    """Two pregnant women in the cadre persona's posyandu: one at risk (KEK, anaemia)."""
    posyandu = Posyandu.objects.filter(unit__code="posyandu-3274011001-01").first()
    if posyandu is None:
        return 0
    today = timezone.localdate()
    women = list(
        Person.objects.filter(
            rt__rw_id=posyandu.rw_id,
            sex="F",
            status=Person.Status.ALIVE,
            birth_date__lte=today - dt.timedelta(days=21 * 365),
            birth_date__gte=today - dt.timedelta(days=34 * 365),
        ).order_by("pk")[:2]
    )
    for i, woman in enumerate(women):
        lmp = today - dt.timedelta(weeks=12 + 14 * i)
        pregnancy = Pregnancy.objects.create(
            woman=woman,
            posyandu=posyandu,
            lmp=lmp,
            edd=lmp + dt.timedelta(days=PREGNANCY_DAYS),
            recorded_by=recorder,
        )
        for k in range(1 + 2 * i):
            AntenatalVisit.objects.create(
                pregnancy=pregnancy,
                date=lmp + dt.timedelta(weeks=8 + 5 * k),
                lila=Decimal("22.8") if i == 1 else Decimal("25.5"),
                systolic=110 + rng.randint(0, 15),
                diastolic=70 + rng.randint(0, 10),
                hb=Decimal("10.4") if i == 1 else Decimal("12.1"),
                weight=Decimal(str(round(rng.uniform(48, 62), 1))),
                recorded_by=recorder,
            )
    return len(women)


def _demo_mother() -> None:
    """One mother with a known number, to try the citizen view of a child's chart."""
    from kotacerdas.posyandu.children import parents_from_family

    posyandu = Posyandu.objects.filter(unit__code="posyandu-3274011001-01").first()
    if posyandu is None:
        return
    for child in under_five().filter(rt__rw_id=posyandu.rw_id, family__isnull=False):
        assert child.family is not None
        mother = parents_from_family(child, child.family.members.all()).mother
        if mother is not None:
            Person.objects.filter(phone=DEMO_MOTHER_PHONE).update(phone="")
            mother.phone = DEMO_MOTHER_PHONE
            mother.save(update_fields=["phone"])
            return


PERSONAS = [
    Persona(
        CADRE,
        "Enok Sumarni",
        PosyanduRole.POSYANDU_CADRE,
        "posyandu-3274011001-01",
        "posyandu cadre, Posyandu Melati Kejaksan (RW 01)",
    ),
    Persona(
        "gizi.pkm",
        "Nina Marlina",
        PosyanduRole.HEALTH_OFFICER,
        "pkm-327401",
        "nutrition officer, Puskesmas Kejaksan (its kecamatan's posyandu)",
    ),
    Persona(
        "gizi.dinkes",
        "Hendra Gunawan",
        PosyanduRole.HEALTH_OFFICER,
        "dinkes",
        "Dinkes health officer: posyandu reports for the whole city",
    ),
]


def build_demo(context: DemoContext) -> list[Persona]:
    """E-Posyandu's personas, then its records (declared on PosyanduConfig.demo)."""
    personas = build_personas(PERSONAS)
    made = build_posyandu(seed=context.seed)
    # The weighings went in by bulk_create, past the actions that keep the tallies.
    tallies.rebuild_weighings()
    tallies.refresh_register()
    context.write(
        f"E-Posyandu: {made['posyandu']} posyandu, {made['measurements']:,} weighings, "
        f"{made['doses']:,} doses, {made['pregnancies']} pregnancies created"
    )
    mother = Person.objects.filter(phone=DEMO_MOTHER_PHONE).first()
    if mother is not None:  # synthetic: printing her NIK is what a tester needs
        context.write(
            f"  Demo mother: {DEMO_MOTHER_PHONE} (NIK {mother.nik}) sees her child's chart"
            " at /posyandu/anak-saya/"
        )
    return personas
