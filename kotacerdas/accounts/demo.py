"""Units of the demo city and the floor's personas; each service builds its own personas
with :func:`build_personas` in its demo builder."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts.models import Membership, Role, Unit, User
from kotacerdas.accounts.roles import second_factor_roles
from kotacerdas.regions.models import RW, Region

DEMO_PASSWORD = "cirebon-demo"  # noqa: S105 - printed for everyone; demo refuses production
# A fixed TOTP key for the personas who need a second factor, so a tester can
# add it to an authenticator app once (base32 of these bytes: see README).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test key

CITY = "32.74"
AGENCIES = [
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dinkes", "Dinas Kesehatan"),
    ("dp3a", "DP3A — UPTD Perlindungan Perempuan dan Anak"),
    ("dkis", "Dinas Komunikasi, Informatika dan Statistik"),
    ("bappeda", "Bappelitbangda"),
]


SCHOOLS = [
    ("sdn-kejaksan-1", "SD Negeri Kejaksan 1", "32.74.01.1001"),
    ("smpn-1-cirebon", "SMP Negeri 1 Cirebon", "32.74.01.1003"),
    ("sman-2-cirebon", "SMA Negeri 2 Cirebon", "32.74.05.1003"),
]


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str  # a declared role's code (kotacerdas.accounts.roles)
    unit_code: str
    what: str
    on_duty: bool = False  # receives urgent alerts by SMS


PERSONAS = [
    Persona("admin", "Fajar Nugraha", Role.CITY_ADMIN, "dkis", "city administrator (TOTP)"),
    Persona(
        "dukcapil",
        "Rina Kurniasih",
        Role.REGISTRAR,
        "disdukcapil",
        "Disdukcapil officer, whole city (TOTP)",
    ),
    Persona(
        "kel.kejaksan",
        "Asep Saepudin",
        Role.KELURAHAN_OFFICER,
        "kel-3274011001",
        "Kelurahan Kejaksan officer",
    ),
    Persona(
        "rw01.kejaksan",
        "Dedi Supriatna",
        Role.RW_OPERATOR,
        "rw-3274011001-01",
        "RW 01 Kejaksan operator",
    ),
    Persona(
        "rw01.harjamukti",
        "Yuli Rahmawati",
        Role.RW_OPERATOR,
        "rw-3274031002-01",
        "RW 01 Harjamukti operator",
    ),
    Persona("sms.dkis", "Iwan Setiawan", Role.SMS_OPERATOR, "dkis", "SMS gateway operator"),
    Persona(
        "camat.kejaksan",
        "Wawan Hermawan",
        Role.VIEWER,
        "kec-327401",
        "Kecamatan Kejaksan, read only",
    ),
]


def build_units() -> int:
    """Agencies, offices, puskesmas, schools, posyandu, one unit per RW, the hospital.

    Adds only the units that are missing, so a demo database made by an older
    version gains the units (and personas) added since.
    """
    city = Region.objects.get(code=CITY)
    units = [
        Unit(kind=Unit.Kind.AGENCY, code=code, name=name, region=city) for code, name in AGENCIES
    ]
    units.append(
        Unit(kind=Unit.Kind.HOSPITAL, code="rsd-gunung-jati", name="RSD Gunung Jati", region=city)
    )
    for region in Region.objects.filter(level__in=[Region.Level.KECAMATAN, Region.Level.KELURAHAN]):
        is_kec = region.level == Region.Level.KECAMATAN
        units.append(
            Unit(
                kind=Unit.Kind.KECAMATAN if is_kec else Unit.Kind.KELURAHAN,
                code=f"{'kec' if is_kec else 'kel'}-{region.compact_code}",
                name=f"{'Kecamatan' if is_kec else 'Kelurahan'} {region.name}",
                region=region,
            )
        )
        if is_kec:
            units.append(
                Unit(
                    kind=Unit.Kind.PUSKESMAS,
                    code=f"pkm-{region.compact_code}",
                    name=f"Puskesmas {region.name}",
                    region=region,
                )
            )
    units += [
        Unit(kind=Unit.Kind.SCHOOL, code=code, name=name, region_id=kelurahan)
        for code, name, kelurahan in SCHOOLS
    ]
    for rw in RW.objects.select_related("kelurahan"):
        if rw.number == 1:  # one posyandu per kelurahan is enough to click through
            units.append(
                Unit(
                    kind=Unit.Kind.POSYANDU,
                    code=f"posyandu-{rw.kelurahan.compact_code}-{rw.number:02d}",
                    name=f"Posyandu Melati {rw.kelurahan.name}",
                    rw=rw,
                )
            )
        units.append(
            Unit(
                kind=Unit.Kind.RW,
                code=f"rw-{rw.kelurahan.compact_code}-{rw.number:02d}",
                name=f"RW {rw.number:02d} {rw.kelurahan.name}",
                rw=rw,
            )
        )
    existing = set(Unit.objects.values_list("code", flat=True))
    missing = [unit for unit in units if unit.code not in existing]
    Unit.objects.bulk_create(missing, batch_size=1000)
    return len(missing)


def build_personas(personas: list[Persona]) -> list[Persona]:
    """Users and memberships of ``personas`` (the missing ones); TOTP for those who need it."""
    for persona in personas:
        first_name, _, last_name = persona.full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=persona.username,
            defaults={"is_staff": persona.role == Role.CITY_ADMIN},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = persona.role == Role.CITY_ADMIN
        # Names as the header shows them; an older demo database gets them too.
        if created or (user.first_name, user.last_name) != (first_name, last_name):
            user.first_name, user.last_name = first_name, last_name
            user.save()
        Membership.objects.get_or_create(
            user=user,
            unit=Unit.objects.get(code=persona.unit_code),
            role=persona.role,
            defaults={"on_duty": persona.on_duty},
        )
        if persona.role in second_factor_roles():
            TOTPDevice.objects.get_or_create(
                user=user, defaults={"name": "Demo", "key": DEMO_TOTP_KEY, "confirmed": True}
            )
    return personas
