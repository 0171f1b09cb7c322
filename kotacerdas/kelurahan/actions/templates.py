"""Publishing a new version of a letter type's text (the old ones stay with their letters)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from kotacerdas.audit.actions import record
from kotacerdas.kelurahan import numbering, sandbox
from kotacerdas.kelurahan.catalogue import placeholders_of
from kotacerdas.kelurahan.models import LetterType, TemplateVersion


def publish(
    letter_type_id: int, user: Any, *, body: str, classification: str, number_format: str
) -> TemplateVersion:
    """Check the text in the sandbox (ValidationError in Indonesian), then store it as the next version."""
    with transaction.atomic():
        letter_type = LetterType.objects.select_for_update().get(pk=letter_type_id)
        sandbox.check(body, placeholders_of(letter_type.extra_fields, letter_type.persons))
        if number_format:
            numbering.check_format(number_format)
        last = letter_type.versions.aggregate(n=Max("number"))["n"] or 0
        current = letter_type.current_version()
        if current is not None and current.body == body:
            version = current  # only the code or the number format changed
        else:
            version = TemplateVersion.objects.create(
                letter_type=letter_type, number=last + 1, body=body, created_by=user
            )
        letter_type.classification, letter_type.number_format = (
            classification.strip(),
            number_format,
        )
        letter_type.save(update_fields=["classification", "number_format"])
        record("kelurahan.template_published", actor=user, obj=letter_type, version=version.number)
    return version
