"""Synthetic residents for the demo city: families with Indonesian names,
NIKs consistent with birth date, sex and kecamatan, ages shaped like
Indonesia's population pyramid (SP2020).

Every number here is made up. A whole city (≈ 340,000 residents) takes well
under a minute on PostgreSQL: households are generated as plain rows, not
model instances, and streamed into the tables with COPY in one transaction
while the next ones are being generated. Other databases (SQLite for
`make run`) get the same rows through bulk_create.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from kotacerdas.people.models import (
    Education,
    Family,
    MaritalStatus,
    Person,
    Relationship,
    Religion,
    Sex,
)

MALE_NAMES = (
    "Ahmad Agus Budi Dedi Asep Wawan Eko Hendra Iwan Joko Rudi Slamet Bambang Teguh Yusuf "
    "Ridwan Fajar Rizki Dimas Arif Herman Sutisna Cecep Ujang Dadang Kusnadi Nana Rahmat "
    "Irfan Aditya Bayu Galih Ilham Naufal Rafi Farhan Haikal Zidan Alif Raka"
).split()
FEMALE_NAMES = (
    "Siti Nur Sri Dewi Rina Yuli Ani Tuti Eni Wati Ratna Lilis Euis Imas Neneng Kokom "
    "Fitri Ayu Indah Rika Nia Desi Putri Aisyah Nabila Salsabila Zahra Aulia Dinda Rahma "
    "Kartini Suminah Warsinah Titin Yati Nurhayati Sulastri Khofifah Anisa Citra"
).split()
SECOND_NAMES = (
    "Hidayat Saputra Permana Kurniawan Setiawan Nugraha Rahayu Suryani Lestari Wahyuni "
    "Pratama Maulana Ramadhan Hakim Firmansyah Gunawan Sudrajat Wijaya Kusuma Rohman "
    "Fauzi Hasanah Rohmah Maesaroh Mulyani Nurjanah Purnama Sukmawati Sopian Syarifudin"
).split()
BIRTH_PLACES = ["Cirebon"] * 14 + [
    "Indramayu",
    "Kuningan",
    "Majalengka",
    "Brebes",
    "Bandung",
    "Jakarta",
]
OCCUPATIONS = [
    "Karyawan swasta",
    "Wiraswasta",
    "Pedagang",
    "Buruh harian lepas",
    "PNS",
    "Guru",
    "Nelayan",
    "Sopir",
    "Perawat",
    "Mengurus rumah tangga",
    "Pensiunan",
    "Pelajar/Mahasiswa",
]
STREETS = [
    "Jl. Siliwangi",
    "Jl. Kartini",
    "Jl. Pemuda",
    "Jl. Cipto Mangunkusumo",
    "Jl. Kesambi",
    "Jl. Pekiringan",
    "Jl. Pulasaren",
    "Jl. Kalijaga",
    "Jl. Perjuangan",
    "Gg. Langgar",
    "Gg. Mawar",
    "Jl. Lemahwungkuk",
    "Jl. Pasuketan",
    "Jl. Tuparev",
    "Jl. Kanggraksan",
]
# Other regencies whose NIKs Cirebon residents often carry (first registered there).
OTHER_PREFIXES = ["320901", "320902", "321201", "320801", "321001", "330101"]
# Share of the population per five-year age group, 0–4 … 75+ (SP2020, rounded).
AGE_GROUPS = [8.1, 8.4, 8.3, 8.1, 8.0, 7.8, 7.7, 7.6, 7.2, 6.4, 5.7, 4.8, 3.8, 2.8, 1.7, 1.6]
OLDEST = 90
ADULT_EDUCATION = (
    [
        Education.SD,
        Education.SMP,
        Education.SMA,
        Education.DIPLOMA,
        Education.BACHELOR,
        Education.MASTER,
    ],
    list(itertools.accumulate([20, 22, 38, 6, 12, 2])),
)
RELIGIONS = (Religion.values, list(itertools.accumulate([93, 3, 2, 0.2, 1.3, 0.4, 0.1])))
CHILDREN = ([0, 1, 2, 3, 4], list(itertools.accumulate([20, 27, 31, 15, 7])))
MARRIED_RELATIONSHIPS = {Relationship.HEAD, Relationship.HUSBAND, Relationship.WIFE}

# The columns the generator fills, in this order (plus family, created_at, updated_at).
PERSON_FIELDS = (
    "nik",
    "name",
    "sex",
    "birth_date",
    "birth_place",
    "religion",
    "education",
    "occupation",
    "marital_status",
    "phone",
    "rt_id",
    "address",
    "relationship",
)
FAMILY_FIELDS = ("kk_number", "rt_id", "address")
PersonRow = tuple[str | None, str, str, dt.date, str, str, str, str, str, str, int, str, str]
FamilyRow = tuple[str, int, str]


class Home(NamedTuple):
    """What the members of one household share."""

    rt_id: int
    address: str
    prefix: str  # NIK prefix of the kecamatan
    religion: str


@cache
def _age_groups(low: int, high: int) -> tuple[list[int], list[float]]:
    """Start ages and cumulative weights of the pyramid's groups that overlap [low, high]."""
    starts, weights = [], []
    for i, weight in enumerate(AGE_GROUPS):
        start = i * 5
        end = OLDEST if i == len(AGE_GROUPS) - 1 else start + 4
        if end >= low and start <= high:
            starts.append(start)
            weights.append(weight)
    return starts, list(itertools.accumulate(weights))


@dataclass
class Generator:
    rng: random.Random
    today: dt.date
    serials: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kk_serials: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def age(self, low: int, high: int) -> int:
        """An age in [low, high], weighted by the pyramid."""
        high = min(high, OLDEST)
        low = min(low, high)
        starts, cumulative = _age_groups(low, high)
        start = self.rng.choices(starts, cum_weights=cumulative)[0]
        end = OLDEST if start == (len(AGE_GROUPS) - 1) * 5 else start + 4
        return self.rng.randint(max(low, start), min(high, end))

    def birth_date(self, age: int) -> dt.date:
        return self.today - dt.timedelta(days=age * 365 + int(self.rng.random() * 365))

    def nik(self, prefix: str, birth: dt.date, sex: str) -> str:
        day = birth.day + (40 if sex == Sex.FEMALE else 0)
        head = f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        self.serials[head] += 1
        return f"{head}{self.serials[head]:04d}"

    def kk(self, prefix: str) -> str:
        issued = self.today - dt.timedelta(days=self.rng.randint(30, 20 * 365))
        head = f"{prefix}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        self.kk_serials[head] += 1
        return f"{head}{self.kk_serials[head]:04d}"

    def name(self, sex: str) -> str:
        first = self.rng.choice(MALE_NAMES if sex == Sex.MALE else FEMALE_NAMES)
        return f"{first} {self.rng.choice(SECOND_NAMES)}"

    def person(
        self,
        *,
        home: Home,
        sex: str,
        age: int,
        relationship: str,
    ) -> PersonRow:
        rng = self.rng
        birth = self.birth_date(age)
        # Most residents were first registered in their own kecamatan; some elsewhere.
        nik_prefix = home.prefix if rng.random() < 0.88 else rng.choice(OTHER_PREFIXES)
        adult = age >= 17
        phone = ""
        if adult and rng.random() < 0.7:
            phone = f"+628{rng.randrange(11, 60)}{rng.randrange(10_000_000, 100_000_000)}"
        return (
            self.nik(nik_prefix, birth, sex) if age >= 1 or rng.random() < 0.6 else None,
            self.name(sex),
            sex,
            birth,
            rng.choice(BIRTH_PLACES),
            home.religion,
            self._education(age),
            rng.choice(OCCUPATIONS) if adult else ("Pelajar/Mahasiswa" if age >= 6 else ""),
            MaritalStatus.MARRIED
            if relationship in MARRIED_RELATIONSHIPS and adult
            else MaritalStatus.SINGLE,
            phone,
            home.rt_id,
            home.address,
            relationship,
        )

    def _education(self, age: int) -> str:
        if age < 7:
            return Education.NONE
        if age < 13:
            return Education.SD
        if age < 16:
            return Education.SMP
        return self.rng.choices(ADULT_EDUCATION[0], cum_weights=ADULT_EDUCATION[1])[0]

    def household(self, rt_id: int, prefix: str) -> tuple[FamilyRow, list[PersonRow]]:
        rng = self.rng
        address = f"{rng.choice(STREETS)} No. {rng.randint(1, 180)}"
        family = (self.kk(prefix), rt_id, address)
        religion = rng.choices(RELIGIONS[0], cum_weights=RELIGIONS[1])[0]
        home = Home(rt_id, address, prefix, religion)
        roll = rng.random()
        members: list[PersonRow] = []
        sexes = Sex.values
        if roll < 0.08:  # one person living alone
            members.append(
                self.person(
                    sex=rng.choice(sexes),
                    age=self.age(20, 85),
                    relationship=Relationship.HEAD,
                    home=home,
                )
            )
            return family, members
        head_age = self.age(22, 75)
        female_head = roll < 0.16  # widows and single mothers head about one family in twelve
        members.append(
            self.person(
                sex=Sex.FEMALE if female_head else Sex.MALE,
                age=head_age,
                relationship=Relationship.HEAD,
                home=home,
            )
        )
        mother_age = head_age
        if not female_head:
            mother_age = max(18, min(80, head_age - rng.randint(-2, 7)))
            members.append(
                self.person(
                    sex=Sex.FEMALE, age=mother_age, relationship=Relationship.WIFE, home=home
                )
            )
        childbearing = range(max(0, mother_age - 44), max(0, mother_age - 17) + 1)
        for _ in range(rng.choices(CHILDREN[0], cum_weights=CHILDREN[1])[0]):
            if len(childbearing) == 0:
                break
            members.append(
                self.person(
                    sex=rng.choice(sexes),
                    age=rng.choice(childbearing),
                    relationship=Relationship.CHILD,
                    home=home,
                )
            )
        if head_age <= 62 and rng.random() < 0.1:
            members.append(
                self.person(
                    sex=rng.choice(sexes),
                    age=self.age(max(60, head_age + 18), OLDEST),
                    relationship=Relationship.PARENT,
                    home=home,
                )
            )
        return family, members


def build_people(
    rts: Sequence[tuple[int, str]],
    families_per_rt: Sequence[int],
    *,
    seed: int = 1,
    batch_families: int = 5000,
) -> Iterator[tuple[int, int]]:
    """Create the households, RT by RT, in one transaction; yields (families, people) so far.

    ``rts`` are (RT id, NIK prefix of its kecamatan). Call on an empty register:
    the NIK and No. KK serials start at 1.
    """
    generator = Generator(rng=random.Random(seed), today=timezone.localdate())
    plan = [rt for rt, count in zip(rts, families_per_rt, strict=True) for _ in range(count)]
    batches = (
        [
            generator.household(rt_id, prefix)
            for rt_id, prefix in plan[start : start + batch_families]
        ]
        for start in range(0, len(plan), batch_families)
    )
    if connection.vendor == "postgresql":
        yield from _copy(batches, len(plan))
        with connection.cursor() as cursor:
            # Fresh statistics, or the first queries plan for empty tables.
            cursor.execute(f"ANALYZE {Family._meta.db_table}, {Person._meta.db_table}")
    else:
        yield from _bulk_create(batches)


NULL = "\\N"  # COPY's text format
Batches = Iterator[list[tuple[FamilyRow, list[PersonRow]]]]


def _bulk_create(batches: Batches) -> Iterator[tuple[int, int]]:
    families_done = people_done = 0
    for households in batches:
        with transaction.atomic():
            families = Family.objects.bulk_create(
                [Family(**dict(zip(FAMILY_FIELDS, row, strict=True))) for row, _ in households]
            )
            people = [
                Person(family=family, **dict(zip(PERSON_FIELDS, member, strict=True)))
                for family, (_, members) in zip(families, households, strict=True)
                for member in members
            ]
            Person.objects.bulk_create(people, batch_size=5000)
        families_done += len(families)
        people_done += len(people)
        yield families_done, people_done


def _copy(batches: Batches, total_families: int) -> Iterator[tuple[int, int]]:
    """Stream people with COPY while the next batch is generated; families go last.

    Django's foreign keys on PostgreSQL are DEFERRABLE INITIALLY DEFERRED, so
    people may reference families that are copied later in the same transaction.
    """
    now = timezone.now().isoformat()
    families_done = people_done = 0
    family_lines: list[str] = []
    person_columns = ", ".join((*PERSON_FIELDS, "family_id", "status", "created_at", "updated_at"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Family._meta.db_table, total_families],
        )
        family_ids = iter([row[0] for row in cursor.fetchall()])
        tail = f"\t{Person.Status.ALIVE}\t{now}\t{now}\n"
        with cursor.copy(f"COPY {Person._meta.db_table} ({person_columns}) FROM STDIN") as copy:
            for households in batches:
                lines = []
                for (kk_number, rt_id, address), members in households:
                    family_id = next(family_ids)
                    family_lines.append(
                        f"{family_id}\t{kk_number}\t{rt_id}\t{address}\t{now}\t{now}\n"
                    )
                    for m in members:
                        lines.append(
                            f"{m[0] or NULL}\t{m[1]}\t{m[2]}\t{m[3].isoformat()}\t{m[4]}\t{m[5]}\t{m[6]}\t"
                            f"{m[7]}\t{m[8]}\t{m[9]}\t{m[10]}\t{m[11]}\t{m[12]}\t{family_id}{tail}"
                        )
                copy.write("".join(lines))
                families_done += len(households)
                people_done += len(lines)
                yield families_done, people_done
        with cursor.copy(
            f"COPY {Family._meta.db_table} (id, kk_number, rt_id, address, created_at, updated_at) FROM STDIN"
        ) as copy:
            copy.write("".join(family_lines))
