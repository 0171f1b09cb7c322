"""The SMS gateways, in one registry. ``settings.SMS_ADAPTER`` picks the one
that sends; each receives through its own entry point."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kotacerdas.messaging.adapters.base import Adapter
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.adapters.gammu import GammuAdapter
from kotacerdas.messaging.adapters.kannel import KannelAdapter
from kotacerdas.messaging.adapters.webhook import WebhookAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    adapter.code: adapter
    for adapter in (
        FileAdapter,
        KannelAdapter,
        GammuAdapter,
        WebhookAdapter,
    )
}


def get_adapter(code: str | None = None) -> Adapter:
    """The adapter named ``code``, or the configured one."""
    code = code or settings.SMS_ADAPTER
    try:
        return ADAPTERS[code]()
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"SMS adapter {code!r} is unknown; choose one of {', '.join(sorted(ADAPTERS))}"
        ) from exc
