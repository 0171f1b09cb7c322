"""Reading one cell of a residents file: text, numbers typed as numbers, extract extras."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.people.forms import normalise_phone
from kotacerdas.people.identity import check_nik
from kotacerdas.people.imports.columns import HEADER, SEX_LOOKUP, normalise
from kotacerdas.people.imports.sheet import column_name, is_blank
from kotacerdas.people.models import BloodType, Citizenship, IdentityCard


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def digits(value: Any, column: str) -> str:
    """A NIK or No. KK cell. Excel keeps 15 significant digits of a number, so a
    16-digit number typed into a Number cell has lost its last digit (it reads 0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = str(value)
        if len(number) >= 16 and number.endswith("0"):
            raise ValidationError(
                _(
                    "%(column)s was typed as a number, and Excel keeps only 15 digits, so the "
                    "last digit is lost. Format the column as Text and type the number again."
                )
                % {"column": column}
            )
        return number
    return "".join(text(value).split())


def extra_fields(values: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """What an extract carries beyond the template: parents, documents, blood type."""
    fields: dict[str, Any] = {}
    for key in ("father", "mother"):
        nik = digits(values.get(f"{key}_nik"), column_name(f"{key}_nik"))
        if nik and not check_nik(nik).valid:
            notes.append(
                _("%(column)s is not a valid NIK and was left out.")
                % {"column": column_name(f"{key}_nik")}
            )
            nik = ""
        fields[f"{key}_nik"] = nik
        fields[f"{key}_name"] = _extra_text(values, f"{key}_name", 150)
    fields["birth_certificate_number"] = _extra_text(values, "birth_certificate", 60)
    fields["schooling"] = _extra_text(values, "schooling", 60)
    for key, choices in (
        ("blood_type", BloodType),
        ("identity_card", IdentityCard),
        ("citizenship", Citizenship),
    ):
        value = text(values.get(key))
        if value and value not in choices.values:
            raise ValidationError(
                _("%(column)s “%(value)s” is not known.")
                % {"column": column_name(key), "value": value[:20]}
            )
        fields[key] = value
    return fields


def _extra_text(values: dict[str, Any], key: str, max_length: int) -> str:
    value = text(values.get(key))
    if value in ("-", "0"):
        return ""
    if len(value) > max_length:
        raise ValidationError(
            _("%(column)s is longer than %(max)d characters.")
            % {"column": column_name(key), "max": max_length}
        )
    return value


def area_key(dusun: Any, rw_value: Any, rt_value: Any) -> tuple[str, str, str]:
    """A file's dusun/RW/RT as the mapping remembers it ("004" and 4.0 are RT 4)."""

    def number(value: Any) -> str:
        written = text(value)
        return written.lstrip("0") or written if written.isdigit() else written

    return (text(dusun).upper(), number(rw_value), number(rt_value))


# The template's columns, checked by the person form's rules (``rows.check_row``).

MAX_AGE_YEARS = 130  # the person form's oldest birth date


def required(value: Any, key: str, max_length: int) -> str:
    written = text(value)
    if not written:
        raise ValidationError(_("%(column)s is empty.") % {"column": HEADER[key]})
    return optional(written, key, max_length)


def optional(value: Any, key: str, max_length: int) -> str:
    written = text(value)
    if len(written) > max_length:
        raise ValidationError(
            _("%(column)s is longer than %(max)d characters.")
            % {"column": HEADER[key], "max": max_length}
        )
    return written


def choice(value: Any, key: str, lookup: dict[str, str], allowed: str) -> str:
    written = text(value)
    if not written:
        return ""
    code = lookup.get(normalise(written))
    if code is None:
        raise ValidationError(
            _("%(column)s “%(value)s” is not one of: %(allowed)s.")
            % {"column": HEADER[key], "value": written[:40], "allowed": allowed}
        )
    return code


def birth_date(value: Any, today: dt.date) -> dt.date:
    column = HEADER["birth_date"]
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif is_blank(value):
        raise ValidationError(_("%(column)s is empty.") % {"column": column})
    else:
        date = _date_fromtext(text(value), column)
    # The person form's rules, in its words.
    if date > today:
        raise ValidationError(_("The date of birth cannot be in the future."))
    if date.year < today.year - MAX_AGE_YEARS:
        raise ValidationError(_("The date of birth is more than 130 years ago."))
    return date


def _date_fromtext(text: str, column: str) -> dt.date:
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("%(column)s “%(value)s” is not a date: use an Excel date or text as dd-mm-yyyy.")
        % {"column": column, "value": text[:20]}
    )


def area_number(value: Any, key: str) -> int:
    written = text(value)
    if not written:
        raise ValidationError(_("%(column)s is empty.") % {"column": HEADER[key]})
    if not written.isdigit() or not 0 < int(written) < 1000:
        raise ValidationError(
            _("%(column)s must be a number such as 1 or 001.") % {"column": HEADER[key]}
        )
    return int(written)


def sex(value: Any) -> str:
    code = choice(value, "sex", SEX_LOOKUP, "L, P")
    if not code:
        raise ValidationError(_("%(column)s is empty.") % {"column": HEADER["sex"]})
    return code


def phone(value: Any) -> str:
    written = text(value)
    if not written:
        return ""
    try:
        return normalise_phone(written)
    except ValidationError as exc:
        raise ValidationError(f"{HEADER['phone']}: {exc.messages[0]}") from exc
