"""The birth report in steps: each step is one part of F-2.01 on its own page,
saved to the draft with "save and continue"; the last step (documents, review
and sending) is the report's own page.

A step is named in the URL by a plain word (``/kelahiran/<id>/langkah/ibu/``):
never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kotacerdas.births.forms import (
    CHILD_FIELDS,
    FAMILY_FIELDS,
    FATHER_FIELDS,
    MOTHER_FIELDS,
    PLACE_FIELDS,
    REPORTER_FIELDS,
    DeclarationForm,
)
from kotacerdas.births.models import Declaration


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    fields: tuple[str, ...]
    # What must be filled in for the step to count as done (the father is optional).
    required: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "bayi",
        gettext_lazy("The baby"),
        tuple(CHILD_FIELDS),
        ("child_name", "child_sex", "birth_date", "birth_place_type", "attendant"),
    ),
    Step("ibu", gettext_lazy("The mother"), tuple(MOTHER_FIELDS), ("mother_nik", "mother_name")),
    Step("ayah", gettext_lazy("The father"), tuple(FATHER_FIELDS), ()),
    Step(
        "keluarga",
        gettext_lazy("The family card"),
        (*FAMILY_FIELDS, *PLACE_FIELDS),
        ("kk_number", "address"),
    ),
    Step(
        "pelapor",
        gettext_lazy("Reporter and witnesses"),
        tuple(REPORTER_FIELDS),
        ("reporter_nik", "reporter_name", "reporter_relation", "parent_phone"),
    ),
)
BY_SLUG = {step.slug: step for step in STEPS}
FIRST = STEPS[0]
# The last step is the report's page: documents, a review of everything, sending.
DOCUMENTS_TITLE = gettext_lazy("Documents and sending")


def next_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def is_done(declaration: Declaration, step: Step) -> bool:
    """Filled in: every required answer of the step is there (the father's step
    counts once the report has moved past it)."""
    if declaration.pk is None:
        return False
    if not step.required:
        later = STEPS[STEPS.index(step) + 1 :]
        return bool(declaration.father_name) or any(is_done(declaration, s) for s in later)
    filled = all(getattr(declaration, name) not in (None, "") for name in step.required)
    if filled and step.slug == "pelapor" and declaration.channel == "parent":
        # A parent reports as the mother or the father: a parent's NIK changed on an
        # earlier step since brings the reporter's step back.
        return declaration.reporter_nik in (declaration.mother_nik, declaration.father_nik)
    return filled


def unfinished(declaration: Declaration) -> list[Step]:
    """Steps still to fill in before the report can be sent."""
    return [step for step in STEPS if step.required and not is_done(declaration, step)]


def step_list(declaration: Declaration | None, current: Step | None) -> list[dict[str, Any]]:
    """The list at the top of every step: done, current or still to do."""
    items: list[dict[str, Any]] = []
    for number, step in enumerate(STEPS, start=1):
        done = declaration is not None and is_done(declaration, step)
        items.append(
            {
                "number": number,
                "slug": step.slug,
                "title": step.title,
                "state": "current" if step == current else ("done" if done else "todo"),
                "link": declaration is not None and declaration.pk is not None,
            }
        )
    items.append(
        {
            "number": len(STEPS) + 1,
            "slug": "",
            "title": DOCUMENTS_TITLE,
            "state": "current" if current is None else "todo",
            "link": declaration is not None and declaration.pk is not None,
        }
    )
    return items


def step_form(
    step: Step,
    data: Any,
    declaration: Declaration | None,
    *,
    as_parent: bool,
    partial: bool,
    for_citizen: bool,
) -> DeclarationForm:
    """The declaration form cut to one step's fields."""
    kwargs: dict[str, Any] = {} if declaration is None else {"instance": declaration}
    return DeclarationForm(
        data,
        as_parent=as_parent,
        partial=partial,
        for_citizen=for_citizen,
        only=step.fields,
        **kwargs,
    )
