"""A daily SMS to each puskesmas' on-duty health officers: how many new alerts.

Counts only, never a name, a child or a diagnosis; the officer reads the
alerts at /posyandu/peringatan/ after signing in.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import override

from kotacerdas.accounts.models import Membership, Unit
from kotacerdas.messaging.actions import RateLimited, send_sms
from kotacerdas.posyandu.access import posyandu_for_user
from kotacerdas.posyandu.models import Alert
from kotacerdas.posyandu.roles import PosyanduRole

logger = logging.getLogger(__name__)


def digest_text(count: int) -> str:
    with override("id"):
        return _(
            "E-Posyandu: %(count)s new alerts in your area since yesterday. "
            "Open the posyandu alerts page to follow them up."
        ) % {"count": count}


def send_digests(since: dt.datetime) -> int:
    """One SMS per on-duty health officer of a puskesmas with new alerts since ``since``."""
    sent = 0
    officers = Membership.objects.filter(
        role=PosyanduRole.HEALTH_OFFICER, on_duty=True, unit__kind=Unit.Kind.PUSKESMAS
    ).select_related("user", "unit__region")
    texted: set[int] = set()
    for membership in officers:
        phone = membership.user.phone
        # The count covers all the officer's posyandu: one SMS however many units.
        if not phone or membership.user_id in texted:
            continue
        texted.add(membership.user_id)
        count = (
            Alert.objects.filter(
                posyandu__in=posyandu_for_user(membership.user), created_at__gte=since
            )
            .aggregate(n=Count("id"))
            .get("n")
            or 0
        )
        if not count:
            continue
        try:
            send_sms(phone, digest_text(count), purpose="posyandu_alerts")
        except (ValidationError, RateLimited):
            logger.warning("posyandu alert digest refused for user %s", membership.user_id)
        else:
            sent += 1
    return sent
