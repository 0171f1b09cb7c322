from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import signed_in
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.reports import actions
from kotacerdas.reports.models import Case, CaseEvent, Report, Stage
from kotacerdas.reports.roles import ReportsRole

STORY = "Seorang siswi SD sering dipukul di rumah oleh pamannya."


@pytest.fixture
def report(dp3a):
    return actions.file_report(
        {"story": STORY, "victim_name": "Ani Rahma", "reporter_phone": "+6281222333444"},
        channel=Report.Channel.WEB,
    )


def _officer_client(user) -> Client:
    return signed_in(user, verified=True)


def test_the_triage_queue_lists_waiting_reports_of_the_unit(
    officer, other_officer, report, django_assert_max_num_queries
):
    client = _officer_client(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:triage"))

    assert report.tracking_code in response.text
    assert (
        report.tracking_code
        not in _officer_client(other_officer).get(reverse("reports:triage")).text
    )


def test_the_queue_is_refused_to_staff_outside_protection(rw_operator):
    assert signed_in(rw_operator).get(reverse("reports:triage")).status_code == 403


def test_opening_a_report_is_audited_and_outsiders_get_404(officer, other_officer, report):
    url = reverse("reports:report-detail", args=[report.pk])

    assert _officer_client(officer).get(url).status_code == 200
    assert _officer_client(other_officer).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="report.view", object_id=str(report.pk)).count() == 1


def test_confirming_a_report_opens_a_case(officer, report):
    response = _officer_client(officer).post(
        reverse("reports:report-detail", args=[report.pk]),
        {"decision": "open", "category": "physical", "reason": "Cerita jelas, korban anak"},
    )

    case = Case.objects.get()
    report.refresh_from_db()
    assert response.url == reverse("reports:case", args=[case.pk])
    assert report.status == Report.Status.CASE and report.case == case
    assert case.number.startswith("PPA-")
    assert case.stage == Stage.PENGADUAN
    assert case.action_due > case.verified_at.date()
    assert CaseEvent.objects.filter(case=case, kind="opened").exists()


def test_a_duplicate_is_attached_to_the_existing_case(officer, report, dp3a):
    case = actions.open_case(report, category="physical", reason="ok", actor=officer, request=None)
    again = actions.file_report({"story": STORY + " Lagi."}, channel=Report.Channel.SMS)

    _officer_client(officer).post(
        reverse("reports:report-detail", args=[again.pk]),
        {"decision": "attach", "case_number": case.number, "reason": "Laporan yang sama"},
    )

    again.refresh_from_db()
    assert again.status == Report.Status.ATTACHED and again.case == case


def test_closing_needs_a_reason(officer, report):
    client = _officer_client(officer)
    url = reverse("reports:report-detail", args=[report.pk])

    without = client.post(url, {"decision": "close", "close_reason": "spam", "note": ""})
    report.refresh_from_db()
    assert without.status_code == 200 and report.status == Report.Status.FOR_TRIAGE

    client.post(url, {"decision": "close", "close_reason": "spam", "note": "Uji coba"})
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED and report.close_reason == "spam"


def test_a_report_is_triaged_once(officer, report):
    actions.close_report(report, close_reason="spam", note="x", actor=officer, request=None)

    response = _officer_client(officer).post(
        reverse("reports:report-detail", args=[report.pk]),
        {"decision": "open", "category": "physical", "reason": "again"},
        follow=True,
    )

    assert not Case.objects.exists()
    assert response.status_code == 200


@pytest.fixture
def case(officer, report):
    return actions.open_case(report, category="physical", reason="ok", actor=officer, request=None)


def test_the_case_page_shows_identities_to_the_units_officers_and_logs_each_view(officer, case):
    response = _officer_client(officer).get(reverse("reports:case", args=[case.pk]))

    assert "Ani Rahma" in response.text
    assert "+6281222333444" in response.text
    assert CaseEvent.objects.filter(case=case, kind="viewed", actor=officer).count() == 1
    assert AuditEvent.objects.filter(action="case.view").count() == 1
    assert officer.username in response.text  # "who opened this case"


def test_a_read_only_head_sees_the_case_without_identities_and_cannot_act(head_of_service, case):
    client = signed_in(head_of_service)

    page = client.get(reverse("reports:case", args=[case.pk]))
    move = client.post(
        reverse("reports:case-stage", args=[case.pk]), {"to_stage": "penjangkauan", "reason": "x"}
    )

    assert page.status_code == 200
    assert "Ani Rahma" not in page.text and STORY not in page.text
    assert move.status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.PENGADUAN


def test_an_officer_of_another_unit_gets_404(other_officer, case):
    client = _officer_client(other_officer)

    assert client.get(reverse("reports:case", args=[case.pk])).status_code == 404
    assert (
        client.post(
            reverse("reports:case-stage", args=[case.pk]), {"to_stage": "selesai", "reason": "x"}
        ).status_code
        == 404
    )


def test_moving_a_stage_records_who_when_why_and_tells_the_reporter_without_details(
    officer, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _officer_client(officer).post(
            reverse("reports:case-stage", args=[case.pk]),
            {"to_stage": "penjangkauan", "reason": "Kunjungan rumah besok"},
        )

    case.refresh_from_db()
    event = CaseEvent.objects.get(case=case, kind="stage")
    [sms] = FileAdapter().read()
    assert response.status_code == 302
    assert case.stage == Stage.PENJANGKAUAN and case.first_action_at is not None
    assert (event.from_stage, event.to_stage, event.actor, event.text) == (
        "pengaduan",
        "penjangkauan",
        officer,
        "Kunjungan rumah besok",
    )
    assert sms["to"] == "+6281222333444"
    assert "Ani" not in sms["text"] and "Kunjungan" not in sms["text"]
    assert case.reports.get().tracking_code in sms["text"]


def test_a_closed_case_can_be_reopened(officer, case):
    actions.move_stage(case, Stage.SELESAI, reason="selesai", actor=officer, request=None)
    case.refresh_from_db()
    assert case.closed_at is not None

    actions.move_stage(
        case,
        Stage.PENDAMPINGAN,
        reason="korban butuh pendampingan lagi",
        actor=officer,
        request=None,
    )

    case.refresh_from_db()
    assert case.stage == Stage.PENDAMPINGAN and case.closed_at is None


def test_a_stage_move_needs_a_reason(officer, case):
    response = _officer_client(officer).post(
        reverse("reports:case-stage", args=[case.pk]), {"to_stage": "penjangkauan", "reason": ""}
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.stage == Stage.PENGADUAN


def test_notes_and_referrals_join_the_timeline(officer, case):
    _officer_client(officer).post(
        reverse("reports:case-note", args=[case.pk]),
        {"referred_to": "police", "text": "Dirujuk ke Unit PPA Polres"},
    )

    assert CaseEvent.objects.filter(case=case, kind="referral", referred_to="police").exists()


def test_the_case_list_and_overdue_list(officer, case, django_assert_max_num_queries):
    Case.objects.filter(pk=case.pk).update(action_due="2020-01-01")
    client = _officer_client(officer)

    with django_assert_max_num_queries(12):
        overdue = client.get(reverse("reports:cases") + "?terlambat=1")

    assert case.number in overdue.text
    assert case.number in client.get(reverse("reports:cases")).text


def test_officers_on_duty_are_warned_of_deadlines_with_counts_only(
    officer, report, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    Report.objects.filter(pk=report.pk).update(verify_due="2020-01-01")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("wadul_reminders", stdout=out)

    [sms] = FileAdapter().read()
    assert sms["to"] == officer.phone
    assert "1" in sms["text"]
    assert report.tracking_code not in sms["text"] and STORY not in sms["text"]
    assert "1 late" in out.getvalue()


def test_no_reminder_when_nothing_is_due(officer, case):
    from kotacerdas.reports.actions import deadlines_due, send_deadline_reminders

    Case.objects.filter(pk=case.pk).update(action_due="2999-01-01")

    assert deadlines_due(case.unit) == {"due_reports": 0, "due_cases": 0, "late": 0}
    assert send_deadline_reminders() == {}


def test_an_officer_links_a_victim_from_the_register_by_nik(officer, case, make_person, rt):
    from kotacerdas.conftest import KEJAKSAN

    child = make_person(rt(KEJAKSAN, 1, 1), name="Anak Terdaftar")
    client = _officer_client(officer)

    response = client.post(
        reverse("reports:case-person", args=[case.pk]),
        {"part": "victim", "nik": child.nik, "age_group": "5-12"},
    )
    page = client.get(reverse("reports:case", args=[case.pk]))

    assert response.status_code == 302
    assert case.people.get().person == child
    assert "Anak Terdaftar" in page.text
    # Officers have no register scope: each NIK look-up names the resident in the audit.
    assert AuditEvent.objects.get(action="case.person").details["person"] == child.pk


def test_an_unknown_nik_or_nothing_at_all_is_refused(officer, case):
    client = _officer_client(officer)
    url = reverse("reports:case-person", args=[case.pk])

    assert (
        client.post(
            url, {"part": "victim", "nik": "3274014503189999", "age_group": "5-12"}
        ).status_code
        == 400
    )
    assert client.post(url, {"part": "victim", "age_group": "5-12"}).status_code == 400
    assert not case.people.exists()


def test_documents_are_uploaded_and_read_only_through_the_case(
    officer, other_officer, head_of_service, case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = _officer_client(officer)
    upload = SimpleUploadedFile(
        "visum.pdf", b"%PDF-1.4 laporan visum", content_type="application/pdf"
    )

    client.post(
        reverse("reports:case-document", args=[case.pk]), {"title": "Visum", "file": upload}
    )
    document = case.documents.get()
    url = reverse("reports:document", args=[case.pk, document.pk])

    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 laporan visum"
    assert _officer_client(other_officer).get(url).status_code == 404
    assert signed_in(head_of_service).get(url).status_code == 403
    assert AuditEvent.objects.filter(action="case.document_read").count() == 1
    assert "visum" not in document.file.name  # the stored name reveals nothing


def test_a_program_file_is_refused(officer, case, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")

    response = _officer_client(officer).post(
        reverse("reports:case-document", args=[case.pk]), {"title": "x", "file": upload}
    )

    assert response.status_code == 400
    assert not case.documents.exists()


def _docx(*, with_document: bool = True) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("visum.pdf", b"<!doctype html><script>alert(1)</script>"),
        ("foto.jpg", b"%PDF-1.4 not a photo"),
        ("surat.docx", _docx(with_document=False)),
        ("surat.odt", b"PK\x03\x04 broken"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    officer, case, settings, tmp_path, name, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = _officer_client(officer).post(
        reverse("reports:case-document", args=[case.pk]), {"title": "Visum", "file": upload}
    )

    assert response.status_code == 400
    with translation.override("id"):
        expected = gettext(
            "This file is not really a %(kind)s file (its contents do not match its name)."
        ) % {"kind": name.rsplit(".", 1)[1].upper()}
    assert expected in response.content.decode()
    assert not case.documents.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_real_docx_is_added(officer, case, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("surat.docx", _docx(), content_type="application/octet-stream")

    response = _officer_client(officer).post(
        reverse("reports:case-document", args=[case.pk]), {"title": "Surat", "file": upload}
    )

    assert response.status_code == 302
    assert case.documents.get().title == "Surat"


def test_a_case_is_assigned_to_another_officer_of_the_unit(
    officer, make_member, dp3a, other_officer, case
):

    colleague = make_member("ppa2", ReportsRole.PROTECTION_OFFICER, dp3a)
    client = _officer_client(officer)
    url = reverse("reports:case-assign", args=[case.pk])

    outside = client.post(url, {"officer": other_officer.pk})
    inside = client.post(url, {"officer": colleague.pk})

    case.refresh_from_db()
    assert outside.status_code == 400
    assert inside.status_code == 302
    assert case.officer == colleague
    assert CaseEvent.objects.filter(case=case, kind="assigned").count() == 1


def test_a_read_only_member_of_another_office_is_not_protection_staff(viewer, officer):
    from kotacerdas.reports.access import is_protection_staff

    assert not is_protection_staff(viewer)  # the camat's office is not a protection unit
    assert signed_in(viewer).get(reverse("reports:cases")).status_code == 403


def test_a_report_cannot_join_another_units_case(
    officer, make_member, other_unit, other_officer, report
):
    from kotacerdas.accounts.models import Membership, Role

    # The officer also reads the other unit's cases (a viewer there).
    Membership.objects.create(user=officer, unit=other_unit, role=Role.VIEWER)
    theirs = actions.file_report({"story": "Laporan unit lain tentang anak."}, channel="web")
    Report.objects.filter(pk=theirs.pk).update(unit=other_unit)
    theirs.refresh_from_db()
    their_case = actions.open_case(
        theirs, category="neglect", reason="x", actor=other_officer, request=None
    )

    response = _officer_client(officer).post(
        reverse("reports:report-detail", args=[report.pk]),
        {"decision": "attach", "case_number": their_case.number, "reason": "x"},
    )

    report.refresh_from_db()
    assert response.status_code == 200
    assert report.status == Report.Status.FOR_TRIAGE and report.case is None
    with pytest.raises(ValidationError):
        actions.attach_to_case(report, their_case, reason="x", actor=officer, request=None)


def test_the_read_only_head_does_not_see_the_place_as_written(head_of_service, officer, dp3a):
    report = actions.file_report(
        {"story": "Anak dipukul di rumah.", "place": "rumah Pak Darto Gg Melati 3"}, channel="web"
    )
    case = actions.open_case(report, category="physical", reason="ok", actor=officer, request=None)

    page = signed_in(head_of_service).get(reverse("reports:case", args=[case.pk]))

    assert "Darto" not in page.text


def test_case_pages_and_documents_are_never_kept_by_a_browser_cache(
    officer, case, report, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = _officer_client(officer)
    client.post(
        reverse("reports:case-document", args=[case.pk]),
        {"title": "Visum", "file": SimpleUploadedFile("v.pdf", b"%PDF-1.4 visum")},
    )
    document = case.documents.get()
    urls = [
        reverse("reports:case", args=[case.pk]),
        reverse("reports:document", args=[case.pk, document.pk]),
        reverse("reports:report-detail", args=[report.pk]),
        reverse("reports:triage"),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url
