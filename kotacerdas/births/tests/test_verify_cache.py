"""The verification page from the shared cache: a revoked akta shows within the stated seconds."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

from django.test import Client
from django.urls import reverse
from django.utils import translation

from kotacerdas.births import actions
from kotacerdas.births.models import Declaration
from kotacerdas.core import pagecache


def _page(client: Client, token: str) -> tuple[int, str]:
    with translation.override("id"):
        page = client.get(reverse("births:verify", args=[token]))
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
    return page.status_code, body  # without the CSRF token: masked anew for each answer


def test_a_revoked_certificate_shows_within_the_stated_seconds(
    registered: Declaration, registrar: Any, client: Client, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = {"certificate_verification": 5}
    certificate = registered.current_certificate
    assert certificate is not None
    status, before = _page(client, certificate.token)
    assert status == 200 and "SAH" in before and "paling lambat 5 detik" in before
    actions.revoke(certificate, "Dokumen dasar palsu", actor=registrar, request=None)
    assert _page(client, certificate.token)[1] == before  # still within the 5 seconds
    with mock.patch.object(pagecache, "_now", return_value=pagecache._now() + 5.1):
        assert "TIDAK BERLAKU: DICABUT" in _page(client, certificate.token)[1]


def test_unknown_codes_are_never_cached_so_the_limit_counts_every_try(
    registered: Declaration, client: Client, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = {"certificate_verification": 5}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "birth_code_unknown": (2, 3600)}
    statuses = [_page(client, "Zm9yZ2VkLXRva2VuLTEyMzQ1Njc4")[0] for _ in range(3)]
    assert statuses == [404, 404, 429]
