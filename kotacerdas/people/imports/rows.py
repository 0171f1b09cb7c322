"""Checking the rows of a residents workbook with the person form's rules.

``check_chunk`` turns the rows of one chunk into unsaved people and families
and the reasons of each rejected row; ``people.actions`` saves them. The checks
work on the column keys of ``columns``, whatever format the file came in.

A NIK or No. KK already registered outside the uploader's area gets the same
plain refusal as any other that cannot be used here, never where it is; each
such look-up counts against the uploader's ``register_lookup`` limit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.people.access import rts_for_user
from kotacerdas.people.forms import known_prefixes
from kotacerdas.people.identity import check_kk, check_nik, mask_number
from kotacerdas.people.imports.cells import (
    MAX_AGE_YEARS,
    area_key,
    extra_fields,
)
from kotacerdas.people.imports.cells import area_number as _area_number
from kotacerdas.people.imports.cells import birth_date as _birth_date
from kotacerdas.people.imports.cells import choice as _choice
from kotacerdas.people.imports.cells import digits as _digits
from kotacerdas.people.imports.cells import optional as _optional
from kotacerdas.people.imports.cells import phone as _phone
from kotacerdas.people.imports.cells import required as _required
from kotacerdas.people.imports.cells import sex as _sex
from kotacerdas.people.imports.cells import text as _text
from kotacerdas.people.imports.columns import (
    EDUCATION_LOOKUP,
    EDUCATION_VALUES,
    EXAMPLE_ROW,
    MARITAL_LOOKUP,
    MARITAL_VALUES,
    RELATIONSHIP_LOOKUP,
    RELIGION_LOOKUP,
    RELIGION_VALUES,
    allowed,
    normalise,
)
from kotacerdas.people.imports.monthly import Comparison, compare, compared_fields, register_values
from kotacerdas.people.imports.sheet import Sheet, is_blank
from kotacerdas.people.imports.snapshot import (
    ROW_DIGEST,
    Known,
    known_people,
    row_digest,
    unchanged,
)
from kotacerdas.people.lookups import (
    count_lookup,
    lookups_exhausted,
    out_of_area_message,
    too_many_message,
)
from kotacerdas.people.models import (
    AreaMapping,
    Family,
    ImportedValues,
    ImportJob,
    Person,
)
from kotacerdas.regions.models import RT, Region


@dataclass
class Context:
    """What every row of one job is checked against, loaded once per run."""

    kelurahan: Region
    writable_rts: dict[tuple[int, int], RT]  # (RW number, RT number) in the kelurahan
    existing_rts: set[tuple[int, int]]
    writable_rt_ids: set[int]  # the uploader's whole write scope, for families
    prefixes: frozenset[str]
    nik_rows: dict[str, list[int]]  # NIKs written on more than one row
    uploader: User
    lookups_exhausted: bool = False  # the uploader's register_lookup limit is used up
    unnumbered: set[tuple[str, dt.date]] = field(default_factory=set)  # imported without NIK
    file_format: str = "template"
    whole_kelurahan: bool = False  # manage.py import_residents: no area or look-up limit
    kk_heads: set[str] = field(default_factory=set)  # No. KKs with a head (SHDK 1) in the file
    mappings: dict[tuple[str, str, str], RT] = field(default_factory=dict)  # desa-style areas
    monthly: bool = False  # the kelurahan was loaded from an extract before
    planned_families: dict[str, Family] = field(default_factory=dict)  # a dry run's new cards
    fields: list[str] = field(default_factory=list)  # register fields the file fills
    # Extracts: the kelurahan's residents and family cards in the uploader's area,
    # read once before the first row (``snapshot``).
    known: dict[str, Known] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)

    @property
    def is_extract(self) -> bool:
        return self.file_format != "template"


@dataclass
class Chunk:
    """What the rows of one chunk found in the register (the snapshot, and at
    most one query each for the NIKs and No. KKs it does not hold)."""

    niks_here: set[str]  # registered in the uploader's area
    niks_elsewhere: set[str]  # registered, but not in the uploader's area
    families: dict[str, Family]
    unnumbered: set[tuple[str, dt.date]] = field(default_factory=set)  # imported without NIK
    existing: dict[str, Known] = field(default_factory=dict)  # extracts: registered here, by NIK


@dataclass
class Update:
    """A registered person the extract changes (or conflicts with)."""

    row: int
    known: Known  # the registered person, as the snapshot has them
    comparison: Comparison
    incoming: dict[str, str]
    candidate: Person  # the row as a person: the values to apply
    digest: str = ""  # of the row (snapshot.row_digest), kept with the values


@dataclass
class Outcome:
    person: Person | None = None
    new_family: Family | None = None
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    update: Update | None = None


@dataclass
class CheckedChunk:
    """One chunk's rows, checked: what to save and what to report."""

    people: list[Person] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)  # of each new person's row
    new_families: list[Family] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    unnumbered: set[tuple[str, dt.date]] = field(default_factory=set)
    updates: list[Update] = field(default_factory=list)
    unchanged: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # values to keep
    unchanged_rows: int = 0


def load_context(job: ImportJob, sheet: Sheet) -> tuple[Context, int]:
    """Reads the file once to count its rows, find NIKs written twice and the
    family cards that have a head."""
    first_row: dict[str, int] = {}
    twice: dict[str, list[int]] = defaultdict(list)
    kk_heads: set[str] = set()
    total = 0
    for number, values in sheet.rows():
        total += 1
        nik = _text(values.get("nik")).replace(" ", "")
        if nik:
            if nik in first_row:
                twice[nik].append(number)
            else:
                first_row[nik] = number
        if RELATIONSHIP_LOOKUP.get(normalise(_text(values.get("relationship")))) == "1":
            kk_heads.add(_text(values.get("kk_number")).replace(" ", ""))
    del first_row
    uploader = User.objects.get(pk=job.uploaded_by_id)
    if job.from_command:
        writable = list(RT.objects.filter(rw__kelurahan=job.kelurahan_id).select_related("rw"))
    else:
        writable = list(rts_for_user(uploader))
    ctx = Context(
        kelurahan=job.kelurahan,
        writable_rts={
            (rt.rw.number, rt.number): rt
            for rt in writable
            if rt.rw.kelurahan_id == job.kelurahan_id
        },
        existing_rts=set(
            RT.objects.filter(rw__kelurahan=job.kelurahan_id).values_list("rw__number", "number")
        ),
        writable_rt_ids={rt.pk for rt in writable},
        prefixes=known_prefixes(),
        nik_rows=_nik_rows(twice, sheet),
        uploader=uploader,
        lookups_exhausted=False if job.from_command else lookups_exhausted(uploader),
        file_format=sheet.format.key,
        whole_kelurahan=job.from_command,
        kk_heads=kk_heads,
        mappings={
            (m.dusun, m.file_rw, m.file_rt): m.rt
            for m in AreaMapping.objects.filter(kelurahan=job.kelurahan_id).select_related("rt__rw")
        },
        monthly=ImportedValues.objects.filter(person__rt__rw__kelurahan=job.kelurahan_id).exists(),
        fields=compared_fields(set(sheet.columns) | {"rt"}),
    )
    if ctx.is_extract:
        rt_ids = [rt.pk for rt in ctx.writable_rts.values()]
        ctx.known = known_people(Person.objects.filter(rt_id__in=rt_ids), ctx.fields)
        ctx.families = {f.kk_number: f for f in Family.objects.filter(rt_id__in=rt_ids)}
    return ctx, total


def _nik_rows(twice: dict[str, list[int]], sheet: Sheet) -> dict[str, list[int]]:
    """Every row of each NIK written more than once (a second, cheap pass when any)."""
    if not twice:
        return {}
    rows: dict[str, list[int]] = defaultdict(list)
    for number, values in sheet.rows():
        nik = _text(values.get("nik")).replace(" ", "")
        if nik in twice:
            rows[nik].append(number)
    return dict(rows)


def check_chunk(rows: list[tuple[int, dict[str, Any]]], ctx: Context) -> CheckedChunk:
    """Check the rows of one chunk against the register (read, never written)."""
    niks = {_text(values.get("nik")).replace(" ", "") for _number, values in rows} - {""}
    kks = {_text(values.get("kk_number")).replace(" ", "") for _number, values in rows} - {""}
    chunk = _chunk(niks, kks, ctx)
    today = timezone.localdate()
    checked = CheckedChunk(unnumbered=chunk.unnumbered)
    for number, values in rows:
        if _unchanged(values, ctx, chunk, today):
            checked.unchanged_rows += 1
            continue
        out = check_row(values, ctx, chunk, today)
        person = out.person
        if out.update is not None:
            if out.new_family is not None and "kk_number" in out.update.comparison.changes:
                chunk.families[out.new_family.kk_number] = out.new_family
                checked.new_families.append(out.new_family)
            if out.update.comparison.empty:
                last = out.update.known.last or {}
                kept = {**last, **out.update.incoming, ROW_DIGEST: out.update.digest}
                if kept != last:
                    checked.unchanged.append((out.update.known.pk, kept))
                checked.unchanged_rows += 1
            else:
                out.update.row = number
                checked.updates.append(out.update)
            continue
        if person is None:
            nik = _text(values.get("nik")).replace(" ", "")
            checked.rejected.append(
                {
                    "row": number,
                    "nik": mask_number(nik) if nik else "",
                    "reason": " ".join(out.reasons),
                }
            )
            continue
        if out.new_family is not None:
            chunk.families[out.new_family.kk_number] = out.new_family
            checked.new_families.append(out.new_family)
        if not person.nik:
            chunk.unnumbered.add((person.name.casefold(), person.birth_date))
        checked.people.append(person)
        checked.digests.append(row_digest(values))
        checked.notes.extend({"row": number, "note": note} for note in out.notes)
    return checked


def _unchanged(values: dict[str, Any], ctx: Context, chunk: Chunk, today: dt.date) -> bool:
    """An extract's row exactly as last month for a resident nobody changed since
    (``snapshot.unchanged``): not checked again."""
    if not chunk.existing or ctx.lookups_exhausted:
        return False
    nik = _text(values.get("nik")).replace(" ", "")
    if nik in ctx.nik_rows:
        return False
    kk = _text(values.get("kk_number")).replace(" ", "")
    family = chunk.families.get(kk)
    return unchanged(
        values,
        chunk.existing.get(nik),
        fields=ctx.fields,
        rt_id=_place(values, ctx),
        family_ok=not kk or (family is not None and family.rt_id in ctx.writable_rt_ids),
        oldest_year=today.year - MAX_AGE_YEARS,
    )


def _place(values: dict[str, Any], ctx: Context) -> int | None:
    """The RT the row's place is in, as ``_rt`` finds it; None if it needs ``_rt``."""
    mapped = ctx.mappings.get(area_key(values.get("dusun"), values.get("rw"), values.get("rt")))
    if mapped is not None:
        return mapped.pk if mapped.pk in ctx.writable_rt_ids else None
    rw, rt = _text(values.get("rw")), _text(values.get("rt"))
    if not (rw.isdigit() and rt.isdigit()):
        return None
    found = ctx.writable_rts.get((int(rw), int(rt)))
    return found.pk if found is not None else None


def _chunk(niks: set[str], kks: set[str], ctx: Context) -> Chunk:
    """What the register holds of a chunk's NIKs and No. KKs: an extract's from
    the snapshot first, the rest in one query each (none when all are known)."""
    families = {kk: ctx.families[kk] for kk in kks if kk in ctx.families}
    if unknown_kks := kks - families.keys():
        families.update((f.kk_number, f) for f in Family.objects.filter(kk_number__in=unknown_kks))
    if not ctx.is_extract:
        registered = Person.objects.filter(nik__in=niks).values_list("nik", "rt_id")
        here = {nik for nik, rt_id in registered if rt_id in ctx.writable_rt_ids}
        elsewhere = {nik for nik, _rt_id in registered if nik not in here}
        return Chunk(niks_here=here, niks_elsewhere=elsewhere, families=families)
    existing = {nik: ctx.known[nik] for nik in niks if nik in ctx.known}
    found: dict[str, Known] = {}
    if unknown := niks - existing.keys():
        found = known_people(Person.objects.filter(nik__in=unknown), ctx.fields)
    for nik, known in found.items():
        if known.rt_id in ctx.writable_rt_ids:
            existing[nik] = known
    return Chunk(
        niks_here=set(existing),
        niks_elsewhere=found.keys() - existing.keys(),
        families=families,
        existing=existing,
    )


class _Errors:
    """Collects every problem of a row, so the operator fixes them in one go."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, parse: Any, *args: Any) -> Any:
        try:
            return parse(*args)
        except ValidationError as exc:
            self.messages.extend(exc.messages)
            return None


def check_row(values: dict[str, Any], ctx: Context, chunk: Chunk, today: dt.date) -> Outcome:
    """Check one row with the person form's rules; an unsaved Person if it passes."""
    out = Outcome()
    errors = _Errors()
    nik = errors(_nik, values.get("nik"), ctx, chunk)
    name = errors(_required, values.get("name"), "name", 150)
    sex = errors(_sex, values.get("sex"))
    birth_date = errors(_birth_date, values.get("birth_date"), today)
    birth_place = errors(_required, values.get("birth_place"), "birth_place", 100)
    religion = errors(
        _choice, values.get("religion"), "religion", RELIGION_LOOKUP, allowed(RELIGION_VALUES)
    )
    education = errors(
        _choice, values.get("education"), "education", EDUCATION_LOOKUP, allowed(EDUCATION_VALUES)
    )
    occupation = errors(_optional, values.get("occupation"), "occupation", 100)
    marital = errors(
        _choice,
        values.get("marital_status"),
        "marital_status",
        MARITAL_LOOKUP,
        allowed(MARITAL_VALUES),
    )
    phone = errors(_phone, values.get("phone"))
    address = errors(_required, values.get("address"), "address", 200)
    rt = errors(_rt, values.get("rw"), values.get("rt"), ctx, values.get("dusun"))
    kk = errors(_kk, values.get("kk_number"))
    relationship = errors(
        _choice, values.get("relationship"), "relationship", RELATIONSHIP_LOOKUP, _("a code 1–11")
    )
    if kk and relationship == "":
        errors.messages.append(_("Choose the relationship to the head of the family."))
    if kk == "" and relationship:
        errors.messages.append(_("Enter the No. KK of the family for this relationship."))
    family = errors(_family, kk, chunk, ctx) if kk else None
    extra = errors(extra_fields, values, out.notes) or {}
    errors.messages.extend(values.get("_errors", []))
    existing = chunk.existing.get(nik) if nik else None
    status = _text(values.get("status"))
    if (
        ctx.is_extract
        and kk
        and family is None
        and kk not in ctx.kk_heads
        and kk not in ctx.planned_families
    ):
        errors.messages.append(
            _(
                "The file has no head of family (SHDK 1) for No. KK %(kk)s: add the "
                "head's row, or the family cannot be registered."
            )
            % {"kk": mask_number(kk)}
        )
    if existing is None and status in (Person.Status.DEAD, Person.Status.MOVED):
        errors.messages.append(
            _(
                "The file records this person as deceased or moved away and the register "
                "does not have them: not added."
            )
        )
    if nik == EXAMPLE_ROW["nik"] and name == EXAMPLE_ROW["name"]:
        errors.messages.insert(
            0, _("This is the template's example row: delete it or replace it with a resident.")
        )
    if not errors.messages and nik is None:
        errors(_no_nik_duplicate, name, birth_date, ctx, chunk)
    if errors.messages:
        out.reasons = errors.messages
        return out

    if nik:
        check = check_nik(nik, known_prefixes=ctx.prefixes, birth_date=birth_date, sex=sex)
        out.notes.extend(check.warnings)
    if kk and family is None:
        family = ctx.planned_families.get(kk) or Family(kk_number=kk, rt=rt, address=address)
        if family.pk is None and kk not in ctx.planned_families:
            out.new_family = family
            out.notes.extend(check_kk(kk, known_prefixes=ctx.prefixes).warnings)
    person = Person(
        nik=nik,
        name=name,
        sex=sex,
        birth_date=birth_date,
        birth_place=birth_place,
        religion=religion,
        education=education,
        occupation=occupation,
        marital_status=marital,
        phone=phone,
        rt=rt,
        address=address,
        family=family,
        relationship=relationship,
        **extra,
    )
    if existing is not None:
        incoming = register_values(person, ctx.fields)
        comparison = compare(existing.values, existing.status, incoming, existing.last, status)
        out.update = Update(
            row=0,
            known=existing,
            comparison=comparison,
            incoming=incoming,
            candidate=person,
            digest=row_digest(values),
        )
        out.notes = []
        return out
    out.person = person
    return out


def _nik(value: Any, ctx: Context, chunk: Chunk) -> str | None:
    nik = _digits(value, "NIK")
    if not nik:
        return None
    check = check_nik(nik)
    if not check.valid:
        raise ValidationError(check.errors)
    if nik in ctx.nik_rows:
        raise ValidationError(
            _(
                "The same NIK is on rows %(rows)s of the file: correct the file and import "
                "these rows again."
            )
            % {"rows": ", ".join(str(row) for row in ctx.nik_rows[nik])}
        )
    if nik in chunk.niks_here and nik not in chunk.existing:
        raise ValidationError(_("A person with this NIK is already in the register."))
    _refuse_outside(ctx, "nik", elsewhere=nik in chunk.niks_elsewhere)
    return nik


def _kk(value: Any) -> str:
    kk = _digits(value, "No. KK")
    if kk:
        check = check_kk(kk)
        if not check.valid:
            raise ValidationError(check.errors)
    return kk


def _family(kk: str, chunk: Chunk, ctx: Context) -> Family | None:
    """The registered family, or None when the import will create it."""
    family = chunk.families.get(kk)
    if family is None or family.rt_id not in ctx.writable_rt_ids:
        _refuse_outside(ctx, "kk", elsewhere=family is not None)
    return family


def _refuse_outside(ctx: Context, what: Literal["nik", "kk"], *, elsewhere: bool) -> None:
    """A number not registered in the uploader's area: refused in the same words
    whether it is registered elsewhere or the look-up limit is used up."""
    if ctx.whole_kelurahan:
        if elsewhere:
            raise ValidationError(out_of_area_message(what))
        return
    if not ctx.lookups_exhausted and not elsewhere:
        return
    if not ctx.lookups_exhausted and count_lookup(ctx.uploader):
        raise ValidationError(out_of_area_message(what))
    ctx.lookups_exhausted = True
    raise ValidationError(too_many_message())


def _rt(rw_value: Any, rt_value: Any, ctx: Context, dusun: Any = None) -> RT:
    mapped = ctx.mappings.get(area_key(dusun, rw_value, rt_value))
    if mapped is not None:
        if mapped.pk not in ctx.writable_rt_ids:
            raise ValidationError(_("The RT this area is mapped to is outside your area."))
        return mapped
    if _text(rw_value) in ("", "-", "0") and not is_blank(dusun):
        raise ValidationError(
            _(
                "Dusun %(dusun)s has no RW number in the file: map the file's dusun, RW and "
                "RT to the kelurahan's RW and RT first."
            )
            % {"dusun": _text(dusun)[:40]}
        )
    errors = _Errors()
    rw_number = errors(_area_number, rw_value, "rw")
    rt_number = errors(_area_number, rt_value, "rt")
    if errors.messages:
        raise ValidationError(errors.messages)
    place = {"rt": rt_number, "rw": rw_number, "kelurahan": ctx.kelurahan.name}
    rt = ctx.writable_rts.get((rw_number, rt_number))
    if rt is not None:
        return rt
    if (rw_number, rt_number) in ctx.existing_rts:
        raise ValidationError(
            _("RT %(rt)03d / RW %(rw)02d of %(kelurahan)s is outside your area.") % place
        )
    raise ValidationError(_("There is no RT %(rt)03d / RW %(rw)02d in %(kelurahan)s.") % place)


def _no_nik_duplicate(name: str, birth_date: dt.date, ctx: Context, chunk: Chunk) -> None:
    """Without a NIK, a row matching someone by name and birth date is refused:
    importing the same file twice must not register a child twice."""
    key = (name.casefold(), birth_date)
    if (
        key in ctx.unnumbered
        or key in chunk.unnumbered
        or Person.objects.filter(name__iexact=name, birth_date=birth_date).exists()
    ):
        raise ValidationError(
            _(
                "Someone with this name and date of birth is already in the register and the "
                "row has no NIK; if this is another person, add them with the form."
            )
        )
