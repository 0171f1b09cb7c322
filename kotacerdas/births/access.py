"""Who may see and change birth declarations.

- Disdukcapil registrars (``REGISTRAR`` on the registry unit) see every
  declaration of the city and work the queues; read-only members of that
  unit see them and change nothing.
- Midwives and clerks of a puskesmas or hospital see what their unit declared.
- Kelurahan and RW operators see the declarations of families in their
  area; read-only members of a territorial office see them only.
- A parent (citizen signed in with the phone code) sees what they declared
  and what was started for their mobile number.
Anyone else gets a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.access import NOTHING, AnyUser, memberships, scope_q
from kotacerdas.accounts.models import Membership, Role, Unit
from kotacerdas.births.models import Certificate, Channel, Correction, Declaration
from kotacerdas.births.roles import BirthsRole
from kotacerdas.hospital.roles import HospitalRole
from kotacerdas.people.access import persons_citizen_may_act_for
from kotacerdas.people.models import Citizen
from kotacerdas.regions.models import RT

FACILITY_ROLES = {BirthsRole.MIDWIFE, HospitalRole.HOSPITAL_CLERK}
FACILITY_KINDS = {Unit.Kind.PUSKESMAS, Unit.Kind.HOSPITAL}
AREA_EDITORS = {Role.CITY_ADMIN, Role.KELURAHAN_OFFICER, Role.RW_OPERATOR}


def _on_registry(membership: Membership) -> bool:
    return membership.unit.code == settings.BIRTHS_REGISTRY_UNIT_CODE


def is_registrar(user: AnyUser) -> bool:
    return any(m.role == Role.REGISTRAR and _on_registry(m) for m in memberships(user))


def reads_registry(user: AnyUser) -> bool:
    """Registrars and read-only members of Disdukcapil: the queues and the dashboard."""
    return any(
        _on_registry(m) and m.role in (Role.REGISTRAR, Role.VIEWER) for m in memberships(user)
    )


def facility_units(user: AnyUser) -> list[Unit]:
    return [
        m.unit
        for m in memberships(user)
        if m.role in FACILITY_ROLES and m.unit.kind in FACILITY_KINDS
    ]


def declaring_units(user: AnyUser) -> list[Unit]:
    """Units on whose behalf the user starts declarations: their facility first,
    else their kelurahan office or RW."""
    area = [
        m.unit
        for m in memberships(user)
        if m.role in AREA_EDITORS and m.unit.kind in (Unit.Kind.KELURAHAN, Unit.Kind.RW)
    ]
    return facility_units(user) + area


def may_declare(user: AnyUser) -> bool:
    """Facility staff and area operators start declarations (registrars register them)."""
    return bool(declaring_units(user))


def area_covers(user: AnyUser, rt: RT) -> bool:
    """An operator declares for families of their own area (kelurahan or RW)."""
    return RT.objects.filter(scope_q(user, "rw", roles=AREA_EDITORS), pk=rt.pk).exists()


def may_place(user: AnyUser, declaration: Declaration | None, rt: RT) -> bool:
    """Whether the user may put a declaration in this RT's family: registrars and
    the facility that declared it anywhere (a hospital serves the whole city),
    area operators only inside their own kelurahan or RW."""
    if is_registrar(user):
        return True
    if declaration is None:
        if facility_units(user):
            return True
    elif declaration.declared_by_unit_id in {unit.pk for unit in facility_units(user)}:
        return True
    return area_covers(user, rt)


def is_birth_staff(user: AnyUser) -> bool:
    return reads_registry(user) or may_declare(user) or bool(_area_readers(user))


def declares_births(user: AnyUser) -> bool:
    """Staff who report births (the registry's readers have their queues instead)."""
    return is_birth_staff(user) and not reads_registry(user)


def _area_readers(user: AnyUser) -> list[Membership]:
    return [
        m
        for m in memberships(user)
        if m.unit.kind in ("kecamatan", "kelurahan", "rw")
        and (m.role in AREA_EDITORS or m.role == Role.VIEWER)
    ]


# A parent's draft is theirs alone until they send it: not even the registry
# or the family's RW reads what a mother has not decided to report yet.
PARENTS_DRAFT = Q(channel=Channel.PARENT, status=Declaration.Status.DRAFT)


def declarations_for_user(user: AnyUser) -> QuerySet[Declaration]:
    if reads_registry(user):
        return Declaration.objects.exclude(PARENTS_DRAFT)
    q = _area_q(user)
    units = [unit.pk for unit in declaring_units(user)]
    if units:
        q |= Q(declared_by_unit_id__in=units)
    return Declaration.objects.filter(q).exclude(PARENTS_DRAFT)


def status_counts_for_user(user: AnyUser) -> dict[str, int]:
    """How many of the user's declarations are in each status."""
    return dict(
        declarations_for_user(user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def _area_q(user: AnyUser, *, editors_only: bool = False) -> Q:
    if not _area_readers(user):
        return NOTHING
    return scope_q(user, "rt__rw", roles=AREA_EDITORS if editors_only else None)


def may_change(user: AnyUser, declaration: Declaration) -> bool:
    if is_registrar(user):
        return True
    if declaration.declared_by_unit_id in {unit.pk for unit in declaring_units(user)}:
        return True
    return Declaration.objects.filter(_area_q(user, editors_only=True), pk=declaration.pk).exists()


def get_declaration_for_user(
    user: AnyUser, declaration_id: int, *, write: bool = False
) -> Declaration:
    """404 outside the user's reach; 403 to change it from a read-only role."""
    declaration = (
        declarations_for_user(user)
        .select_related("rt__rw__kelurahan", "declared_by_unit", "family", "child")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise Http404
    if write and not may_change(user, declaration):
        raise PermissionDenied
    return declaration


def get_registry_declaration(user: AnyUser, declaration_id: int) -> Declaration:
    """For Disdukcapil's decisions: 404 to anyone outside it, 403 to its read-only members."""
    if not reads_registry(user):
        raise Http404
    declaration = (
        declarations_for_user(user)
        .select_related("rt__rw__kelurahan", "family", "child")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise Http404
    if not is_registrar(user):
        raise PermissionDenied
    return declaration


def require_registry_reader(user: AnyUser) -> None:
    if not reads_registry(user):
        raise PermissionDenied


# Disdukcapil's work queues ---------------------------------------------------
#
# Who reaches them: registrars and read-only members of the registry unit
# (``reads_registry``), nobody else (403). The registry serves the whole city,
# so each queue is the city's declarations in one state, taken from
# ``declarations_for_user`` (never a parent's unsent draft). Only registrars
# act on them (``get_registry_declaration``).


def _late_waiting(qs: QuerySet[Declaration]) -> QuerySet[Declaration]:
    return qs.filter(status=Declaration.Status.VALIDATED, late=True, late_approved_at__isnull=True)


S = Declaration.Status
# slug, title, the declarations in it (from the user's declarations).
REGISTRY_QUEUES: list[
    tuple[str, str | Promise, Callable[[QuerySet[Declaration]], QuerySet[Declaration]]]
] = [
    (
        "validasi",
        gettext_lazy("To validate"),
        lambda qs: qs.filter(status=S.SUBMITTED, potential_duplicate=False),
    ),
    (
        "duplikat",
        gettext_lazy("Potential duplicates"),
        lambda qs: qs.filter(status=S.SUBMITTED, potential_duplicate=True),
    ),
    (
        "perbaikan",
        gettext_lazy("Sent back for changes"),
        lambda qs: qs.filter(status=S.NEEDS_CHANGES),
    ),
    ("terlambat", gettext_lazy("Late registration approval"), _late_waiting),
    (
        "registrasi",
        gettext_lazy("Ready to register"),
        lambda qs: qs.filter(status=S.VALIDATED).exclude(late=True, late_approved_at__isnull=True),
    ),
    (
        "cetak",
        gettext_lazy("Ready to print"),
        lambda qs: qs.filter(
            status=S.REGISTERED,
            certificates__status=Certificate.Status.VALID,
            certificates__printed_at__isnull=True,
        ),
    ),
    (
        "pembetulan",
        gettext_lazy("Corrections requested"),
        lambda qs: qs.filter(corrections__status=Correction.Status.REQUESTED).distinct(),
    ),
]


def registry_queues_for_user(
    user: AnyUser,
) -> list[tuple[str, str | Promise, QuerySet[Declaration]]]:
    """Each work queue (slug, title, declarations) the user reads; 403 outside
    the registry."""
    require_registry_reader(user)
    declarations = declarations_for_user(user)
    return [(slug, title, make(declarations)) for slug, title, make in REGISTRY_QUEUES]


def require_declarer(user: AnyUser) -> None:
    if not may_declare(user):
        raise PermissionDenied


# Parents -------------------------------------------------------------------


def declarations_for_citizen(citizen: Citizen) -> QuerySet[Declaration]:
    """What the citizen may open: reports they made, staff-started reports for
    their number that they claimed with the mother's or father's NIK, and the
    registered births of the children they may act for (people.access: a parent
    whose account is linked to the register sees the akta of her child)."""
    mine = Q(declared_by_citizen=citizen) | Q(claimed_by=citizen, parent_phone=citizen.phone)
    if citizen.person_id is not None:
        mine |= Q(child__in=persons_citizen_may_act_for(citizen))
    return Declaration.objects.filter(mine)


def waiting_for_claim(citizen: Citizen) -> QuerySet[Declaration]:
    """Staff-started reports for the citizen's number not yet claimed: the
    citizen learns only that they exist (the reference), never what is in them."""
    return Declaration.objects.filter(
        parent_phone=citizen.phone, declared_by_citizen__isnull=True, claimed_by__isnull=True
    )


def get_claimable_declaration(citizen: Citizen | None, declaration_id: int) -> Declaration:
    if citizen is None:
        raise Http404
    declaration = waiting_for_claim(citizen).filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    return declaration


def get_declaration_for_citizen(citizen: Citizen | None, declaration_id: int) -> Declaration:
    if citizen is None:
        raise Http404
    declaration = (
        declarations_for_citizen(citizen)
        .select_related("rt__rw__kelurahan", "family")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise Http404
    return declaration
