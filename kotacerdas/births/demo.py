"""Demo births: a few declarations in each state, one registered with its akta.

Families of Kelurahan Kejaksan with a mother of childbearing age are picked
from the demo register; the midwife persona ``bidan.kejaksan`` (Puskesmas
Kejaksan) started some, parents others. The parent of the registered birth
signs in with ``DEMO_PARENT_PHONE`` (the code shows at /pesan/berkas/ in
development).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.demo import Persona, build_personas
from kotacerdas.accounts.models import Unit, User
from kotacerdas.births import actions
from kotacerdas.births.certificates import pdf_of
from kotacerdas.births.models import BirthDocument, Channel, Declaration, DocumentKind
from kotacerdas.births.roles import BirthsRole
from kotacerdas.people.models import Citizen, Person, Relationship
from kotacerdas.web.declarations import DemoContext

DEMO_PARENT_PHONE = "+6281200002026"
KELURAHAN = "32.74.01.1001"  # Kejaksan
# A blank one-page PDF standing in for a scanned document.
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# (child's name, sex, days since birth, who declared, how far it went)
PLAN = [
    ("Aisyah Nur Rahmah", "F", 12, "parent", "registered"),
    ("Muhammad Rizki Pratama", "M", 5, "midwife", "submitted"),
    ("Zahra Aulia Putri", "F", 20, "parent", "changes"),
    ("Raka Aditya Saputra", "M", 95, "parent", "late"),
    ("Nabila Salsabila", "F", 2, "midwife", "draft"),
]


def _mothers() -> list[Person]:
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            rt__rw__kelurahan_id=KELURAHAN,
            sex="F",
            relationship=Relationship.WIFE,
            family__isnull=False,
            nik__isnull=False,
            birth_date__range=(
                today - dt.timedelta(days=40 * 365),
                today - dt.timedelta(days=20 * 365),
            ),
        )
        .select_related("family")
        .order_by("id")[: len(PLAN)]
    )


def _father(mother: Person) -> Person | None:
    return (
        Person.objects.filter(family=mother.family, sex="M", relationship=Relationship.HEAD)
        .exclude(nik=None)
        .first()
    )


def _fields(mother: Person, name: str, sex: str, days: int, n: int) -> dict[str, Any]:
    father = _father(mother)
    assert mother.family is not None and mother.nik is not None
    born = timezone.localdate() - dt.timedelta(days=days)
    return {
        "child_name": name,
        "child_sex": sex,
        "birth_date": born,
        "birth_time": dt.time(6 + n, 15),
        "birth_place_type": "2" if n % 2 else "1",
        "birth_place": "Kota Cirebon",
        "birth_facility": "Puskesmas Kejaksan" if n % 2 else "RSD Gunung Jati",
        "birth_order": 1 + n % 3,
        "attendant": "2" if n % 2 else "1",
        "weight_kg": "3.2",
        "length_cm": "49.0",
        "mother": mother,
        "mother_nik": mother.nik,
        "mother_name": mother.name,
        "mother_birth_date": mother.birth_date,
        "mother_occupation": mother.occupation,
        "father": father,
        "father_nik": father.nik if father else "",
        "father_name": father.name if father else "",
        "father_birth_date": father.birth_date if father else None,
        "father_citizenship": "wni" if father else "",
        "kk_number": mother.family.kk_number,
        "family": mother.family,
        "head_name": father.name if father else mother.name,
        "rt": mother.family.rt,
        "address": mother.family.address,
        "reporter_nik": mother.nik,
        "reporter_name": mother.name,
        "reporter_relation": "mother",
        "parent_phone": DEMO_PARENT_PHONE if n == 0 else f"+62812000020{30 + n}",
        "late": days > 60,
    }


def _documents(declaration: Declaration, *kinds: str) -> None:
    for kind in kinds:
        document = BirthDocument(
            declaration=declaration,
            kind=kind,
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=len(SCAN),
            sha256=hashlib.sha256(SCAN).hexdigest(),
        )
        document.file.save(f"{kind}.pdf", ContentFile(SCAN), save=False)
        document.save()


def build_births() -> int:
    """Demo declarations, once (an existing set is left as it is). Returns how many were made."""
    if Declaration.objects.exists():
        return 0
    registrar = User.objects.filter(username="dukcapil").first()
    midwife = User.objects.filter(username="bidan.kejaksan").first()
    puskesmas = Unit.objects.filter(code="pkm-327401").first()
    mothers = _mothers()
    if registrar is None or midwife is None or puskesmas is None or len(mothers) < len(PLAN):
        return 0
    made = 0
    for n, ((name, sex, days, by, state), mother) in enumerate(zip(PLAN, mothers, strict=True)):
        with transaction.atomic():
            fields = _fields(mother, name, sex, days, n)
            if by == "midwife":
                fields.update(
                    channel=Channel.FACILITY,
                    declared_by=midwife,
                    declared_by_unit=puskesmas,
                    reporter_relation="midwife",
                    reporter_name="Nurhayati Suryani",
                )
            else:
                # The parent declared it signed in with their number: it is theirs.
                fields["channel"] = Channel.PARENT
                fields["declared_by_citizen"] = Citizen.objects.get_or_create(
                    phone=fields["parent_phone"]
                )[0]
            declaration = Declaration.objects.create(reference=actions.new_reference(), **fields)
            made += 1
            if state == "draft":
                _documents(declaration, DocumentKind.BIRTH_NOTICE)
                continue
            kinds = [DocumentKind.BIRTH_NOTICE, DocumentKind.FAMILY_CARD]
            if declaration.has_father:
                kinds.append(DocumentKind.MARRIAGE)
            if declaration.late:
                kinds.append(DocumentKind.LATE_REQUEST)
            _documents(declaration, *kinds)
            declaration = actions.submit(declaration, request=None)
            if state == "changes":
                actions.send_back(
                    declaration,
                    "Foto kartu keluarga terpotong di bagian bawah; mohon unggah ulang yang utuh.",
                    actor=registrar,
                    request=None,
                )
            elif state in ("late", "registered"):
                declaration = actions.validate(declaration, actor=registrar, request=None)
            if state == "registered":
                declaration = actions.register(declaration, actor=registrar, request=None)
            if state == "submitted":
                # The father reports the same baby again from his phone: a possible duplicate.
                fields.update(
                    channel=Channel.PARENT,
                    declared_by=None,
                    declared_by_unit=None,
                    declared_by_citizen=Citizen.objects.get_or_create(phone=fields["parent_phone"])[
                        0
                    ],
                    child_name=name.replace("Muhammad", "Muhamad"),
                    reporter_relation="father" if fields["father"] else "mother",
                )
                again = Declaration.objects.create(reference=actions.new_reference(), **fields)
                _documents(again, *kinds)
                actions.submit(again, request=None)
                made += 1
    registered = Declaration.objects.filter(status=Declaration.Status.REGISTERED).first()
    if registered is not None and registered.current_certificate is not None:
        pdf_of(registered.current_certificate)
    return made


PERSONAS = [
    Persona(
        "bidan.kejaksan",
        "Nurhayati Suryani",
        BirthsRole.MIDWIFE,
        "pkm-327401",
        "midwife of Puskesmas Kejaksan: reports births (Brojol)",
    ),
]


def build_demo(context: DemoContext) -> list[Persona]:
    """The midwife, then the demo birth reports (declared on BirthsConfig.demo)."""
    personas = build_personas(PERSONAS)
    context.write(f"Birth reports: {build_births()} made")
    return personas
