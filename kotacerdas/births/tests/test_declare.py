"""Declaring a birth: the parent online, the midwife for the parent, bad input refused."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.audit.models import AuditEvent
from kotacerdas.births import actions
from kotacerdas.births.models import BirthDocument, Declaration, DocumentKind
from kotacerdas.births.tests.conftest import (
    FATHER_NIK,
    MOTHER_NIK,
    PARENT_PHONE,
    PDF,
    PNG,
    change,
    citizen_client,
    declare,
    form_data,
    upload,
)
from kotacerdas.conftest import KEJAKSAN, signed_in
from kotacerdas.messaging.models import Message
from kotacerdas.messaging.tests.test_one_time_codes import _code_sent
from kotacerdas.people.models import Citizen


def sent_sms(settings) -> list[dict]:
    path = Path(settings.SMS_FILE_PATH)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def id_text(text: str) -> str:
    with translation.override("id"):
        from django.utils.translation import gettext

        return gettext(text)


def claim(client, declaration: Declaration, nik: str = MOTHER_NIK):
    response = client.post(reverse("births:claim", args=[declaration.pk]), {"nik": nik})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_a_parent_declares_uploads_the_documents_and_sends_the_report(
    family, citizen, django_capture_on_commit_callbacks
):
    client = citizen_client(citizen)
    response = declare(client, form_data())
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert declaration.status == Declaration.Status.DRAFT
    assert declaration.declared_by_citizen == citizen
    assert declaration.parent_phone == PARENT_PHONE
    assert declaration.family == family and declaration.rt == family.rt
    assert declaration.mother is not None and declaration.mother.nik == MOTHER_NIK
    assert not declaration.late

    page = client.get(reverse("births:detail", args=[declaration.pk]))
    assert page.status_code == 200
    assert page.context["missing"], "a fresh draft lacks its documents"
    # Sending too early is refused with what is missing.
    client.post(reverse("births:submit", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.DRAFT

    for kind in (DocumentKind.BIRTH_NOTICE, DocumentKind.MARRIAGE, DocumentKind.FAMILY_CARD):
        response = client.post(reverse("births:upload", args=[declaration.pk]), upload(kind))
        assert response.status_code == 302
    assert client.get(reverse("births:detail", args=[declaration.pk])).context["missing"] == []
    client.post(reverse("births:submit", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.SUBMITTED
    assert declaration.submitted_at is not None


def test_documents_are_stored_under_unguessable_names_and_read_only_through_access(
    make_declaration, citizen, other_rw_operator
):
    declaration = make_declaration(citizen=citizen)
    document = declaration.documents.first()
    assert re.fullmatch(r"births/[0-9a-f]{32}\.pdf", document.file.name)
    url = reverse("births:document", args=[declaration.pk, document.pk])
    response = citizen_client(citizen).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="birth.document_read").exists()
    # Someone else's phone, and a staff member of another area: not found.
    stranger = Citizen.objects.create(phone="+6281399998888")
    assert citizen_client(stranger).get(url).status_code == 404
    assert signed_in(other_rw_operator).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 404


def test_a_midwife_starts_a_declaration_and_the_parent_completes_it(
    family, midwife, settings, django_capture_on_commit_callbacks
):
    client = signed_in(midwife)
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = declare(client, data)
    assert response.status_code == 302, response.context["form"].errors
    declaration = Declaration.objects.get()
    assert declaration.channel == "facility"
    assert declaration.declared_by == midwife
    assert declaration.parent_phone == PARENT_PHONE
    # The parent is told by SMS, with no name or number of the family in it.
    message = Message.objects.get(purpose="births:started")
    assert declaration.reference in message.text
    for secret in ("Aisyah", "Siti", MOTHER_NIK, family.kk_number):
        assert secret not in message.text

    # The parent signs in with that number and finds it waiting; it opens with
    # the mother's NIK, and then they may complete it.
    parent = citizen_client(Citizen.objects.create(phone=PARENT_PHONE))
    assert parent.get(reverse("births:start")).context["waiting"] == [declaration]
    claim(parent, declaration)
    assert parent.get(reverse("births:start")).context["declarations"] == [declaration]
    response = parent.post(
        reverse("births:upload", args=[declaration.pk]),
        upload(DocumentKind.FAMILY_CARD, "kk.png", PNG),
    )
    assert response.status_code == 302
    assert declaration.documents.get().content_type == "image/png"


def test_a_parent_signed_out_is_sent_to_sign_in_and_comes_back(
    make_declaration, client, django_capture_on_commit_callbacks
):
    response = client.get(reverse("births:new"))
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("messaging:citizen-sign-in") + "?next=%2Fkelahiran%2Fbaru%2F"
    )
    # The link in the SMS, opened before signing in: any id gives the same answer.
    declaration = make_declaration(documents=False)
    detail = reverse("births:detail", args=[declaration.pk])
    for path in (detail, reverse("births:detail", args=[declaration.pk + 1000])):
        assert client.get(path)["Location"].startswith(reverse("messaging:citizen-sign-in"))
    sign_in = client.get(client.get(detail)["Location"])
    assert f'name="next" value="{detail}"' in sign_in.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_in.request["PATH_INFO"], {"phone": "0812-3456-7890", "next": detail})
    entered = client.post(reverse("messaging:citizen-code"), {"code": _code_sent()})
    assert entered.status_code == 302 and entered["Location"] == detail
    assert client.get(detail).status_code == 200


def test_a_parents_nik_must_be_the_mothers_or_the_fathers(family, citizen):
    response = declare(citizen_client(citizen), form_data(reporter_nik="3274015506880003"))
    assert response.status_code == 200
    assert "reporter_nik" in response.context["form"].errors
    # The earlier steps are a draft; nothing of the refused step is saved.
    assert Declaration.objects.get().reporter_nik == ""


# Bad input: a clear answer in Indonesian, nothing saved -------------------------------


def test_a_birth_date_in_the_future_is_refused(family, citizen):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = declare(citizen_client(citizen), form_data(birth_date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        "Tanggal lahir ada di masa depan. Isikan hari bayi dilahirkan."
    ]
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    ("nik", "problem"),
    [
        ("3274015213950001", "bukan bulan"),  # month 13
        ("9974015203950001", "bukan kode provinsi"),
        ("3274015203950000", "0000"),
        ("32740152039500", "16 angka"),
        ("3274011203950001", "NIK laki-laki"),  # a man's NIK as the mother's
    ],
)
def test_a_mothers_nik_that_cannot_exist_is_refused(family, citizen, nik, problem):
    response = declare(citizen_client(citizen), form_data(mother_nik=nik, reporter_nik=nik))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["mother_nik"])
    assert "NIK ibu" in errors or "NIK" in errors
    assert problem in errors, errors
    # The baby's step is a draft; nothing of the refused mother's step is saved.
    assert Declaration.objects.get().mother_nik == ""


def test_a_30_mb_upload_is_refused_and_nothing_is_stored(make_declaration, citizen, settings):
    declaration = make_declaration(citizen=citizen, documents=False)
    big = SimpleUploadedFile(
        "skl.pdf", PDF + b"0" * (30 * 1024 * 1024), content_type="application/pdf"
    )
    response = citizen_client(citizen).post(
        reverse("births:upload", args=[declaration.pk]), {"kind": "skl", "file": big}
    )
    assert response.status_code == 400
    assert response.context["document_form"].errors["file"] == [
        "Ukuran berkas 30 MB; paling besar 10 MB yang diterima. Kirim pindaian atau foto yang lebih kecil."
    ]
    assert not BirthDocument.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused(make_declaration, citizen, settings):
    declaration = make_declaration(citizen=citizen, documents=False)
    fake = SimpleUploadedFile(
        "skl.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf"
    )
    response = citizen_client(citizen).post(
        reverse("births:upload", args=[declaration.pk]), {"kind": "skl", "file": fake}
    )
    assert response.status_code == 400
    assert response.context["document_form"].errors["file"] == [
        "Berkas ini bukan berkas PDF yang sebenarnya (isinya tidak sesuai dengan namanya)."
    ]
    assert not BirthDocument.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_other_file_types_are_refused(make_declaration, citizen):
    declaration = make_declaration(citizen=citizen, documents=False)
    response = citizen_client(citizen).post(
        reverse("births:upload", args=[declaration.pk]), upload(name="skl.docx")
    )
    assert response.status_code == 400
    assert not BirthDocument.objects.exists()


# The late path -----------------------------------------------------------------------


def test_a_birth_reported_after_the_limit_is_late_and_says_so(make_declaration, citizen, settings):
    settings.BIRTHS_LATE_AFTER_DAYS = 60
    born = timezone.localdate() - dt.timedelta(days=61)
    declaration = make_declaration(citizen=citizen, documents=False, birth_date=born.isoformat())
    assert declaration.late
    client = citizen_client(citizen)
    page = client.get(reverse("births:detail", args=[declaration.pk]))
    with translation.override("id"):
        assert "lebih dari 60 hari" in page.content.decode()
    assert any(DocumentKind.LATE_REQUEST in item.kinds for item in page.context["missing"])


def test_a_report_sent_back_and_fixed_after_the_limit_stays_on_time(
    make_declaration, registrar, settings
):
    """First sent on day 50, sent back, sent again on day 65: reported on time."""
    settings.BIRTHS_LATE_AFTER_DAYS = 60
    born = timezone.localdate() - dt.timedelta(days=65)
    declaration = make_declaration(birth_date=born.isoformat())
    Declaration.objects.filter(pk=declaration.pk).update(
        status=Declaration.Status.NEEDS_CHANGES,
        submitted_at=timezone.now() - dt.timedelta(days=15),
    )
    declaration.refresh_from_db()
    declaration = actions.submit(declaration, request=None)
    assert not declaration.late
    assert declaration.days_to_report == 50


def test_a_birth_on_the_limit_is_on_time(make_declaration, citizen, settings):
    settings.BIRTHS_LATE_AFTER_DAYS = 60
    born = timezone.localdate() - dt.timedelta(days=60)
    assert not make_declaration(citizen=citizen, birth_date=born.isoformat()).late


def test_witnesses_are_needed_with_an_sptjm_instead_of_a_birth_notice(make_declaration, citizen):
    declaration = make_declaration(citizen=citizen, documents=False)
    client = citizen_client(citizen)
    for kind in (DocumentKind.SPTJM_BIRTH, DocumentKind.MARRIAGE, DocumentKind.FAMILY_CARD):
        client.post(reverse("births:upload", args=[declaration.pk]), upload(kind))
    missing = client.get(reverse("births:detail", args=[declaration.pk])).context["missing"]
    assert len(missing) == 1 and "saksi" in str(missing[0].text)


def test_a_sent_report_cannot_be_edited(submitted, citizen):
    client = citizen_client(citizen)
    response = change(client, submitted.pk, form_data(child_name="X"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.child_name == "Aisyah Putri"


def test_a_parent_completing_a_midwifes_report_cannot_change_the_parents_number(
    family, midwife, citizen
):
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    declare(signed_in(midwife), data)
    declaration = Declaration.objects.get()
    parent = citizen_client(citizen)
    claim(parent, declaration)
    response = change(
        parent,
        declaration.pk,
        data | {"parent_phone": "0813-1111-2222", "child_name": "Aisyah Putri Rahma"},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.child_name == "Aisyah Putri Rahma"
    assert declaration.parent_phone == PARENT_PHONE


def test_a_midwife_may_start_without_the_family_card_and_the_parent_completes_it(
    family, midwife, citizen
):
    data = form_data(
        reporter_relation="midwife",
        reporter_nik="3274015506880003",
        reporter_name="Bidan Nur",
        kk_number="",
        address="",
        head_name="",
        mother_birth_date="",
        kelurahan="",
        rw_number="",
        rt_number="",
    )
    response = declare(signed_in(midwife), data)
    assert response.status_code == 302, response.context["form"].errors
    declaration = Declaration.objects.get()
    assert declaration.rt is None and declaration.kk_number == ""
    assert declaration.mother_birth_date == dt.date(1995, 3, 12)  # read from the NIK
    parent = citizen_client(citizen)
    claim(parent, declaration)
    page = parent.get(reverse("births:detail", args=[declaration.pk]))
    assert any(not item.kinds for item in page.context["missing"])
    parent.post(reverse("births:submit", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.DRAFT

    # The parent's form asks for the family card.
    refused = change(parent, declaration.pk, data)
    assert "kk_number" in refused.context["form"].errors
    response = change(
        parent,
        declaration.pk,
        data
        | {
            "kk_number": family.kk_number,
            "address": "Jl. Kartini 5",
            "kelurahan": KEJAKSAN,
            "rw_number": "1",
            "rt_number": "1",
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.family == family and declaration.rt == family.rt


def test_the_new_report_page_for_each_kind_of_user(
    midwife, rw_operator, registrar, outsider, client, citizen
):
    assert client.get(reverse("births:start")).status_code == 200
    assert signed_in(midwife).get(reverse("births:new")).status_code == 200
    assert signed_in(rw_operator).get(reverse("births:new")).status_code == 200
    assert citizen_client(citizen).get(reverse("births:new")).status_code == 200
    # Disdukcapil registers what others report; a member of nothing may not report.
    assert signed_in(registrar, verified=True).get(reverse("births:new")).status_code == 403
    assert signed_in(outsider).get(reverse("births:new")).status_code == 403


def test_a_double_submitted_new_report_saves_one_draft(family, citizen, midwife):
    client = citizen_client(citizen)
    page = client.get(reverse("births:new"))
    key = page.context["form"]["submission_key"].value()
    assert key and f'value="{key}"' in page.text
    data = form_data(submission_key=key)
    first = declare(client, data)
    second = declare(client, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Declaration.objects.count() == 1
    # Someone else replaying the key gets a clear answer, not the parent's draft.
    staff = declare(
        signed_in(midwife),
        form_data(
            submission_key=key,
            reporter_relation="midwife",
            reporter_nik="3274015506880003",
            reporter_name="Bidan Nur",
        ),
    )
    assert staff.status_code == 200 and staff.context["form"].non_field_errors()
    assert Declaration.objects.count() == 1


def test_the_same_document_sent_twice_is_kept_once(make_declaration, citizen, settings):
    declaration = make_declaration(citizen=citizen, documents=False)
    client = citizen_client(citizen)
    for _ in range(2):
        response = client.post(reverse("births:upload", args=[declaration.pk]), upload())
        assert response.status_code == 302
    assert declaration.documents.count() == 1
    media = Path(settings.MEDIA_ROOT)
    assert len([path for path in media.rglob("*") if path.is_file()]) == 1
    # Another file of the same kind is still added.
    client.post(reverse("births:upload", args=[declaration.pk]), upload(content=PDF + b"\n"))
    assert declaration.documents.count() == 2


def test_documents_per_kind_and_per_declaration_are_capped_and_nothing_is_stored_beyond(
    make_declaration, citizen, settings
):
    settings.BIRTHS_MAX_DOCUMENTS_PER_KIND = 2
    settings.BIRTHS_MAX_DOCUMENTS_PER_DECLARATION = 3
    declaration = make_declaration(citizen=citizen, documents=False)
    client = citizen_client(citizen)
    media = Path(settings.MEDIA_ROOT)

    def files() -> int:
        return len([path for path in media.rglob("*") if path.is_file()]) if media.exists() else 0

    for n in range(2):
        response = client.post(
            reverse("births:upload", args=[declaration.pk]), upload(content=PDF + b"\n" * n)
        )
        assert response.status_code == 302
    refused = client.post(
        reverse("births:upload", args=[declaration.pk]), upload(content=PDF + b"\n" * 5)
    )
    assert refused.status_code == 400
    with translation.override("id"):
        assert "2 dokumen jenis ini" in refused.content.decode()
    assert declaration.documents.count() == 2 and files() == 2

    ok = client.post(
        reverse("births:upload", args=[declaration.pk]), upload(DocumentKind.FAMILY_CARD)
    )
    assert ok.status_code == 302
    refused = client.post(
        reverse("births:upload", args=[declaration.pk]), upload(DocumentKind.MARRIAGE)
    )
    assert refused.status_code == 400
    assert "sudah memiliki 3 dokumen" in refused.content.decode()
    assert declaration.documents.count() == 3 and files() == 3


def test_a_citizen_keeps_only_a_few_drafts_open(family, citizen, settings):
    settings.BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN = 2
    client = citizen_client(citizen)
    for _ in range(2):
        assert declare(client, form_data()).status_code == 302
    refused = declare(client, form_data())
    assert refused.status_code == 200
    assert "2 draf yang belum dikirim" in refused.content.decode()
    assert Declaration.objects.filter(declared_by_citizen=citizen).count() == 2
    # A sent report no longer counts as an open draft.
    Declaration.objects.filter(pk=Declaration.objects.first().pk).update(
        status=Declaration.Status.SUBMITTED
    )
    assert declare(client, form_data()).status_code == 302


def _midwife_started(midwife) -> Declaration:
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    assert declare(signed_in(midwife), data).status_code == 302
    return Declaration.objects.get()


def test_a_stranger_holding_the_mistyped_number_sees_no_data_until_the_nik_is_given(
    family, midwife, citizen, settings
):
    declaration = _midwife_started(midwife)
    stranger = citizen_client(citizen)  # signed in with the number the midwife typed
    start = stranger.get(reverse("births:start"))
    assert start.context["declarations"] == [] and start.context["waiting"] == [declaration]
    detail = stranger.get(reverse("births:detail", args=[declaration.pk]))
    assert detail["Location"] == reverse("births:claim", args=[declaration.pk])
    secrets = (MOTHER_NIK, "Aisyah", "Siti", family.kk_number, declaration.address)
    for path in (reverse("births:start"), reverse("births:claim", args=[declaration.pk])):
        page = stranger.get(path).content.decode()
        for secret in secrets:
            assert secret not in page, (path, secret)
    for name in ("edit", "upload", "submit"):
        response = stranger.post(reverse(f"births:{name}", args=[declaration.pk]), upload())
        assert response.status_code == 404, name
    assert stranger.get(reverse("births:edit", args=[declaration.pk])).status_code == 404

    # A wrong NIK is refused and counted; after the limit the report locks.
    settings.BIRTHS_CLAIM_MAX_ATTEMPTS = 3
    wrong = stranger.post(
        reverse("births:claim", args=[declaration.pk]), {"nik": "3274010101900001"}
    )
    assert wrong.status_code == 400
    assert id_text("This NIK is not the mother's or the father's in this report.") in (
        wrong.content.decode()
    )
    declaration.refresh_from_db()
    assert declaration.claim_failures == 1 and declaration.claimed_by is None
    assert AuditEvent.objects.filter(action="birth.claim_failed").count() == 1
    for _ in range(2):
        stranger.post(reverse("births:claim", args=[declaration.pk]), {"nik": "3274010101900001"})
    # Locked: even the right NIK no longer opens it.
    locked = stranger.post(reverse("births:claim", args=[declaration.pk]), {"nik": MOTHER_NIK})
    assert locked.status_code == 400
    declaration.refresh_from_db()
    assert declaration.claimed_by is None and declaration.claim_failures == 3
    assert MOTHER_NIK not in locked.content.decode()
    assert stranger.get(reverse("births:detail", args=[declaration.pk])).status_code == 302

    # Staff send it again: the count starts over and the right NIK opens it.
    page = signed_in(midwife).post(reverse("births:reopen-claim", args=[declaration.pk]))
    assert page.status_code == 302
    declaration.refresh_from_db()
    assert declaration.claim_failures == 0
    claim(stranger, declaration, FATHER_NIK)
    declaration.refresh_from_db()
    assert declaration.claimed_by == citizen and declaration.claimed_at is not None
    assert stranger.get(reverse("births:detail", args=[declaration.pk])).status_code == 200


def test_a_new_number_typed_by_the_midwife_closes_the_report_to_the_old_one(
    family, midwife, citizen
):
    declaration = _midwife_started(midwife)
    parent = citizen_client(citizen)
    claim(parent, declaration)
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    response = change(signed_in(midwife), declaration.pk, data | {"parent_phone": "0813-1111-2222"})
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.claimed_by is None
    assert parent.get(reverse("births:detail", args=[declaration.pk])).status_code == 404


def test_reopening_the_claim_is_for_staff_who_may_change_the_report(
    family, midwife, other_midwife, citizen
):
    declaration = _midwife_started(midwife)
    other = signed_in(other_midwife).post(reverse("births:reopen-claim", args=[declaration.pk]))
    assert other.status_code == 404
    assert citizen_client(citizen).post(
        reverse("births:reopen-claim", args=[declaration.pk])
    ).status_code in (302, 403, 404)


def test_a_citizen_cannot_tell_a_known_family_card_from_an_unknown_one(
    family, citizen, rt, midwife, registrar
):
    """The citizen is asked for the kelurahan, RW and RT whether or not the No. KK
    is in the register, and never sees the RT the register has for it."""
    parent = citizen_client(citizen)
    no_place = {"kelurahan": "", "rw_number": "", "rt_number": ""}
    known = declare(parent, form_data(**no_place))
    unknown = declare(parent, form_data(kk_number="3274010101990009", **no_place))
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert "kelurahan" in known.context["form"].errors
    # The earlier steps are drafts; the refused family card's step saved nothing.
    assert not Declaration.objects.exclude(kk_number="").exists()
    Declaration.objects.all().delete()

    # A citizen who names another RT for a known card sees their own answer, not the register's.
    elsewhere = rt(KEJAKSAN, 2, 2)
    response = declare(parent, form_data(rw_number="2", rt_number="2"))
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.family == family and declaration.rt == elsewhere
    page = parent.get(reverse("births:detail", args=[declaration.pk])).content.decode()
    assert "RT 002 / RW 02" in page and "RT 001" not in page
    # Once sent, Disdukcapil sees where the register has the family card.
    Declaration.objects.filter(pk=declaration.pk).update(status=Declaration.Status.SUBMITTED)
    staff_page = signed_in(registrar, verified=True).get(
        reverse("births:detail", args=[declaration.pk])
    )
    assert "RT 001 / RW 01" in staff_page.content.decode()

    # Staff keep the register's RT from the card (no kelurahan asked).
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    response = declare(signed_in(midwife), data | no_place)
    assert response.status_code == 302
    assert Declaration.objects.latest("pk").rt == family.rt
