"""Reading one cell of a residents file: text, numbers typed as numbers, extract extras."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.people.identity import check_nik
from kotacerdas.people.imports.sheet import column_name
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
