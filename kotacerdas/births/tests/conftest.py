from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from kotacerdas.accounts.models import Role, Unit, User
from kotacerdas.births import actions
from kotacerdas.births.forms import DeclarationForm, DocumentForm
from kotacerdas.births.models import Declaration, DocumentKind
from kotacerdas.births.roles import BirthsRole
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen, Family, Person

MOTHER_NIK = "3274015203950001"  # a woman born 12-03-1995
FATHER_NIK = "3274010407920002"  # a man born 04-07-1992
KK = "3274011203150001"
PARENT_PHONE = "+6281234567890"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BIRTHS_PUBLIC_BASE_URL = "http://testserver"


def _unit(kind: str, code: str, region: str) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": code, "region_id": region}
    )
    return unit


@pytest.fixture
def puskesmas(city: Any) -> Unit:
    return _unit("puskesmas", "pkm-327401", "32.74.01")


@pytest.fixture
def midwife(make_member: Callable[..., User], puskesmas: Unit) -> User:
    return make_member("bidan", BirthsRole.MIDWIFE, puskesmas)


@pytest.fixture
def other_midwife(make_member: Callable[..., User]) -> User:
    return make_member("bidan2", BirthsRole.MIDWIFE, _unit("puskesmas", "pkm-327403", "32.74.03"))


@pytest.fixture
def registry_viewer(make_member: Callable[..., User]) -> User:
    """Read-only member of Disdukcapil (a head of section)."""
    return make_member("dukcapil-baca", Role.VIEWER, _unit("agency", "disdukcapil", "32.74"))


@pytest.fixture
def family(rt: Callable[..., Any], city: Any) -> Family:
    home = rt(KEJAKSAN, 1, 1)
    family = Family.objects.create(kk_number=KK, rt=home, address="Jl. Kartini 5")
    Person.objects.create(
        nik=FATHER_NIK,
        name="Budi Santoso",
        sex="M",
        birth_date=dt.date(1992, 7, 4),
        birth_place="Cirebon",
        rt=home,
        address=family.address,
        family=family,
        relationship="1",
    )
    Person.objects.create(
        nik=MOTHER_NIK,
        name="Siti Aminah",
        sex="F",
        birth_date=dt.date(1995, 3, 12),
        birth_place="Cirebon",
        rt=home,
        address=family.address,
        family=family,
        relationship="3",
    )
    return family


@pytest.fixture
def other_family(rt: Callable[..., Any], city: Any) -> Family:
    return Family.objects.create(
        kk_number="3274031203150002", rt=rt(HARJAMUKTI, 1, 1), address="Jl. Pramuka 2"
    )


@pytest.fixture
def citizen(db: Any) -> Citizen:
    return Citizen.objects.get_or_create(phone=PARENT_PHONE)[0]


def citizen_client(citizen: Citizen) -> Client:
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    return client


def form_data(**overrides: Any) -> dict[str, Any]:
    born = timezone.localdate() - dt.timedelta(days=3)
    data = {
        "child_name": "Aisyah Putri",
        "child_sex": "F",
        "birth_date": born.isoformat(),
        "birth_time": "07:45",
        "birth_place_type": "2",
        "birth_place": "Kota Cirebon",
        "birth_facility": "Puskesmas Kejaksan",
        "birth_type": "1",
        "birth_order": "2",
        "attendant": "2",
        "weight_kg": "3.1",
        "length_cm": "49",
        "mother_nik": MOTHER_NIK,
        "mother_name": "Siti Aminah",
        "mother_birth_date": "1995-03-12",
        "mother_occupation": "Mengurus rumah tangga",
        "mother_citizenship": "wni",
        "father_nik": FATHER_NIK,
        "father_name": "Budi Santoso",
        "father_birth_date": "1992-07-04",
        "father_occupation": "Wiraswasta",
        "father_citizenship": "wni",
        "marriage_date": "2018-05-20",
        "kk_number": KK,
        "kelurahan": KEJAKSAN,
        "rw_number": "1",
        "rt_number": "1",
        "head_name": "Budi Santoso",
        "address": "Jl. Kartini 5",
        "reporter_nik": MOTHER_NIK,
        "reporter_name": "Siti Aminah",
        "reporter_relation": "mother",
        "parent_phone": "0812-3456-7890",
    }
    data.update(overrides)
    return data


def _walk(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Post the same answers to each step in turn, as a person pressing "save and
    continue" on every page: the first response that is not the next step."""
    step_url = re.compile(r"^/kelahiran/\d+/langkah/[a-z]+/$")
    while True:
        response = client.post(url, data)
        if response.status_code != 302 or not step_url.match(response["Location"]):
            return response
        url = response["Location"]


def declare(client: Client, data: dict[str, Any]) -> Any:
    """A new report through every step (the baby first, the reporter last)."""
    return _walk(client, reverse("births:new"), data)


def change(client: Client, declaration_id: int, data: dict[str, Any]) -> Any:
    """A draft changed through every step, from the first."""
    return _walk(client, reverse("births:step", args=[declaration_id, "bayi"]), data)


def upload(
    kind: str = DocumentKind.BIRTH_NOTICE, name: str = "skl.pdf", content: bytes = PDF
) -> dict[str, Any]:
    return {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")}


@pytest.fixture
def make_declaration(family: Family, db: Any) -> Callable[..., Declaration]:
    """A declaration saved as a parent would, with its documents (``documents=False``: none)."""

    def make(
        *, citizen: Citizen | None = None, documents: bool = True, **overrides: Any
    ) -> Declaration:
        citizen = citizen or Citizen.objects.get_or_create(phone=PARENT_PHONE)[0]
        form = DeclarationForm(data=form_data(**overrides), as_parent=True)
        assert form.is_valid(), form.errors
        declaration = actions.save_declaration(form, request=None, citizen=citizen)
        if documents:
            kinds = [DocumentKind.BIRTH_NOTICE, DocumentKind.MARRIAGE, DocumentKind.FAMILY_CARD]
            if declaration.late:
                kinds.append(DocumentKind.LATE_REQUEST)
            for kind in kinds:
                document_form = DocumentForm(
                    data={"kind": kind}, files=MultiValueDict({"file": [upload(kind)["file"]]})
                )
                assert document_form.is_valid(), document_form.errors
                actions.add_document(declaration, document_form, request=None)
        return declaration

    return make


@pytest.fixture
def submitted(make_declaration: Callable[..., Declaration]) -> Declaration:
    return actions.submit(make_declaration(), request=None)


@pytest.fixture
def validated(submitted: Declaration, registrar: User) -> Declaration:
    return actions.validate(submitted, actor=registrar, request=None)


@pytest.fixture
def registered(
    validated: Declaration, registrar: User, django_capture_on_commit_callbacks: Any
) -> Declaration:
    with django_capture_on_commit_callbacks(execute=True):
        return actions.register(validated, actor=registrar, request=None)
