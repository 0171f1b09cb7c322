from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

router = Router()


@router.get("/count", auth=None)
def sample_count(request: HttpRequest) -> dict[str, int]:
    return {"samples": 3}
