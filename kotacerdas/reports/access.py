"""Who may see reports and cases, and who may see the people in them.

Reports and cases belong to a protection unit. Its protection officers
triage, handle, and see identities; read-only members of the unit (a head
of service) see the cases without identities and change nothing; anyone
else gets a 404, whoever they are elsewhere in the city.
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kotacerdas.accounts.access import AnyUser, memberships
from kotacerdas.accounts.models import Membership, Role
from kotacerdas.reports.models import Case, PupilReporter, Report
from kotacerdas.reports.roles import ReportsRole


def _unit_ids(user: AnyUser, roles: Collection[str]) -> set[int]:
    return {m.unit_id for m in memberships(user) if m.role in roles}


def _reader_unit_ids(user: AnyUser) -> set[int]:
    """Units whose cases the user may read: as an officer, or as a read-only member
    of a protection unit (the configured one, or one with officers), not any
    viewer anywhere."""
    cached: set[int] | None = getattr(user, "_protection_reader_units", None)
    if cached is not None:
        return cached
    officer_units = officer_unit_ids(user)
    viewing = [m for m in memberships(user) if m.role == Role.VIEWER]
    viewer_units = {m.unit_id for m in viewing if m.unit.code == settings.WADUL_UNIT_CODE}
    others = {m.unit_id for m in viewing} - viewer_units - officer_units
    if others:
        viewer_units |= set(
            Membership.objects.filter(unit_id__in=others, role=ReportsRole.PROTECTION_OFFICER)
            .values_list("unit_id", flat=True)
            .distinct()
        )
    cached = officer_units | viewer_units
    if user.is_authenticated:
        user._protection_reader_units = cached  # type: ignore[union-attr,attr-defined]
    return cached


def officer_unit_ids(user: AnyUser) -> set[int]:
    return _unit_ids(user, {ReportsRole.PROTECTION_OFFICER})


def is_protection_staff(user: AnyUser) -> bool:
    return bool(_reader_unit_ids(user))


def reports_for_user(user: AnyUser) -> QuerySet[Report]:
    """Reports waiting in the user's units (officers only: reports carry identities)."""
    return Report.objects.filter(unit_id__in=officer_unit_ids(user))


def cases_for_user(user: AnyUser) -> QuerySet[Case]:
    return Case.objects.filter(unit_id__in=_reader_unit_ids(user))


def can_see_identities(user: AnyUser, case: Case) -> bool:
    return case.unit_id in officer_unit_ids(user)


def get_report_for_user(user: AnyUser, report_id: int) -> Report:
    report = (
        reports_for_user(user)
        .select_related("kelurahan", "school", "case")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def get_case_for_user(user: AnyUser, case_id: int, *, write: bool = False) -> Case:
    """404 outside the user's protection units; 403 to change it without being an officer."""
    case = (
        cases_for_user(user)
        .select_related("unit", "officer", "kelurahan", "school")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    if write and case.unit_id not in officer_unit_ids(user):
        raise PermissionDenied
    return case


def require_protection_staff(user: AnyUser) -> None:
    if not is_protection_staff(user):
        raise PermissionDenied


def coordinated_school_ids(user: AnyUser) -> set[int]:
    return {
        m.unit_id
        for m in memberships(user)
        if m.role == ReportsRole.SCHOOL_COORDINATOR and m.unit.kind == "school"
    }


def coordinates_a_school(user: AnyUser) -> bool:
    return bool(coordinated_school_ids(user))


def require_coordinator(user: AnyUser) -> set[int]:
    schools = coordinated_school_ids(user)
    if not schools:
        raise PermissionDenied
    return schools


def pupils_for_user(user: AnyUser) -> QuerySet[PupilReporter]:
    return PupilReporter.objects.filter(school_id__in=coordinated_school_ids(user))


def get_pupil_for_user(user: AnyUser, pupil_id: int) -> PupilReporter:
    pupil = pupils_for_user(user).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404
    return pupil


def pupil_reports_for_user(user: AnyUser) -> QuerySet[Report]:
    """What the school's pupils sent: shown to their coordinator, with the stage only."""
    return Report.objects.filter(pupil__school_id__in=coordinated_school_ids(user))
