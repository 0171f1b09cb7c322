"""A commercial SMS provider's HTTP API: signed JSON both ways.

Out: ``POST SMS_WEBHOOK_URL`` with ``{"id", "to", "from", "text"}`` and
``X-Signature: sha256=<hex HMAC-SHA256 of the body with SMS_WEBHOOK_SECRET>``;
the provider answers 2xx ``{"id": "<its id>"}``. In: the provider posts
inbound messages and delivery reports, signed the same way, to
``/sms/webhook/<SMS_INBOUND_TOKEN>/masuk`` and ``…/status``
(``messaging.gateway_views``). Requests go through ``core.outbound``: one
kept-alive connection to the provider per worker thread, the TLS context made
once, never inside a transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kotacerdas.core import outbound
from kotacerdas.messaging.adapters.base import Adapter, GatewayError, SendResult
from kotacerdas.messaging.models import Message

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature"
# A provider that is slow or busy: trying again later may help.
RETRY_STATUSES = {408, 425, 429}


def signature(body: bytes, secret: str | None = None) -> str:
    """``sha256=<hex>``: the HMAC-SHA256 of the raw body with the shared secret."""
    key = (settings.SMS_WEBHOOK_SECRET if secret is None else secret).encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: str) -> bool:
    """Whether ``header`` signs ``body``; always False without a configured secret."""
    if not settings.SMS_WEBHOOK_SECRET or not header:
        return False
    return hmac.compare_digest(header.strip().encode(), signature(body).encode())


class WebhookAdapter(Adapter):
    code = "webhook"
    name = "HTTP webhook (commercial provider)"
    timeout = 15.0  # seconds
    concurrent = True

    def send(self, message: Message) -> SendResult:
        """POST the message; 4xx is a refusal, 5xx or no answer is worth a retry.

        A 2xx answer without a provider id still means the provider took the
        message: sending it again would reach the citizen twice.
        """
        url = settings.SMS_WEBHOOK_URL
        if not url.startswith(("https://", "http://")) or not settings.SMS_WEBHOOK_SECRET:
            raise ImproperlyConfigured("Set SMS_WEBHOOK_URL (http or https) and SMS_WEBHOOK_SECRET")
        body = json.dumps(
            {
                "id": message.pk,
                "to": message.phone,
                "from": settings.SMS_SENDER,
                "text": message.text,
            },
            ensure_ascii=False,
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            SIGNATURE_HEADER: signature(body),
        }
        try:
            response = outbound.request(
                "POST", url, body=body, headers=headers, timeout=self.timeout, what="SMS webhook"
            )
        except (OSError, http.client.HTTPException) as exc:
            raise GatewayError(f"provider unreachable: {exc}", retry=True) from exc
        answer = response.body
        if not 200 <= response.status < 300:
            # Redirects are not followed: a redirected POST would lose the message.
            detail = answer[:200].decode("utf-8", errors="replace").strip()
            error = f"provider answered HTTP {response.status}: {detail}"[:300]
            if response.status < 500 and response.status not in RETRY_STATUSES:
                return SendResult(accepted=False, retry=False, error=error)
            return SendResult(accepted=False, retry=True, error=error)
        try:
            provider_id = json.loads(answer)["id"]
        except (ValueError, KeyError, TypeError):
            provider_id = None
        if isinstance(provider_id, bool) or not isinstance(provider_id, str | int):
            logger.warning("SMS %s: the provider accepted it without an id", message.pk)
            return SendResult(accepted=True)
        return SendResult(accepted=True, gateway_id=str(provider_id))
