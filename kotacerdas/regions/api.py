from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from kotacerdas.regions.models import RT, RW, Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    level: str
    name: str
    parent_code: str | None


@router.get("/", response=list[RegionOut], auth=None, summary="The region tree, parents first")
def list_regions(request: HttpRequest) -> list[dict[str, str | None]]:
    """Every region from the province down to RT.

    RW and RT have no Kepmendagri code; they get the kelurahan's code with
    ``.RW`` and ``.RW.RT`` numbers appended (``32.74.01.1001.01.003``).
    """
    Row = dict[str, str | None]
    regions: list[Row] = [
        {"code": code, "level": level, "name": name, "parent_code": parent}
        for code, level, name, parent in Region.objects.values_list(
            "code", "level", "name", "parent_id"
        )
    ]
    rws: list[Row] = [
        {
            "code": f"{kelurahan}.{number:02d}",
            "level": "rw",
            "name": name or f"RW {number:02d}",
            "parent_code": kelurahan,
        }
        for kelurahan, number, name in RW.objects.values_list("kelurahan_id", "number", "name")
    ]
    rts: list[Row] = [
        {
            "code": f"{kelurahan}.{rw_number:02d}.{number:03d}",
            "level": "rt",
            "name": f"RT {number:03d}",
            "parent_code": f"{kelurahan}.{rw_number:02d}",
        }
        for kelurahan, rw_number, number in RT.objects.values_list(
            "rw__kelurahan_id", "rw__number", "number"
        )
    ]
    return regions + rws + rts
