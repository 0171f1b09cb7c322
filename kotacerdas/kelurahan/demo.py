"""Demo Cirebon Sedulur letters: the Lurah and Sekretaris Lurah of Kejaksan, requests at
every status in RW 01 Kejaksan, issued letters (one revoked, one corrected), agenda
lines, and a year of past letters for the statistics (every kelurahan at city scale).

The requests at every status go through the real actions (audit, numbering, PDF);
the past year is bulk-made with numbers taken in order from each counter, so
the figures look like a kelurahan's year without a long build.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import Role, User
from kotacerdas.kelurahan import numbering, tokens
from kotacerdas.kelurahan.actions import letters, registers
from kotacerdas.kelurahan.actions import requests as actions
from kotacerdas.kelurahan.letterdata import letter_data, mask_name, mask_nik
from kotacerdas.kelurahan.models import Letter, LetterRequest, LetterType, NumberSequence
from kotacerdas.people.models import Person
from kotacerdas.regions.models import Region
from kotacerdas.web.declarations import DemoContext
from kotacerdas.workdays.calendar import add_working_days

KEJAKSAN = "32.74.01.1001"
DEMO_MOTHER_PHONE = "+6281200000001"
PERSONAS = [
    Persona(
        "lurah.kejaksan",
        "Hendra Gunawan",
        Role.LURAH,
        "kel-3274011001",
        "Lurah of Kejaksan: approves and signs letters",
    ),
    Persona(
        "sekkel.kejaksan",
        "Ratna Dewi",
        Role.SEKRETARIS_LURAH,
        "kel-3274011001",
        "Sekretaris Lurah of Kejaksan: second check of letters",
    ),
]
# What the demo requests in RW 01 Kejaksan become: (letter type, where it ends).
PLAN = [
    ("domisili", "ready"),
    ("sktm", "incomplete"),
    ("skck", "checking"),
    ("usaha", "sekretaris"),
    ("pengantar", "lurah"),
    ("penduduk", "collected"),
    ("ktp-proses", "cancelled"),
    ("domisili-usaha", "revoked"),
    ("beda-identitas", "corrected"),
]
EXTRA = {
    "keperluan": "Persyaratan melamar pekerjaan",
    "nama_usaha": "Warung Nasi Jamblang Bu Yati",
    "jenis_usaha": "Warung makan",
    "alamat_usaha": "Jl. Kalibaru Selatan No. 12",
    "dokumen_berbeda": "Ijazah SMA",
    "data_berbeda": "nama tertulis tanpa gelar",
}
PAST_PER_KELURAHAN = {"small": 40, "city": 400}


def _users() -> dict[str, User | None]:
    names = ["rw01.kejaksan", "kel.kejaksan", "sekkel.kejaksan", "lurah.kejaksan"]
    return {name: User.objects.filter(username=name).first() for name in names}


def build_requests() -> int:
    """The requests at every status, once."""
    if LetterRequest.objects.exists():
        return 0
    users = _users()
    rw, officer, sekretaris, lurah = users.values()
    residents = list(
        Person.objects.filter(
            rt__rw__kelurahan_id=KEJAKSAN,
            rt__rw__number=1,
            status=Person.Status.ALIVE,
            birth_date__lt=dt.date(2006, 1, 1),
        ).order_by("pk")[: len(PLAN)]
    )
    mother = Person.objects.filter(phone=DEMO_MOTHER_PHONE, status=Person.Status.ALIVE).first()
    if mother is not None:
        residents = [mother, *[p for p in residents if p.pk != mother.pk][: len(PLAN) - 1]]
    if None in (rw, officer, sekretaris, lurah) or len(residents) < len(PLAN):
        return 0
    for (code, end), person in zip(PLAN, residents, strict=True):
        _walk(LetterType.objects.get(code=code), person, end, rw, officer, sekretaris, lurah)
    return len(PLAN)


def _walk(letter_type: LetterType, person: Person, end: str, *staff: Any) -> None:
    rw, officer, sekretaris, lurah = staff
    data = {f["name"]: EXTRA.get(f["name"], "-") for f in letter_type.extra_fields}
    request = actions.start(
        letter_type=letter_type, person=person, data=data, persons={}, channel="rw", user=rw
    )
    if end == "incomplete":
        actions.send_back(request.pk, officer, "Foto KK terpotong; mohon unggah ulang yang utuh.")
        return
    if end == "cancelled":
        actions.cancel(request.pk, officer, "Pemohon tidak jadi mengurus surat ini.")
        return
    if end == "checking":
        return
    actions.check(request.pk, officer, letter_type.requirements)
    if end == "sekretaris":
        return
    actions.endorse(request.pk, sekretaris)
    if end == "lurah":
        return
    letter = letters.finalise(letters.approve(request.pk, lurah))
    if end == "collected":
        actions.hand_over(request.pk, officer)
    elif end == "revoked":
        letters.revoke(letter.pk, lurah, "Alamat usaha ternyata di luar wilayah kelurahan.")
    elif end == "corrected":
        fixed = letters.correct(
            letter.pk, lurah, {"data_berbeda": "nama tertulis dengan gelar S.Pd."}, "Salah tulis"
        )
        letters.finalise(fixed)


def build_agenda() -> int:
    officer = User.objects.filter(username="kel.kejaksan").first()
    kejaksan = Region.objects.filter(code=KEJAKSAN).first()
    if officer is None or kejaksan is None or kejaksan.pk is None:
        return 0
    from kotacerdas.kelurahan.models import Correspondence

    if Correspondence.objects.exists():
        return 0
    today = timezone.localdate()
    lines = [
        ("in", "DKIS Kota Cirebon", "Undangan rapat Satu Data Kependudukan", "000.1.2"),
        ("in", "Kecamatan Kejaksan", "Edaran jadwal posyandu bulan depan", "400.7"),
        ("out", "Disdukcapil Kota Cirebon", "Laporan mutasi penduduk bulanan", "400.8.3"),
        ("out", "Camat Kejaksan", "Laporan pelayanan surat triwulan", "100.3"),
    ]
    for direction, counterpart, subject, code in lines:
        registers.enter(
            kejaksan,
            officer,
            direction=direction,
            date=today,
            counterpart=counterpart,
            subject=subject,
            classification=code,
            their_number="",
        )
    return len(lines)


def build_history(scale: str, rng: random.Random) -> int:
    """A year of past letters per kelurahan with residents, numbered from each counter."""
    lurah = User.objects.filter(username="lurah.kejaksan").first()
    if lurah is None or Letter.objects.filter(request__channel="counter").exists():
        return 0
    types = list(LetterType.objects.all())
    today = timezone.localdate()
    per = PAST_PER_KELURAHAN.get(scale, PAST_PER_KELURAHAN["small"])
    made = 0
    kelurahan_with_people = (
        Person.objects.filter(status=Person.Status.ALIVE)
        .values("rt__rw__kelurahan_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=5)
    )
    for row in kelurahan_with_people:
        made += _history_of(row["rt__rw__kelurahan_id"], per, types, today, lurah, rng)
    return made


def _history_of(
    code: str, count: int, types: list[LetterType], today: dt.date, lurah: User, rng: random.Random
) -> int:
    kelurahan = Region.objects.select_related("parent").get(code=code)
    people = list(
        Person.objects.filter(rt__rw__kelurahan_id=code, status=Person.Status.ALIVE).select_related(
            "rt__rw", "family"
        )[:500]
    )
    days = sorted(today - dt.timedelta(days=rng.randint(1, 330)) for _ in range(count))
    with transaction.atomic():
        requests, pending = [], []
        for issued_on in days:
            letter_type, person = rng.choice(types), rng.choice(people)
            submitted = issued_on - dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 8]))
            request = LetterRequest(
                code=tokens.new_request_code(),
                letter_type=letter_type,
                person=person,
                data={f["name"]: EXTRA.get(f["name"], "-") for f in letter_type.extra_fields},
                rw=person.rt.rw,
                kelurahan=kelurahan,
                channel="counter",
                status="collected",
                submitted_on=submitted,
                due_on=add_working_days(submitted, letter_type.service_days),
            )
            requests.append(request)
            pending.append((request, issued_on))
        LetterRequest.objects.bulk_create(requests, batch_size=500)
        made = [
            _past_letter(request, issued_on, kelurahan, lurah) for request, issued_on in pending
        ]
        Letter.objects.bulk_create(made, batch_size=500)
    return len(made)


def _past_letter(
    request: LetterRequest, issued_on: dt.date, kelurahan: Region, lurah: User
) -> Letter:
    letter_type = request.letter_type
    scope = numbering.letter_scope(letter_type.code)
    counter, _ = NumberSequence.objects.get_or_create(
        kelurahan=kelurahan, year=issued_on.year, scope=scope
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    number = numbering.format_number(
        letter_type.number_format or "[kode]/[nomor,3]/[kode kelurahan]/[bulan romawi]/[tahun]",
        sequence=counter.last,
        code=letter_type.classification,
        kelurahan=kelurahan,
        date=issued_on,
    )
    valid_until = issued_on + dt.timedelta(days=letter_type.validity_days)
    signer = (lurah.get_full_name(), f"Lurah {kelurahan.name}")
    return Letter(
        request=request,
        letter_type=letter_type,
        template=letter_type.current_version(),
        kelurahan=kelurahan,
        year=issued_on.year,
        sequence=counter.last,
        scope=scope,
        number=number,
        issued_on=issued_on,
        valid_until=valid_until,
        data=letter_data(
            request,
            number=number,
            issued_on=issued_on,
            valid_until=valid_until,
            signer_name=signer[0],
            signer_title=signer[1],
        ),
        masked_name=mask_name(request.person.name),
        masked_nik=mask_nik(request.person.nik or ""),
        signer_name=signer[0],
        signer_title=signer[1],
        token=tokens.new_token(),
        issued_by=lurah,
    )


def _ensure_letter_types() -> None:
    """The twelve types the data migration seeds: again where a test database was
    flushed after its migrations (the browser tests' live server does that)."""
    if LetterType.objects.exists():
        return
    from django.apps import apps

    seeding = importlib.import_module("kotacerdas.kelurahan.migrations.0002_seed_letter_types")
    seeding.seed(apps, None)


def build_demo(context: DemoContext) -> list[Persona]:
    """The Lurah and Sekretaris Lurah, then the letters (declared on KelurahanConfig.demo)."""
    personas = build_personas(PERSONAS)
    _ensure_letter_types()
    context.write(
        f"Letters: {build_requests()} requests along the chain, {build_agenda()} agenda lines"
    )
    context.write(f"  {build_history(context.scale, context.rng)} past letters for the statistics")
    return personas
