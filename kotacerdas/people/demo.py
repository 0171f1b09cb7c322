"""Synthetic residents for the demo city: families with Indonesian names,
NIKs consistent with birth date, sex and kecamatan, ages shaped like
Indonesia's population pyramid (SP2020).

Every number here is made up. Fast enough for a whole city: people are made
in memory a batch of families at a time and written with bulk_create.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from kotacerdas.people.models import (
    Education,
    Family,
    MaritalStatus,
    Person,
    Relationship,
    Religion,
    Sex,
)
from kotacerdas.regions.models import RT

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
BIRTH_PLACES = ["Cirebon"] * 14 + ["Indramayu", "Kuningan", "Majalengka", "Brebes", "Bandung", "Jakarta"]
OCCUPATIONS = [
    "Karyawan swasta", "Wiraswasta", "Pedagang", "Buruh harian lepas", "PNS", "Guru",
    "Nelayan", "Sopir", "Perawat", "Mengurus rumah tangga", "Pensiunan", "Pelajar/Mahasiswa",
]
STREETS = [
    "Jl. Siliwangi", "Jl. Kartini", "Jl. Pemuda", "Jl. Cipto Mangunkusumo", "Jl. Kesambi",
    "Jl. Pekiringan", "Jl. Pulasaren", "Jl. Kalijaga", "Jl. Perjuangan", "Gg. Langgar",
    "Gg. Mawar", "Jl. Lemahwungkuk", "Jl. Pasuketan", "Jl. Tuparev", "Jl. Kanggraksan",
]
# Other regencies whose NIKs Cirebon residents often carry (first registered there).
OTHER_PREFIXES = ["320901", "320902", "321201", "320801", "321001", "330101"]
# Share of the population per five-year age group, 0–4 … 75+ (SP2020, rounded).
AGE_GROUPS = [8.1, 8.4, 8.3, 8.1, 8.0, 7.8, 7.7, 7.6, 7.2, 6.4, 5.7, 4.8, 3.8, 2.8, 1.7, 1.6]


@dataclass
class Generator:
    rng: random.Random
    today: dt.date
    serials: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kk_serials: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def age(self, low: int, high: int) -> int:
        """An age in [low, high], weighted by the pyramid."""
        groups = [(i * 5, w) for i, w in enumerate(AGE_GROUPS) if i * 5 + 4 >= low and i * 5 <= high]
        start = self.rng.choices([g for g, _ in groups], [w for _, w in groups])[0]
        return self.rng.randint(max(low, start), min(high, start + 4 if start < 75 else 90))

    def birth_date(self, age: int) -> dt.date:
        return self.today - dt.timedelta(days=age * 365 + self.rng.randint(0, 364))

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

    def person(self, *, sex: str, age: int, rt: RT, address: str, prefix: str, relationship: str, religion: str) -> Person:
        birth = self.birth_date(age)
        # Most residents were first registered in their own kecamatan; some elsewhere.
        nik_prefix = prefix if self.rng.random() < 0.88 else self.rng.choice(OTHER_PREFIXES)
        adult = age >= 17
        return Person(
            nik=self.nik(nik_prefix, birth, sex) if age >= 1 or self.rng.random() < 0.6 else None,
            name=self.name(sex),
            sex=sex,
            birth_date=birth,
            birth_place=self.rng.choice(BIRTH_PLACES),
            religion=religion,
            education=self._education(age),
            occupation=self.rng.choice(OCCUPATIONS) if adult else ("Pelajar/Mahasiswa" if age >= 6 else ""),
            marital_status=MaritalStatus.MARRIED if relationship in {"1", "2", "3"} and adult else MaritalStatus.SINGLE,
            phone=f"+628{self.rng.randint(11, 59)}{self.rng.randint(10_000_000, 99_999_999)}" if adult and self.rng.random() < 0.7 else "",
            rt=rt,
            address=address,
            relationship=relationship,
        )

    def _education(self, age: int) -> str:
        if age < 7:
            return Education.NONE
        if age < 13:
            return Education.SD
        if age < 16:
            return Education.SMP
        return self.rng.choices(
            [Education.SD, Education.SMP, Education.SMA, Education.DIPLOMA, Education.BACHELOR, Education.MASTER],
            [20, 22, 38, 6, 12, 2],
        )[0]

    def household(self, rt: RT, prefix: str) -> tuple[Family, list[Person]]:
        address = f"{self.rng.choice(STREETS)} No. {self.rng.randint(1, 180)}"
        family = Family(kk_number=self.kk(prefix), rt=rt, address=address)
        religion = self.rng.choices(Religion.values, [93, 3, 2, 0.2, 1.3, 0.4, 0.1])[0]
        kw = {"rt": rt, "address": address, "prefix": prefix, "religion": religion}
        roll = self.rng.random()
        members: list[Person] = []
        if roll < 0.08:  # one person living alone
            members.append(self.person(sex=self.rng.choice(Sex.values), age=self.age(20, 85), relationship=Relationship.HEAD, **kw))
            return family, members
        head_age = self.age(22, 75)
        female_head = roll < 0.16  # widows and single mothers head about one family in twelve
        members.append(self.person(sex=Sex.FEMALE if female_head else Sex.MALE, age=head_age, relationship=Relationship.HEAD, **kw))
        mother_age = head_age
        if not female_head:
            mother_age = max(18, min(80, head_age - self.rng.randint(-2, 7)))
            members.append(self.person(sex=Sex.FEMALE, age=mother_age, relationship=Relationship.WIFE, **kw))
        childbearing = range(max(0, mother_age - 44), max(0, mother_age - 17) + 1)
        for _ in range(self.rng.choices([0, 1, 2, 3, 4], [10, 22, 34, 22, 12])[0]):
            if len(childbearing) == 0:
                break
            members.append(self.person(sex=self.rng.choice(Sex.values), age=self.rng.choice(childbearing), relationship=Relationship.CHILD, **kw))
        if head_age <= 62 and self.rng.random() < 0.1:
            members.append(self.person(sex=self.rng.choice(Sex.values), age=self.age(max(60, head_age + 18), 90), relationship=Relationship.PARENT, **kw))
        return family, members


def build_people(rts: list[RT], families_per_rt: list[int], *, seed: int = 1, batch_families: int = 2500) -> Iterator[tuple[int, int]]:
    """Create the households RT by RT; yields (families, people) so far."""
    generator = Generator(rng=random.Random(seed), today=dt.date.today())
    plan = [(rt, count) for rt, count in zip(rts, families_per_rt, strict=True) for _ in range(count)]
    families_done = people_done = 0
    for start in range(0, len(plan), batch_families):
        households = [
            generator.household(rt, rt.rw.kelurahan.nik_prefix) for rt, _ in plan[start : start + batch_families]
        ]
        with transaction.atomic():
            families = Family.objects.bulk_create([family for family, _ in households])
            people = []
            for family, (_, members) in zip(families, households, strict=True):
                for member in members:
                    member.family = family
                    people.append(member)
            Person.objects.bulk_create(people, batch_size=5000)
        families_done += len(families)
        people_done += len(people)
        yield families_done, people_done
