"""A citizen's account and the register: the verified link to a person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.core import limits
from kotacerdas.people.models import (
    Citizen,
    Person,
)


def link_citizen(citizen: Citizen, nik: str, *, request: HttpRequest | None) -> Person:
    """Link the citizen's account to the living resident with this NIK and the
    account's own number in the register.

    The number alone proves nothing (a recycled or mistyped phone): the NIK
    must match too. Tries are limited per account (``citizen_link`` in
    ``settings.RATE_LIMITS``). Raises ValidationError naming the problem;
    nothing is linked then. Failed tries are audited.
    """
    if not limits.hit("citizen_link", str(citizen.pk)):
        raise ValidationError(
            _("Too many NIKs tried from this account. Try again in an hour, or ask the cadre."),
            code="too_many",
        )
    person = (
        Person.objects.filter(
            nik="".join(nik.split()), status=Person.Status.ALIVE, phone=citizen.phone
        )
        .exclude(phone="")
        .first()
    )
    if person is None:
        record("citizen.link_failed", obj=citizen, request=request)
        raise ValidationError(
            _(
                "No one with this NIK and your mobile number is in the register. Check the "
                "NIK, or ask your RW or posyandu cadre to write your number in the register."
            ),
            code="no_match",
        )
    with transaction.atomic():
        locked = Citizen.objects.select_for_update().get(pk=citizen.pk)
        if locked.person_id not in (None, person.pk):
            raise ValidationError(
                _("This account is already linked to someone else in the register."),
                code="linked",
            )
        locked.person = person
        locked.save(update_fields=["person"])
        record("citizen.link", obj=citizen, request=request, person=person.pk)
    limits.reset("citizen_link", str(citizen.pk))
    citizen.person = person
    return person
