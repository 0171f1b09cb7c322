"""Where SMS gateways reach us: inbound messages and delivery reports.

Each gateway has its own views here, kept apart. They check who is calling
(an unguessable token in the URL and an allow-list of addresses), parse the
gateway's request, store through ``messaging.actions`` and answer quickly;
routing and replies happen in the worker.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.core.inputs import is_digits
from kotacerdas.messaging import actions
from kotacerdas.messaging.adapters.webhook import SIGNATURE_HEADER, signature_ok
from kotacerdas.messaging.models import Message

logger = logging.getLogger(__name__)


def check_gateway(request: HttpRequest, token: str) -> HttpResponse | None:
    """None when the caller may speak for a gateway, else the answer to give.

    A wrong token is a 404 (the URL does not exist for a stranger); a right
    token from an address outside ``SMS_INBOUND_ALLOWED_IPS`` is a 403.
    """
    expected = settings.SMS_INBOUND_TOKEN
    if not expected or not secrets.compare_digest(token.encode(), expected.encode()):
        raise Http404
    if request.META.get("REMOTE_ADDR", "") not in settings.SMS_INBOUND_ALLOWED_IPS:
        logger.warning("SMS gateway call from %s refused", request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden()
    return None


# Kannel ---------------------------------------------------------------------
#
# smsbox's sms-service posts to ``kannel_inbound`` (see ``manage.py kannel_config``)
# the text as the body, the sender in X-Kannel-From, and
# ``to=%P&coding=%c&charset=%C&id=%I&ts=%T&smsc=%i`` in the query; and
# every outbound message carries a dlr-url to ``kannel_delivery``.

KANNEL_DLR_STATUS = {
    1: Message.Status.DELIVERED,  # delivered to the phone
    2: Message.Status.FAILED,  # not delivered to the phone
    4: Message.Status.SENT,  # queued on the SMSC
    8: Message.Status.SENT,  # accepted by the SMSC
    16: Message.Status.FAILED,  # refused by the SMSC
}


@csrf_exempt
@login_not_required
@require_POST
def kannel_inbound(request: HttpRequest, token: str) -> HttpResponse:
    """One inbound SMS from Kannel: stored once, answered with an empty 200.

    POST only: the text comes in the body and the sender in ``X-Kannel-From``
    (``post-url`` with ``send-sender``), so neither lands in an access log; a
    GET (``get-url``, text and number in the query) is refused with 405.
    The answer carries no reply (the service runs with ``max-messages = 0``):
    replies go out through sendsms, from the worker, like every other SMS.
    """
    refused = check_gateway(request, token)
    if refused is not None:
        return refused
    fields = _raw_query(request)
    sender = _text(fields.get("sender", b"")) or request.headers.get("X-Kannel-From", "")
    if "text" in fields:
        body = fields["text"]
        coding = _text(fields.get("coding", b"0"))
        charset = _text(fields.get("charset", b""))
    else:
        body = request.body
        coding = request.headers.get("X-Kannel-Coding", fields.get("coding", b"0").decode())
        charset = (request.content_params or {}).get("charset", "")
    if not sender:
        return HttpResponse("sender is missing", status=400, content_type="text/plain")
    actions.receive(
        adapter="kannel",
        phone=sender,
        text=kannel_text(body, coding=coding, charset=charset),
        gateway_id=_text(fields.get("id", b"")),
        our_number=_text(fields.get("to", b"")),
        gateway_time=_unix_time(_text(fields.get("ts", b""))),
    )
    return HttpResponse(b"", content_type="text/plain")


@csrf_exempt
@login_not_required
@require_GET
def kannel_delivery(request: HttpRequest, token: str) -> HttpResponse:
    """Kannel's delivery report for one of our messages (``?message=<id>&status=%d``)."""
    refused = check_gateway(request, token)
    if refused is not None:
        return refused
    try:
        message_id = int(request.GET.get("message", ""))
        kannel_status = int(request.GET.get("status", ""))
    except ValueError:
        return HttpResponse("message and status must be numbers", status=400)
    status = KANNEL_DLR_STATUS.get(kannel_status)
    if status is None:
        return HttpResponse("unknown delivery status", status=400)
    error = request.GET.get("answer", "") if status == Message.Status.FAILED else ""
    # One UPDATE; only a report that changed nothing asks whether the message exists.
    moved = actions.advance_delivery_of(message_id, adapter="kannel", status=status, error=error)
    if not moved:
        ours = Message.objects.filter(
            pk=message_id, direction=Message.Direction.OUT, adapter="kannel"
        )
        if not ours.exists():
            raise Http404
    return HttpResponse(b"", content_type="text/plain")


def kannel_text(raw: bytes, *, coding: str, charset: str = "") -> str:
    """The text of a message as Kannel passed it (``%b``, or a POST body).

    Coding 2 is UCS-2, which Kannel hands over as UTF-16BE bytes (surrogate
    pairs for emoji included); 7-bit texts come as UTF-8 or, from older SMSC
    drivers, as a Windows code page; 8-bit data is kept byte for byte.
    """
    coding = coding.strip()
    if coding == "2" or charset.upper().replace("_", "-") in {"UTF-16BE", "UCS-2", "UTF-16"}:
        return raw.decode("utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _raw_query(request: HttpRequest) -> dict[str, bytes]:
    """The query string as bytes: ``%b`` is binary, not necessarily UTF-8."""
    query = request.META.get("QUERY_STRING", "")
    pairs = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
    return {key: value.encode("latin-1") for key, value in pairs}


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace").strip()


def _unix_time(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


# Generic webhook (a commercial provider) -------------------------------------
#
# The provider posts JSON signed like our requests to it
# (``X-Signature: sha256=<hex HMAC-SHA256 of the raw body>``, see
# ``adapters.webhook``). The signature is what authenticates it, so these
# views do not apply ``SMS_INBOUND_ALLOWED_IPS``: a provider calls from
# addresses of its own that change without notice.

WEBHOOK_STATUS = {
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "failed": Message.Status.FAILED,
}


def _webhook_error(error: str, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "error": error}, status=status)


def _webhook_payload(request: HttpRequest, token: str) -> dict[str, object] | JsonResponse:
    """The request's JSON object once token and signature check out, else the answer."""
    expected = settings.SMS_INBOUND_TOKEN
    if not expected or not secrets.compare_digest(token.encode(), expected.encode()):
        raise Http404
    if not signature_ok(request.body, request.headers.get(SIGNATURE_HEADER, "")):
        logger.warning(
            "SMS webhook: bad or missing signature from %s", request.META.get("REMOTE_ADDR")
        )
        return _webhook_error(f"{SIGNATURE_HEADER} is missing or does not sign the body", 401)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _webhook_error("the body is not JSON", 400)
    if not isinstance(payload, dict):
        return _webhook_error("the body must be a JSON object", 400)
    return payload


def _webhook_id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


@csrf_exempt
@login_not_required
@require_POST
def webhook_inbound(request: HttpRequest, token: str) -> HttpResponse:
    """``{"id", "from", "to", "text", "time"}``: stored once, answered with our id."""
    payload = _webhook_payload(request, token)
    if isinstance(payload, JsonResponse):
        return payload
    sender, text, to = payload.get("from"), payload.get("text"), payload.get("to", "")
    if not isinstance(sender, str) or not sender.strip():
        return _webhook_error('"from" must be the sender\'s number, as a string', 400)
    if not isinstance(text, str):
        return _webhook_error('"text" must be a string', 400)
    message, created = actions.receive(
        adapter="webhook",
        phone=sender,
        text=text,
        gateway_id=_webhook_id(payload.get("id")),
        our_number=to if isinstance(to, str) else "",
        gateway_time=_webhook_time(payload.get("time")),
    )
    return JsonResponse({"ok": True, "message": message.pk, "duplicate": not created})


@csrf_exempt
@login_not_required
@require_POST
def webhook_status(request: HttpRequest, token: str) -> HttpResponse:
    """``{"id": <our id or the provider's>, "status": "sent|delivered|failed"}``."""
    payload = _webhook_payload(request, token)
    if isinstance(payload, JsonResponse):
        return payload
    status = WEBHOOK_STATUS.get(str(payload.get("status", "")).lower())
    if status is None:
        return _webhook_error('"status" must be one of sent, delivered, failed', 400)
    reference = _webhook_id(payload.get("id"))
    if not reference:
        return _webhook_error('"id" must be our message id or the provider\'s', 400)
    ours = Message.objects.filter(direction=Message.Direction.OUT, adapter="webhook")
    message = ours.filter(gateway_id=reference).first()
    if message is None and is_digits(reference):
        message = ours.filter(pk=int(reference)).first()
    if message is None:
        return _webhook_error("no message of ours has this id", 404)
    error = payload.get("error", "")
    changed = actions.record_delivery(
        message, status, error=str(error) if status == Message.Status.FAILED and error else ""
    )
    return JsonResponse({"ok": True, "message": message.pk, "changed": changed})


def _webhook_time(value: object) -> dt.datetime | None:
    """ISO 8601 or a Unix time; a time we cannot read is left out, not refused."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _unix_time(str(int(value)))
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _unix_time(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
