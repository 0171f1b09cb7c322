from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.core.inputs import is_digits
from kotacerdas.people.identity import mask_phone

# mask_phone lives with the register's masks; imported from here by older callers.
__all__ = ["inbound_sender", "mask_phone", "mobile_or_blank", "normalise_mobile"]

# E.164: at most 15 digits after the "+". An operator's sender name ("INFO-OPERATOR"):
# letters among them, and short enough to keep whole in Message.phone.
E164_MAX_DIGITS = 15
SENDER_NAME = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,20}")

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_mobile(raw: str) -> str:
    """An Indonesian mobile number in E.164 (+628…), or ValidationError."""
    try:
        number = phonenumbers.parse(raw.strip(), "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="invalid") from exc
    if (
        number.country_code != 62
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(
            _("This is not an Indonesian mobile number (it should look like 0812…)."),
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mobile_or_blank(phone: str) -> str:
    """``phone`` as an Indonesian mobile in E.164, or "" when it is none."""
    try:
        return normalise_mobile(phone)
    except ValidationError:
        return ""


def inbound_sender(raw: str) -> str | None:
    """How the sender of an inbound SMS is kept, or None when it is no sender at all.

    A mobile number in E.164; another number (a short code, a landline) of at
    most 15 digits, or an operator's sender name, as sent. Anything else
    ("+62" and 40 nines) is refused: cut to fit, it would pass for a number.
    """
    raw = raw.strip()
    mobile = mobile_or_blank(raw)
    if mobile:
        return mobile
    digits = raw.removeprefix("+")
    if is_digits(digits) and len(digits) <= E164_MAX_DIGITS:
        return raw
    if SENDER_NAME.fullmatch(raw):
        return raw
    return None
