from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from kotacerdas.core.inputs import strip_separators
from kotacerdas.people.forms import known_prefixes
from kotacerdas.people.identity import check_nik

router = Router(tags=["identity"])


class NIKOut(Schema):
    valid: bool
    nik: str
    province_code: str | None = None
    city_code: str | None = None
    kecamatan_code: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    serial: str | None = None
    errors: list[str] = []
    warnings: list[str] = []


class NIKIn(Schema):
    nik: str = Field(
        max_length=32,
        description="The NIK; spaces, dots and dashes between the digits are accepted.",
        examples=["3274014503180002"],
    )


@router.post(
    "/nik/",
    response={200: NIKOut, 422: NIKOut},
    auth=None,
    summary="Check the structure of a NIK",
)
def parse_nik(request: HttpRequest, body: NIKIn) -> Status:
    """Decode a NIK into region, birth date, sex and serial.

    The NIK travels in the JSON body, never in the URL, so it stays out of
    access logs. Only the number's structure is checked; nothing is looked up
    in the register, so this endpoint reveals nothing about any person.
    """
    nik = strip_separators(body.nik)
    check = check_nik(nik, known_prefixes=known_prefixes())
    if not check.valid:
        return Status(422, {"valid": False, "nik": nik, "errors": check.errors})
    return Status(
        200,
        {
            "valid": True,
            "nik": nik,
            "province_code": check.province_code,
            "city_code": check.city_code,
            "kecamatan_code": check.kecamatan_code,
            "birth_date": check.birth_date,
            "sex": check.sex,
            "serial": check.serial,
            "warnings": check.warnings,
        },
    )
