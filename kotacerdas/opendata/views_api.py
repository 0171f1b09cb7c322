"""The CKAN-compatible Action API (``/api/3/action/<name>`` and ``/api/action/<name>``).

GET takes the query parameters, POST a JSON object body (what ckanapi sends);
answers carry CKAN's envelope ``{"help", "success", "result"}`` and errors
``{"help", "success": false, "error": {"__type", "message"}}`` with CKAN's
statuses: 404 Not Found Error, 409 Validation Error, 400 Search Query Error and
bad requests (an unknown action, a body that is not a JSON object).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kotacerdas.opendata.ckan import ACTIONS, ActionError


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> JsonResponse:
    """One CKAN action, read only."""
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={name}")
    function = ACTIONS.get(name)
    try:
        if function is None:
            raise ActionError(400, "Bad Request", f"Bad request - Action name not known: {name}")
        result = function(_params(request), request.build_absolute_uri)
    except ActionError as error:
        body: dict[str, Any] = {"__type": error.kind, "message": error.message, **error.fields}
        envelope = {"help": help_url, "success": False, "error": body}
        return JsonResponse(
            envelope, status=error.status, json_dumps_params={"ensure_ascii": False}
        )
    envelope = {"help": help_url, "success": True, "result": result}
    return JsonResponse(envelope, json_dumps_params={"ensure_ascii": False})


def _params(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST" and request.body.strip():
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise ActionError(
                400, "Bad Request", "Bad request - JSON Error: badan permintaan bukan JSON"
            ) from None
        if not isinstance(data, dict):
            raise ActionError(
                400, "Bad Request", "Bad request - JSON Error: harus berupa objek JSON"
            )
        return data
    return {key: request.GET.get(key) for key in request.GET}
