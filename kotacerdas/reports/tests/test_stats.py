from __future__ import annotations

import datetime as dt
from io import BytesIO
from itertools import count
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from kotacerdas.accounts.models import Unit, User
from kotacerdas.audit.models import AuditEvent
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN, signed_in
from kotacerdas.reports import actions
from kotacerdas.reports.models import Case, CaseEvent, Category, Report, Stage

# Planted in every case's reports: none of it may leave in a statistic or an export.
STORY = "Zebrastory-7781 dipukul pamannya di gang belakang"
VICTIM = "Zulaikha Qisthina"
REPORTER = "Yohanes Pelapor"
PHONE = "+6281299887766"
PLACE = "Gang Kenari-Rahasia 13"
SECRETS = [STORY, VICTIM, REPORTER, PHONE, PHONE[3:], PLACE]

_serial = count(1)


def make_case(
    unit: Unit,
    *,
    category: str = "physical",
    kelurahan: str = KEJAKSAN,
    age_group: str = "5-12",
    days_to_verify: int = 2,
    stage: str = Stage.PENGADUAN,
) -> Case:
    serial = next(_serial)
    now = timezone.now()
    report = Report.objects.create(
        tracking_code=f"WB-{serial:06d}",
        channel=Report.Channel.WEB,
        story=STORY,
        kelurahan_id=kelurahan,
        place=PLACE,
        age_group=age_group,
        victim_name=VICTIM,
        reporter_name=REPORTER,
        reporter_phone=PHONE,
        unit=unit,
        verify_due=now.date(),
        status=Report.Status.CASE,
    )
    case = Case.objects.create(
        number=f"PPA-{now.year}-{serial:05d}",
        category=category,
        kelurahan_id=kelurahan,
        place=PLACE,
        summary=STORY,
        unit=unit,
        stage=stage,
        reported_at=now - dt.timedelta(days=days_to_verify),
        verified_at=now,
        action_due=now.date() + dt.timedelta(days=5),
        closed_at=now if stage == Stage.SELESAI else None,
    )
    report.case = case
    report.save(update_fields=["case"])
    return case


def _officer(user: User) -> Any:
    return signed_in(user, verified=True)


def in_indonesian(text: str) -> str:
    """The pages speak Indonesian: expected texts are the catalogue's."""
    with translation.override("id"):
        return gettext(text)


BY_CATEGORY = "By category"


def _rows(response: Any, title: str) -> dict[str, str]:
    table = next(t for t in response.context["figures"].tables if t.title == title)
    return {row.key: row.shown for row in table.rows}


def _workbook_text(content: bytes) -> str:
    workbook = load_workbook(BytesIO(content))
    cells = [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return "\n".join(cells)


def test_an_officer_sees_the_counts_of_their_unit_only(officer, dp3a, other_unit):
    for _ in range(6):
        make_case(dp3a, category="physical")
    for _ in range(7):
        make_case(other_unit, category="physical")

    response = _officer(officer).get(reverse("reports:stats"))

    assert response.status_code == 200
    assert response.context["figures"].cases == 6
    assert _rows(response, in_indonesian(BY_CATEGORY))["physical"] == "6"
    assert gettext("Reports waiting for triage") in response.text
    assert STORY not in response.text and VICTIM not in response.text


def test_the_head_of_service_reads_the_statistics_without_the_waiting_reports(
    head_of_service, dp3a
):
    for _ in range(5):
        make_case(dp3a)

    response = signed_in(head_of_service).get(reverse("reports:stats"))

    assert response.status_code == 200
    assert response.context["figures"].cases == 5
    assert gettext("Reports waiting for triage") not in response.text


def test_another_protection_unit_counts_none_of_ours(other_officer, dp3a):
    for _ in range(5):
        make_case(dp3a)

    response = _officer(other_officer).get(reverse("reports:stats"))

    assert response.context["figures"].cases == 0
    assert set(_rows(response, in_indonesian(BY_CATEGORY)).values()) == {"0"}


@pytest.mark.parametrize("name", ["reports:stats", "reports:stats-export", "reports:stats-simfoni"])
def test_staff_outside_protection_are_refused(name, rw_operator, outsider, dp3a):
    make_case(dp3a)

    assert signed_in(rw_operator).get(reverse(name)).status_code == 403
    assert signed_in(outsider).get(reverse(name)).status_code == 403


def test_a_read_only_viewer_of_another_office_is_refused(viewer, dp3a):
    # The camat's office is no protection unit: its read-only members see no statistics.
    for _ in range(5):
        make_case(dp3a)

    response = signed_in(viewer).get(reverse("reports:stats"))

    assert response.status_code == 403


def test_small_counts_are_shown_as_less_than_five_and_a_revealing_cell_is_hidden(officer, dp3a):
    for _ in range(3):
        make_case(dp3a, category="sexual", kelurahan=HARJAMUKTI)
    for _ in range(7):
        make_case(dp3a, category="physical")
    for _ in range(9):
        make_case(dp3a, category="neglect")

    response = _officer(officer).get(reverse("reports:stats"))
    categories = _rows(response, in_indonesian(BY_CATEGORY))

    assert categories["sexual"] == "<5"
    # 19 cases in all: with 9 neglect shown, 7 physical would give away the 3.
    assert categories["physical"] == "×"
    assert categories["neglect"] == "9"
    assert categories["bullying"] == "0"
    kelurahan = _rows(response, in_indonesian("By kelurahan"))
    assert kelurahan[HARJAMUKTI] == "<5"
    assert "&lt;5" in response.text


def test_the_general_export_is_suppressed_and_names_no_one(officer, dp3a):
    for _ in range(2):
        make_case(dp3a, category="sexual")
    for _ in range(6):
        make_case(dp3a, category="physical", days_to_verify=3)

    response = _officer(officer).get(reverse("reports:stats-export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="wadul-statistik-')
    assert "no-store" in response["Cache-Control"]
    workbook = load_workbook(BytesIO(response.content))
    by_category = {
        row[0]: row[1]
        for row in workbook[in_indonesian(BY_CATEGORY)[:31]].iter_rows(min_row=3, values_only=True)
    }
    assert by_category[str(Category.SEXUAL.label)] == "<5"
    assert by_category[str(Category.PHYSICAL.label)] == "×"
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert summary[gettext("Cases opened")] == "8"
    median = f"{gettext('Calendar days from first report to verification')}: {gettext('median')}"
    assert summary[median] == "3.0"
    text = _workbook_text(response.content)
    for secret in SECRETS:
        assert secret not in text


def test_the_simfoni_export_has_one_row_per_case_in_its_blocks_and_names_no_one(officer, dp3a):
    first = make_case(dp3a, category="physical", age_group="13-17")
    Report.objects.create(  # a later report about the same case does not change its age group
        tracking_code="WB-LATER1",
        channel=Report.Channel.SMS,
        story=STORY,
        age_group="0-4",
        unit=dp3a,
        verify_due=timezone.localdate(),
        case=first,
        status=Report.Status.ATTACHED,
    )
    actions.move_stage(first, Stage.PENDAMPINGAN, reason="x", actor=officer, request=None)
    actions.add_event(
        first,
        kind=CaseEvent.Kind.REFERRAL,
        referred_to="police",
        text=STORY,
        actor=officer,
        request=None,
    )
    make_case(dp3a, category="sexual", kelurahan=HARJAMUKTI)
    make_case(Unit.objects.create(kind="agency", code="lain", name="Lain"), category="neglect")

    response = _officer(officer).get(reverse("reports:stats-simfoni"))

    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["SIMFONI PPA"]
    blocks = [cell for cell in next(sheet.iter_rows(max_row=1, values_only=True)) if cell]
    assert blocks == [
        "KASUS",
        "KORBAN",
        "PELAKU",
        "LOKASI / TEMPAT KEJADIAN",
        "JENIS KEKERASAN",
        "LAYANAN",
    ]
    assert "verifikasi dengan UPTD PPA" in sheet["A1"].comment.text
    header = list(next(sheet.iter_rows(min_row=2, max_row=2, values_only=True)))
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert len(rows) == 2  # the other unit's case is not ours to export
    row = next(r for r in rows if r["No. kasus"] == first.number)
    assert row["Kelompok umur"] == "Remaja, 13–17 tahun"
    assert row["Jenis kelamin"] is None and row["Hubungan dengan korban"] is None
    assert row["Kelurahan"] == "Kejaksan" and row["Kecamatan"] == "Kejaksan"
    assert row["Jenis kekerasan"] == "Kekerasan fisik"
    assert row["Rujukan"] == "Polisi (Unit PPA)"
    assert "Pengaduan diterima" in row["Tahap yang dijalani"]
    assert row["Tanggal verifikasi"].date() == timezone.localdate()
    text = _workbook_text(response.content)
    for secret in SECRETS:
        assert secret not in text


def test_every_export_is_audited(officer, dp3a):
    for _ in range(3):
        make_case(dp3a)
    client = _officer(officer)

    until = f"{timezone.localdate().year + 1}-12"
    client.get(reverse("reports:stats-export"), {"dari": "2024-01", "sampai": until})
    client.get(reverse("reports:stats-simfoni"), {"dari": "2024-01", "sampai": until})

    events = AuditEvent.objects.filter(action="reports.export").order_by("id")
    assert [(e.actor, e.details["kind"]) for e in events] == [
        (officer, "statistics"),
        (officer, "simfoni"),
    ]
    assert events[1].details["rows"] == 3
    assert events[1].details["first"] == "2024-01"


def test_the_months_chosen_limit_the_cases_counted(officer, dp3a):
    for _ in range(5):
        make_case(dp3a)
    old = make_case(dp3a)
    Case.objects.filter(pk=old.pk).update(opened_at=timezone.now() - dt.timedelta(days=800))
    this_month = timezone.localdate().strftime("%Y-%m")
    client = _officer(officer)

    response = client.get(reverse("reports:stats"), {"dari": this_month, "sampai": this_month})
    wrong = client.get(reverse("reports:stats"), {"dari": this_month, "sampai": "2001-01"})

    assert response.context["figures"].cases == 5
    assert in_indonesian("The last month comes before the first month.") in wrong.text
    assert client.get(reverse("reports:stats-export"), {"sampai": "2001-01"}).status_code == 400


def test_times_to_verify_and_close_are_hidden_under_five_cases(officer, dp3a):
    for _ in range(4):
        make_case(dp3a, stage=Stage.SELESAI, days_to_verify=10)

    summary = dict(_officer(officer).get(reverse("reports:stats")).context["summary"])

    median = f"{gettext('Calendar days from first report to closure')}: {gettext('median')}"
    assert summary[median] == gettext("fewer than %(small)d cases") % {"small": 5}


def test_the_page_makes_the_same_queries_for_many_cases(
    officer, dp3a, django_assert_max_num_queries
):
    client = _officer(officer)
    for _ in range(3):
        make_case(dp3a)
    client.get(reverse("reports:stats"))
    for _ in range(30):
        make_case(dp3a, category="sexual", kelurahan=HARJAMUKTI)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:stats"))

    assert response.context["figures"].cases == 33


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_a_far_year_is_refused_not_a_crash(officer, dp3a, month):
    client = _officer(officer)

    page = client.get(reverse("reports:stats"), {"dari": month, "sampai": month})
    export = client.get(reverse("reports:stats-export"), {"dari": month, "sampai": month})

    assert page.status_code in {200, 400}
    assert export.status_code == 400
