"""Kannel: outbound SMS through smsbox's sendsms interface, over plain HTTP.

Inbound messages and delivery reports come to ``messaging.gateway_views``
(``kannel_inbound``, ``kannel_delivery``); ``manage.py kannel_config``
prints a kannel.conf that wires both. Requests go through
``core.outbound``: one kept-alive connection to smsbox per worker thread,
never inside a transaction.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from kotacerdas.core import outbound
from kotacerdas.core.addresses import public_base_url
from kotacerdas.messaging.adapters.base import Adapter, GatewayError, SendResult
from kotacerdas.messaging.encoding import count_segments
from kotacerdas.messaging.models import Message

# Bits of Kannel's dlr-mask: delivered (1), not delivered (2), queued on the
# SMSC (4), accepted by the SMSC (8), refused by the SMSC (16). We ask for 1, 2
# and 16 only: 4 and 8 would just say "sent", which sendsms's 202 already told
# us, and each costs Kannel a callback per message (bench: 3 requests to us per
# answered SMS became 2).
DLR_MASK = 1 | 2 | 16
# sendsms answers 202 with "0: Accepted for delivery" or "3: Queued for later delivery".
ACCEPTED_REPLIES = ("0:", "3:")


class KannelAdapter(Adapter):
    code = "kannel"
    name = "Kannel (SMSC or GSM modem)"
    # smsbox answers at once; a slow answer means it is overloaded or gone.
    timeout = 5.0
    concurrent = True

    def send(self, message: Message) -> SendResult:
        try:
            answer = outbound.request(
                "GET", self.sendsms_url(message), timeout=self.timeout, max_body=1000, what="Kannel"
            )
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out
            raise GatewayError(f"Kannel unreachable: {exc}", retry=True) from exc
        reply = _reply_text(answer.body)
        status = answer.status
        if 200 <= status < 300 and reply.startswith(ACCEPTED_REPLIES):
            # sendsms gives no id of its own; delivery reports carry ours.
            return SendResult(accepted=True, gateway_id=str(message.pk))
        if 400 <= status < 500:
            # A wrong password, a missing field, a refused sender; the same
            # request will be refused again.
            return SendResult(accepted=False, retry=False, error=f"Kannel {status}: {reply}")
        return SendResult(accepted=False, retry=True, error=f"Kannel {status}: {reply}")

    def sendsms_url(self, message: Message) -> str:
        """The sendsms request for ``message``; it holds the password, never log it."""
        params: dict[str, str | bytes] = {
            "username": settings.KANNEL_USERNAME,
            "password": settings.KANNEL_PASSWORD,
            "from": settings.SMS_SENDER,
            "to": message.phone,
            "dlr-mask": str(DLR_MASK),
            "dlr-url": self.delivery_url(message),
        }
        if count_segments(message.text).encoding == "gsm7":
            params["text"] = message.text  # UTF-8, Kannel's default for 7-bit
        else:
            # UCS-2: the body pre-encoded as UTF-16BE and no charset, so Kannel
            # need not convert (builds without iconv refuse a charset).
            params["coding"] = "2"
            params["text"] = message.text.encode("utf-16-be")
        if settings.KANNEL_SMSC:
            params["smsc"] = settings.KANNEL_SMSC
        return f"{settings.KANNEL_SENDSMS_URL}?{urlencode(params)}"

    @staticmethod
    def delivery_url(message: Message) -> str:
        """Where Kannel reports delivery: our message id, Kannel's ``%d`` and the SMSC's answer."""
        path = reverse("sms-gateway:kannel-delivery", kwargs={"token": settings.SMS_INBOUND_TOKEN})
        base = public_base_url(settings.SMS_CALLBACK_BASE_URL)
        return f"{base}{path}?message={message.pk}&status=%d&answer=%A"


def _reply_text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace").strip()[:200]
