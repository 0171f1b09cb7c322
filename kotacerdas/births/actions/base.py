"""What the births actions share: references, the parent's SMS, row locks."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kotacerdas.births.models import Declaration
from kotacerdas.core.addresses import public_base_url
from kotacerdas.messaging.actions import RateLimited, send_sms

logger = logging.getLogger("kotacerdas.births.actions")
# No 0/O, 1/I/L: read aloud over the phone and typed from an SMS.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "BRJ-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def sms_parent(declaration: Declaration, message: Callable[[], str], purpose: str) -> None:
    """Tell the parent's number; never with names or numbers of the family in it.

    ``message`` gives the text with %(ref)s and %(url)s, in the site's language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = message() % {"ref": declaration.reference, "url": account_url()}
    try:
        send_sms(declaration.parent_phone, text, purpose=purpose, related=declaration)
    except (RateLimited, ValidationError):
        logger.info("No %s SMS for declaration %s", purpose, declaration.pk)


def account_url() -> str:
    return public_base_url(settings.BIRTHS_PUBLIC_BASE_URL) + reverse("births:start")


def locked(declaration: Declaration, *statuses: str) -> Declaration:
    found = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if found.status not in statuses:
        raise ValidationError(
            _("This report is now “%(status)s”; someone may have acted on it already.")
            % {"status": found.get_status_display()}
        )
    return found
