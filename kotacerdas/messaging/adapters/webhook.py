"""A commercial SMS provider's HTTP API: signed JSON both ways.

Out: ``POST SMS_WEBHOOK_URL`` with ``{"id", "to", "from", "text"}`` and
``X-Signature: sha256=<hex HMAC-SHA256 of the body with SMS_WEBHOOK_SECRET>``;
the provider answers 2xx ``{"id": "<its id>"}``. In: the provider posts
inbound messages and delivery reports, signed the same way, to
``/sms/webhook/<SMS_INBOUND_TOKEN>/masuk`` and ``…/status``
(``messaging.gateway_views``). Standard library only: one POST per message
needs no HTTP client package.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would repeat a redirected POST as a GET, without the message.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class WebhookAdapter(Adapter):
    code = "webhook"
    name = "HTTP webhook (commercial provider)"
    timeout = 15.0  # seconds

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
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                SIGNATURE_HEADER: signature(body),
            },
        )
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = exc.read(200).decode("utf-8", errors="replace").strip()
            error = f"provider answered HTTP {exc.code}: {detail}"[:300]
            if exc.code < 500 and exc.code not in RETRY_STATUSES:
                return SendResult(accepted=False, retry=False, error=error)
            return SendResult(accepted=False, retry=True, error=error)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"provider unreachable: {reason}", retry=True) from exc
        try:
            provider_id = json.loads(answer)["id"]
        except (ValueError, KeyError, TypeError):
            provider_id = None
        if isinstance(provider_id, bool) or not isinstance(provider_id, str | int):
            logger.warning("SMS %s: the provider accepted it without an id", message.pk)
            return SendResult(accepted=True)
        return SendResult(accepted=True, gateway_id=str(provider_id))
