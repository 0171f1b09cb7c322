"""Disdukcapil's work: queues, decisions, registration, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kotacerdas.births import actions
from kotacerdas.births.models import Certificate, Declaration
from kotacerdas.births.tests.conftest import (
    KK,
    MOTHER_NIK,
    change,
    citizen_client,
    declare,
    form_data,
    upload,
)
from kotacerdas.conftest import signed_in
from kotacerdas.messaging.models import Message
from kotacerdas.people.models import LifeEvent, Person

S = Declaration.Status


# Registering ---------------------------------------------------------------------------


def test_registering_adds_the_child_to_the_family_and_issues_the_akta(
    validated, registrar, family, django_capture_on_commit_callbacks
):
    client = signed_in(registrar, verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("births:register", args=[validated.pk]), {"child_nik": ""})
    assert response.status_code == 302
    declaration = Declaration.objects.get(pk=validated.pk)
    assert declaration.status == S.REGISTERED
    today = timezone.localdate().strftime("%d%m%Y")
    assert declaration.akta_number == f"3274-LU-{today}-0001"
    child = declaration.child
    assert child.name == "Aisyah Putri" and child.nik is None
    assert child.family == family and child.rt == family.rt and child.relationship == "4"
    assert child.birth_date == declaration.birth_date
    assert LifeEvent.objects.get(person=child).kind == LifeEvent.Kind.BIRTH
    certificate = declaration.current_certificate
    assert certificate.version == 1 and len(certificate.token) >= 22
    assert certificate.pdf, "rendered ahead of the first download"
    assert certificate.registrar_name == registrar.get_username()
    sms = Message.objects.get(purpose="births:registered")
    assert sms.phone == declaration.parent_phone and declaration.reference in sms.text
    for secret in ("Aisyah", "Siti", MOTHER_NIK, KK, declaration.akta_number):
        assert secret not in sms.text


def test_the_childs_nik_can_be_entered_later(registered, registrar):
    client = signed_in(registrar, verified=True)
    bad = client.post(reverse("births:child-nik", args=[registered.pk]), {"child_nik": "123"})
    assert bad.status_code == 302
    assert Person.objects.get(pk=registered.child_id).nik is None
    client.post(
        reverse("births:child-nik", args=[registered.pk]), {"child_nik": "3274016511260001"}
    )
    assert Person.objects.get(pk=registered.child_id).nik == "3274016511260001"


def test_akta_numbers_follow_each_other_and_late_ones_say_lt(
    make_declaration, registrar, settings, django_capture_on_commit_callbacks
):
    on_time = actions.validate(
        actions.submit(make_declaration(), request=None), actor=registrar, request=None
    )
    born = (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    late = make_declaration(
        birth_date=born, child_name="Rizky Maulana", child_sex="M", birth_order="1"
    )
    late = actions.validate(actions.submit(late, request=None), actor=registrar, request=None)
    assert late.late
    with pytest.raises(ValidationError, match=r"persetujuan|approval"):
        actions.register(late, actor=registrar, request=None)
    actions.approve_late(late, actor=registrar, request=None)
    first = actions.register(on_time, actor=registrar, request=None)
    second = actions.register(late, actor=registrar, request=None)
    today = timezone.localdate().strftime("%d%m%Y")
    assert first.akta_number == f"3274-LU-{today}-0001"
    assert second.akta_number == f"3274-LT-{today}-0002"


def test_the_akta_format_is_a_setting(validated, registrar, settings):
    settings.BIRTHS_AKTA_FORMAT = "AL.{city}.{kind}.{number:05d}"
    assert (
        actions.register(validated, actor=registrar, request=None).akta_number == "AL.3274.LU.00001"
    )


def test_a_new_family_card_is_added_to_the_register_at_registration(citizen, registrar, rt, city):
    from kotacerdas.births.forms import DeclarationForm
    from kotacerdas.conftest import HARJAMUKTI

    data = form_data(
        kk_number="3274031203200009",
        kelurahan=HARJAMUKTI,
        rw_number="2",
        rt_number="1",
        address="Jl. Pramuka 9",
        father_nik="",
        father_name="",
        father_birth_date="",
        father_occupation="",
        father_citizenship="",
        marriage_date="",
    )
    form = DeclarationForm(data=data, as_parent=True)
    assert form.is_valid(), form.errors
    declaration = actions.save_declaration(form, request=None, citizen=citizen)
    assert declaration.family is None and declaration.rt == rt(HARJAMUKTI, 2, 1)
    from kotacerdas.births.models import BirthDocument

    for kind in ("skl", "kk"):
        BirthDocument.objects.create(
            declaration=declaration,
            kind=kind,
            file="births/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0",
        )
    declaration = actions.validate(
        actions.submit(declaration, request=None), actor=registrar, request=None
    )
    declaration = actions.register(declaration, actor=registrar, request=None)
    assert declaration.family.kk_number == "3274031203200009"
    assert declaration.child.rt == rt(HARJAMUKTI, 2, 1)


# Deduplication -------------------------------------------------------------------------


def test_a_second_report_of_the_same_birth_is_a_possible_duplicate(make_declaration, registrar):
    first = actions.submit(make_declaration(), request=None)
    second = actions.submit(make_declaration(child_name="Aisyah Putri Santoso"), request=None)
    assert not first.potential_duplicate
    assert second.potential_duplicate
    assert second.possible_duplicates.get().other == first
    client = signed_in(registrar, verified=True)
    page = client.get(reverse("births:duplicates", args=[second.pk]))
    assert page.status_code == 200
    assert "Aisyah Putri Santoso" in page.content.decode()
    # Validation waits for the decision.
    with pytest.raises(ValidationError):
        actions.validate(second, actor=registrar, request=None)
    client.post(
        reverse("births:duplicates", args=[second.pk]),
        {"decision": "duplicate", "duplicate_of": first.pk},
    )
    second.refresh_from_db()
    assert second.status == S.DUPLICATE and second.duplicate_of == first


def test_similar_names_with_another_mother_nik_are_flagged_too(make_declaration, registrar):
    actions.submit(make_declaration(), request=None)
    other = make_declaration(
        mother_nik="3274015506960004",
        reporter_nik="3274015506960004",
        mother_birth_date="1996-06-15",
        mother_name="Siti Aminah.",
    )
    other = actions.submit(other, request=None)
    assert other.potential_duplicate
    signed_in(registrar, verified=True).post(
        reverse("births:duplicates", args=[other.pk]), {"decision": "not_duplicate"}
    )
    other.refresh_from_db()
    assert other.status == S.SUBMITTED and not other.potential_duplicate
    assert actions.validate(other, actor=registrar, request=None).status == S.VALIDATED


def test_twins_are_not_duplicates_of_each_other(make_declaration):
    actions.submit(
        make_declaration(birth_type="2", birth_order="1", child_name="Hasan"), request=None
    )
    twin = actions.submit(
        make_declaration(birth_type="2", birth_order="2", child_name="Husein"), request=None
    )
    assert not twin.potential_duplicate


# Sent back ---------------------------------------------------------------------------------


def test_sending_back_tells_the_parent_by_sms_without_the_reason(
    submitted, registrar, citizen, django_capture_on_commit_callbacks
):
    client = signed_in(registrar, verified=True)
    reason = "Foto KK Siti Aminah buram, mohon unggah ulang."
    client.post(reverse("births:send-back", args=[submitted.pk]), {"reason": reason})
    submitted.refresh_from_db()
    assert submitted.status == S.NEEDS_CHANGES and submitted.changes_reason == reason
    sms = Message.objects.get(purpose="births:changes")
    assert "Siti" not in sms.text and "buram" not in sms.text and submitted.reference in sms.text
    page = citizen_client(citizen).get(reverse("births:detail", args=[submitted.pk]))
    assert reason in page.content.decode()
    # The parent fixes it and sends it again: back in the queue.
    actions.submit(submitted, request=None)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


# Queues and pages -------------------------------------------------------------------------


def test_the_queues_show_each_declaration_where_it_waits(
    make_declaration, registrar, django_assert_max_num_queries
):
    waiting = actions.submit(make_declaration(), request=None)
    late = make_declaration(
        birth_date=(timezone.localdate() - dt.timedelta(days=90)).isoformat(),
        child_name="Rizky",
        child_sex="M",
    )
    late = actions.validate(actions.submit(late, request=None), actor=registrar, request=None)
    client = signed_in(registrar, verified=True)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("births:queues"))
    assert [d.pk for d in page.context["page"].object_list] == [waiting.pk]
    assert "no-store" in page["Cache-Control"]
    page = client.get(reverse("births:queues") + "?antrean=terlambat")
    assert [d.pk for d in page.context["page"].object_list] == [late.pk]
    assert (
        client.get(reverse("births:queues") + "?antrean=registrasi").context["page"].object_list
        == []
    )


def test_the_list_is_guarded_against_n_plus_one(
    make_declaration, midwife, registrar, django_assert_max_num_queries
):
    for n in range(5):
        actions.submit(
            make_declaration(
                child_name=f"Anak {n}", birth_order=str(n + 1), child_sex="M" if n % 2 else "F"
            ),
            request=None,
        )
    client = signed_in(registrar, verified=True)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("births:list"))
    assert len(page.context["page"].object_list) == 5
    assert "no-store" in page["Cache-Control"]


def test_the_dashboard_counts_reported_and_registered(registered, registrar):
    page = signed_in(registrar, verified=True).get(reverse("births:dashboard"))
    assert page.status_code == 200
    assert page.context["reported_total"] == 1 and page.context["registered_total"] == 1
    assert page.context["on_time"] == 1 and page.context["late"] == 0
    assert page.context["median_to_report"] == 3
    assert page.context["completeness"] is not None


# Who may do what: works / 404 / 403 -----------------------------------------------------------

REGISTRY_ACTIONS = [
    ("births:validate", "submitted", {}),
    ("births:send-back", "submitted", {"reason": "Unggah ulang KK"}),
    ("births:approve-late", "late", {}),
    ("births:register", "validated", {"child_nik": ""}),
    ("births:child-nik", "registered", {"child_nik": "3274016511260001"}),
    ("births:print", "registered", {}),
    ("births:revoke", "registered", {"reason": "Salah cetak"}),
    ("births:duplicates", "duplicate", {"decision": "not_duplicate"}),
]


@pytest.fixture
def in_state(make_declaration, registrar, django_capture_on_commit_callbacks):
    def make(state: str) -> Declaration:
        if state == "late":
            born = (timezone.localdate() - dt.timedelta(days=90)).isoformat()
            return actions.validate(
                actions.submit(make_declaration(birth_date=born), request=None),
                actor=registrar,
                request=None,
            )
        if state == "duplicate":
            actions.submit(make_declaration(), request=None)
            return actions.submit(make_declaration(), request=None)
        declaration = actions.submit(make_declaration(), request=None)
        if state in ("validated", "registered"):
            declaration = actions.validate(declaration, actor=registrar, request=None)
        if state == "registered":
            declaration = actions.register(declaration, actor=registrar, request=None)
        return declaration

    return make


@pytest.mark.parametrize(("name", "state", "data"), REGISTRY_ACTIONS)
def test_registry_actions_work_for_a_registrar(in_state, registrar, name, state, data):
    declaration = in_state(state)
    before = (declaration.status, declaration.updated_at)
    response = signed_in(registrar, verified=True).post(reverse(name, args=[declaration.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("births:detail", args=[declaration.pk])
    declaration.refresh_from_db()
    assert (declaration.status, declaration.updated_at) != before or name in (
        "births:child-nik",
        "births:print",
        "births:revoke",
    )


@pytest.mark.parametrize(("name", "state", "data"), REGISTRY_ACTIONS)
def test_registry_actions_are_403_for_read_only_disdukcapil(
    in_state, registry_viewer, name, state, data
):
    declaration = in_state(state)
    response = signed_in(registry_viewer).post(reverse(name, args=[declaration.pk]), data)
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "state", "data"), REGISTRY_ACTIONS)
def test_registry_actions_are_404_outside_disdukcapil(
    in_state, midwife, kelurahan_officer, name, state, data
):
    declaration = in_state(state)
    for user in (midwife, kelurahan_officer):
        response = signed_in(user).post(reverse(name, args=[declaration.pk]), data)
        assert response.status_code == 404


def test_registry_effects_of_print_revoke_and_nik(in_state, registrar):
    declaration = in_state("registered")
    client = signed_in(registrar, verified=True)
    client.post(reverse("births:print", args=[declaration.pk]))
    assert declaration.current_certificate.printed_at is not None
    client.post(reverse("births:revoke", args=[declaration.pk]), {"reason": "Salah cetak"})
    assert Certificate.objects.get(declaration=declaration).status == Certificate.Status.REVOKED


@pytest.mark.parametrize("name", ["births:queues", "births:dashboard"])
def test_registry_pages_work_for_disdukcapil_and_are_403_for_others(
    name, registrar, registry_viewer, midwife, outsider
):
    assert signed_in(registrar, verified=True).get(reverse(name)).status_code == 200
    assert signed_in(registry_viewer).get(reverse(name)).status_code == 200
    assert signed_in(midwife).get(reverse(name)).status_code == 403
    assert signed_in(outsider).get(reverse(name)).status_code == 403


def test_the_registrar_must_pass_the_second_factor(registrar):
    response = signed_in(registrar).get(reverse("births:queues"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:second-factor"))


def test_declaration_pages_triad(
    submitted, midwife, other_midwife, rw_operator, other_rw_operator, viewer, registrar, outsider
):
    detail = reverse("births:detail", args=[submitted.pk])
    edit = reverse("births:edit", args=[submitted.pk])
    # Works: Disdukcapil, the family's RW operator, the kecamatan (read only).
    for user, verified in ((registrar, True), (rw_operator, False), (viewer, False)):
        assert signed_in(user, verified=verified).get(detail).status_code == 200
    # Not found: another RW, another puskesmas, a member of nothing.
    for user in (other_rw_operator, other_midwife, outsider):
        assert signed_in(user).get(detail).status_code == 404
    # Read only: the kecamatan may not change it.
    assert signed_in(viewer).get(edit).status_code == 403
    assert signed_in(viewer).post(reverse("births:submit", args=[submitted.pk])).status_code == 403


def test_a_midwife_sees_her_units_reports_only(family, midwife, other_midwife):
    data = form_data(
        reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
    )
    declare(signed_in(midwife), data)
    declaration = Declaration.objects.get()
    assert (
        signed_in(midwife).get(reverse("births:detail", args=[declaration.pk])).status_code == 200
    )
    assert signed_in(midwife).get(reverse("births:list")).context["page"].object_list == [
        declaration
    ]
    assert (
        signed_in(other_midwife).get(reverse("births:detail", args=[declaration.pk])).status_code
        == 404
    )
    assert signed_in(other_midwife).get(reverse("births:list")).context["page"].object_list == []


def test_the_staff_list_is_403_for_members_without_a_birth_role(outsider, make_member):
    assert signed_in(outsider).get(reverse("births:list")).status_code == 403


def test_an_rw_operator_declares_for_a_family_of_the_rw(family, rw_operator, other_rw_operator):
    data = form_data(
        reporter_relation="family", reporter_nik="3274010101700005", reporter_name="Dedi"
    )
    response = declare(signed_in(rw_operator), data)
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.channel == "area" and declaration.declared_by == rw_operator
    assert (
        signed_in(rw_operator).get(reverse("births:detail", args=[declaration.pk])).status_code
        == 200
    )
    assert (
        signed_in(other_rw_operator)
        .get(reverse("births:detail", args=[declaration.pk]))
        .status_code
        == 404
    )


def test_documents_and_uploads_triad(
    make_declaration, rw_operator, other_rw_operator, viewer, registrar
):
    from kotacerdas.births.tests.conftest import upload

    # Sent, then sent back: the area sees it and may help to fix it.
    declaration = actions.send_back(
        actions.submit(make_declaration(), request=None), "KK buram", actor=registrar, request=None
    )
    document = declaration.documents.first()
    read = reverse("births:document", args=[declaration.pk, document.pk])
    add = reverse("births:upload", args=[declaration.pk])
    remove = reverse("births:document-remove", args=[declaration.pk, document.pk])
    assert signed_in(viewer).get(read).status_code == 200
    assert signed_in(other_rw_operator).get(read).status_code == 404
    assert signed_in(viewer).post(add, upload()).status_code == 403
    assert signed_in(viewer).post(remove).status_code == 403
    assert signed_in(other_rw_operator).post(remove).status_code == 404
    assert signed_in(rw_operator).post(add, upload("kk", "kk.pdf")).status_code == 302
    assert signed_in(rw_operator).post(remove).status_code == 302
    assert not declaration.documents.filter(pk=document.pk).exists()


def test_correction_and_certificate_pages_triad(registered, registrar, viewer, other_rw_operator):
    correct = reverse("births:correction", args=[registered.pk])
    pdf = reverse("births:certificate", args=[registered.pk])
    assert signed_in(registrar, verified=True).get(correct).status_code == 200
    assert signed_in(viewer).get(correct).status_code == 403
    assert signed_in(other_rw_operator).get(correct).status_code == 404
    assert signed_in(viewer).get(pdf).status_code == 200
    assert signed_in(other_rw_operator).get(pdf).status_code == 404


def test_decide_correction_triad(registered, registrar, registry_viewer, midwife):
    correction = actions.request_correction(
        registered, {"child_name": ["Aisyah Putri", "Aisyah P."]}, "typo", request=None
    )
    url = reverse("births:decide-correction", args=[registered.pk, correction.pk])
    assert signed_in(midwife).post(url, {"decision": "reject"}).status_code == 404
    assert signed_in(registry_viewer).post(url, {"decision": "reject"}).status_code == 403
    assert signed_in(registrar, verified=True).post(url, {"decision": "reject"}).status_code == 302
    correction.refresh_from_db()
    assert correction.status == "rejected"


def test_an_rw_operator_cannot_declare_for_a_family_of_another_area(family, other_rw_operator):
    data = form_data(
        reporter_relation="family", reporter_nik="3274010101700005", reporter_name="Yuli"
    )
    response = declare(signed_in(other_rw_operator), data)
    assert response.status_code == 200
    assert "kk_number" in response.context["form"].errors
    # The baby's and parents' steps are a draft; the family is not placed in another area.
    declaration = Declaration.objects.get()
    assert declaration.rt is None and declaration.kk_number == ""


def test_searching_the_list_posts_the_nik_never_puts_it_in_the_url(
    make_declaration, registrar, rw_operator, other_rw_operator
):
    declaration = actions.submit(make_declaration(), request=None)
    other = actions.submit(
        make_declaration(
            child_name="Bagus",
            child_sex="M",
            mother_nik="3274014101900004",
            mother_name="Rina",
            mother_birth_date="1990-01-01",
            reporter_nik="3274014101900004",
            reporter_name="Rina",
            father_nik="",
            father_name="",
            father_birth_date="",
            father_occupation="",
            father_citizenship="",
            marriage_date="",
        ),
        request=None,
    )
    client = signed_in(registrar, verified=True)
    page = client.get(reverse("births:list"))
    assert 'method="get"' in page.content.decode()
    assert 'name="q"' not in page.content.decode().split('method="post"')[0]
    # A NIK in the query string is not a search.
    assert (
        len(client.get(reverse("births:list"), {"q": MOTHER_NIK}).context["page"].object_list) == 2
    )
    found = client.post(reverse("births:list"), {"q": f" {MOTHER_NIK} "})
    assert found.status_code == 200
    assert found.context["results"] == [declaration]
    assert client.post(reverse("births:list"), {"q": "bagus"}).context["results"] == [other]
    # The NIK as printed on a KTP, in groups.
    grouped = " ".join(MOTHER_NIK[i : i + 4] for i in range(0, 16, 4))
    assert client.post(reverse("births:list"), {"q": grouped}).context["results"] == [declaration]
    # The search stays inside the user's reach.
    assert signed_in(rw_operator).post(reverse("births:list"), {"q": MOTHER_NIK}).context[
        "results"
    ] == [declaration]
    assert (
        signed_in(other_rw_operator)
        .post(reverse("births:list"), {"q": MOTHER_NIK})
        .context["results"]
        == []
    )


def test_an_rw_operator_cannot_move_a_report_to_a_family_of_another_area(
    family, other_family, rw_operator
):
    data = form_data(
        reporter_relation="family", reporter_nik="3274010101700005", reporter_name="Dedi"
    )
    client = signed_in(rw_operator)
    assert declare(client, data).status_code == 302
    declaration = Declaration.objects.get()
    response = change(
        client,
        declaration.pk,
        {**data, "kk_number": other_family.kk_number},
    )
    assert response.status_code == 200
    assert "kk_number" in response.context["form"].errors
    declaration.refresh_from_db()
    assert declaration.family == family and declaration.kk_number == KK


def test_a_parents_draft_is_theirs_alone_until_sent(
    make_declaration, citizen, registrar, registry_viewer, rw_operator, viewer
):
    draft = make_declaration(citizen=citizen)
    detail = reverse("births:detail", args=[draft.pk])
    document = reverse("births:document", args=[draft.pk, draft.documents.first().pk])
    staff = [
        signed_in(registrar, verified=True),
        signed_in(registry_viewer),
        signed_in(rw_operator),
        signed_in(viewer),
    ]
    for client in staff:
        assert client.get(detail).status_code == 404
        assert client.get(document).status_code == 404
        assert client.get(reverse("births:list")).context["page"].object_list == []
    assert (
        signed_in(registrar, verified=True)
        .post(reverse("births:validate", args=[draft.pk]))
        .status_code
        == 404
    )
    assert citizen_client(citizen).get(detail).status_code == 200
    actions.submit(draft, request=None)
    for client in staff:
        assert client.get(detail).status_code == 200


def test_the_side_by_side_view_is_for_disdukcapil_only(
    make_declaration, midwife, other_midwife, rw_operator, registrar, registry_viewer
):
    """The other report may be another family's: a midwife or the RW never see it."""
    first = actions.submit(make_declaration(), request=None)
    response = declare(
        signed_in(midwife),
        form_data(
            reporter_relation="midwife", reporter_nik="3274015506880003", reporter_name="Bidan Nur"
        ),
    )
    second = Declaration.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("births:detail", args=[second.pk])
    for kind in ("skl", "nikah", "kk"):
        signed_in(midwife).post(
            reverse("births:upload", args=[second.pk]), upload(kind, f"{kind}.pdf")
        )
    signed_in(midwife).post(reverse("births:submit", args=[second.pk]))
    second.refresh_from_db()
    assert second.potential_duplicate
    url = reverse("births:duplicates", args=[second.pk])
    assert signed_in(midwife).get(url).status_code == 403
    assert signed_in(rw_operator).get(url).status_code == 403
    assert signed_in(other_midwife).get(url).status_code == 404
    assert (
        first.reference
        not in signed_in(midwife).get(reverse("births:detail", args=[second.pk])).content.decode()
    )
    assert signed_in(registry_viewer).get(url).status_code == 200
    page = signed_in(registrar, verified=True).get(url)
    assert page.status_code == 200 and first.reference in page.content.decode()


def test_duplicate_reasons_are_stored_in_the_offices_language(make_declaration, settings):
    from django.utils import translation

    actions.submit(make_declaration(), request=None)
    with translation.override("en"):
        second = actions.submit(make_declaration(child_name="Aisyah P."), request=None)
    with translation.override("id"):
        expected = translation.gettext("Same mother's NIK, child born within a few days")
    assert expected != "Same mother's NIK, child born within a few days"
    assert second.possible_duplicates.get().reason == expected


def test_the_dashboard_counts_a_registration_in_the_month_it_happened(registered, settings):
    """Reported on 20 December, registered on 5 January: each in its own year and month."""
    from kotacerdas.births import stats

    this_year = timezone.localdate().year
    tz = timezone.get_current_timezone()
    Declaration.objects.filter(pk=registered.pk).update(
        birth_date=dt.date(this_year - 1, 12, 15),
        submitted_at=dt.datetime(this_year - 1, 12, 20, 10, tzinfo=tz),
        registered_at=dt.datetime(this_year, 1, 5, 10, tzinfo=tz),
    )
    before = stats.dashboard(this_year - 1, today=dt.date(this_year, 7, 2))
    assert before["reported_total"] == 1 and before["registered_total"] == 0
    assert before["table"][0]["cells"][11] == (1, 0)
    assert before["median_to_report"] == 5 and before["median_to_certificate"] is None
    now = stats.dashboard(this_year, today=dt.date(this_year, 7, 2))
    assert now["reported_total"] == 0 and now["registered_total"] == 1
    assert now["table"][0]["cells"][0] == (0, 1)
    assert now["median_to_certificate"] == 16
    # Completeness against the births expected so far, not the whole year's.
    settings.BIRTHS_POPULATION, settings.BIRTHS_CRUDE_BIRTH_RATE = 100_000, 20.0
    half = stats.dashboard(this_year, today=dt.date(this_year, 7, 2))
    days = (dt.date(this_year + 1, 1, 1) - dt.date(this_year, 1, 1)).days
    elapsed = dt.date(this_year, 7, 2).timetuple().tm_yday
    assert half["expected_so_far"] and half["expected"] == round(2000 * elapsed / days)
    assert stats.dashboard(this_year - 1, today=dt.date(this_year, 7, 2))["expected"] == 2000


def test_a_nik_taken_meanwhile_is_a_clear_refusal_and_nothing_is_registered(
    validated, registrar, family
):
    """The form checks the NIK; a second registrar may give it away in between."""
    from kotacerdas.births.models import AktaCounter
    from kotacerdas.births.tests.conftest import FATHER_NIK

    with pytest.raises(ValidationError):
        actions.register(validated, child_nik=FATHER_NIK, actor=registrar, request=None)
    validated.refresh_from_db()
    assert validated.status == S.VALIDATED and validated.akta_number is None
    assert not AktaCounter.objects.filter(last__gt=0).exists()
    registered = actions.register(validated, actor=registrar, request=None)
    with pytest.raises(ValidationError):
        actions.set_child_nik(registered, FATHER_NIK, actor=registrar, request=None)
    registered.child.refresh_from_db()
    assert registered.child.nik is None
