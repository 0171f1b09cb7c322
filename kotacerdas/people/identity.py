"""NIK and No. KK: structure checks.

Rules from the Dukcapil structure of the 16-digit numbers
(``PP KK CC DD MM YY SSSS``): what is structurally impossible is an error
(the number is refused); what is merely unusual is a warning (shown, then
saved), because a NIK never changes when a person moves or when a recorded
birth date is corrected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# The 38 provinces (Kepmendagri 300.2.2-2138/2025).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)
MAX_AGE_YEARS = 120
_SIXTEEN_DIGITS = re.compile(r"\d{16}")


@dataclass
class NumberCheck:
    number: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    birth_date: dt.date | None = None  # for a No. KK: the date the card was issued
    sex: str | None = None  # "M" or "F"; NIK only

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def province_code(self) -> str:
        return self.number[:2]

    @property
    def city_code(self) -> str:
        return self.number[:4]

    @property
    def kecamatan_code(self) -> str:
        return self.number[:6]

    @property
    def serial(self) -> str:
        return self.number[12:]


def check_nik(
    nik: str,
    *,
    today: dt.date | None = None,
    known_prefixes: frozenset[str] | None = None,
    birth_date: dt.date | None = None,
    sex: str | None = None,
) -> NumberCheck:
    """Check a NIK; with ``birth_date``/``sex`` also compare it to the person."""
    return _check(
        nik,
        kind="NIK",
        female_offset=True,
        today=today,
        known_prefixes=known_prefixes,
        birth_date=birth_date,
        sex=sex,
    )


def check_kk(
    number: str, *, today: dt.date | None = None, known_prefixes: frozenset[str] | None = None
) -> NumberCheck:
    return _check(
        number, kind="No. KK", female_offset=False, today=today, known_prefixes=known_prefixes
    )


def _check(
    number: str,
    *,
    kind: str,
    female_offset: bool,
    today: dt.date | None,
    known_prefixes: frozenset[str] | None,
    birth_date: dt.date | None = None,
    sex: str | None = None,
) -> NumberCheck:
    today = today or dt.date.today()
    result = NumberCheck(number=number)
    if not _SIXTEEN_DIGITS.fullmatch(number):
        result.errors.append(
            _("%(kind)s must be exactly 16 digits (you entered %(count)d characters).")
            % {"kind": kind, "count": len(number)}
            if number.isdigit() or not number
            else _("%(kind)s may contain digits only.") % {"kind": kind}
        )
        return result
    if number[:2] not in PROVINCE_CODES:
        result.errors.append(
            _("%(kind)s starts with %(code)s, which is not an Indonesian province code.")
            % {"kind": kind, "code": number[:2]}
        )
    day_field, month, year2 = int(number[6:8]), int(number[8:10]), int(number[10:12])
    female = female_offset and day_field > 40
    day = day_field - 40 if female else day_field
    if not 1 <= month <= 12:
        result.errors.append(
            _("Digits 9–10 of the %(kind)s are the month, but %(month)02d is not a month.")
            % {"kind": kind, "month": month}
        )
    elif not 1 <= day <= 31:
        result.errors.append(
            _("Digits 7–8 of the %(kind)s are the day, but %(day)02d is not a day.")
            % {"kind": kind, "day": day_field}
        )
    else:
        found = _date_in_latest_century(day, month, year2, today)
        if found is None:
            result.errors.append(
                _(
                    "Digits 7–12 of the %(kind)s are not a real date (%(day)02d-%(month)02d-%(year)02d)."
                )
                % {"kind": kind, "day": day, "month": month, "year": year2}
            )
        result.birth_date = found
        result.sex = ("F" if female else "M") if female_offset else None
    if number[12:] == "0000":
        result.errors.append(
            _("The last four digits of the %(kind)s cannot be 0000.") % {"kind": kind}
        )
    if result.errors:
        return result
    # We know the kecamatan of our own city only: a NIK first registered in
    # another regency is normal for newcomers and is not questioned.
    if (
        known_prefixes is not None
        and number[:4] in {prefix[:4] for prefix in known_prefixes}
        and number[:6] not in known_prefixes
    ):
        result.warnings.append(
            _(
                "Region %(code)s at the start of the %(kind)s is not a current kecamatan code "
                "(possible for old numbers; please check the card)."
            )
            % {"code": number[:6], "kind": kind}
        )
    if birth_date is not None and result.birth_date is not None and birth_date != result.birth_date:
        result.warnings.append(
            _("The NIK encodes birth date %(nik_date)s but the birth date entered is %(date)s.")
            % {
                "nik_date": result.birth_date.strftime("%d-%m-%Y"),
                "date": birth_date.strftime("%d-%m-%Y"),
            }
        )
    if sex and result.sex and sex != result.sex:
        result.warnings.append(
            _("The NIK is that of a woman but the sex entered is male.")
            if result.sex == "F"
            else _("The NIK is that of a man but the sex entered is female.")
        )
    return result


def _date_in_latest_century(day: int, month: int, year2: int, today: dt.date) -> dt.date | None:
    """The latest date with these digits that is not after today and not too old."""
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + year2, month, day)
        except ValueError:
            continue
        if candidate <= today and today.year - candidate.year <= MAX_AGE_YEARS:
            return candidate
    return None


def mask_number(number: str) -> str:
    """3274••••••••0012: region and serial stay readable, the birth date does not."""
    if len(number) != 16:
        return "•" * len(number)
    return f"{number[:4]}{'•' * 8}{number[12:]}"


def mask_phone(phone: str) -> str:
    """+62812••••7890: the operator and the last four digits, for logs and lists."""
    if len(phone) < 9:
        return "•" * len(phone)
    return f"{phone[:5]}{'•' * (len(phone) - 9)}{phone[-4:]}"
