"""Cirebon Melet by plain SMS: ``WIFI <code> MATI`` tells DKIS a point is down.

The message is already stored by messaging before this runs (nothing sent is
lost); the handler files a down report that opens or joins the point's outage.
The reply names the point, never the sender.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.literacy.actions.points import receive_down_report
from kotacerdas.literacy.models import DownReport, Point
from kotacerdas.messaging import router
from kotacerdas.messaging.models import Message

DOWN_WORDS = {"MATI", "DOWN", "RUSAK", "PADAM"}


def handle_wifi(message: Message, rest: str) -> str:
    words = router.SEPARATORS.split(rest.strip()) if rest.strip() else []
    if len(words) != 2 or words[1].upper() not in DOWN_WORDS:
        return _("To report a WiFi point that is down, send: WIFI <point code> MATI")
    code = words[0].upper()
    point = Point.objects.exclude(status=Point.Status.REMOVED).filter(code=code).first()
    if point is None:
        return _(
            "No WiFi point has the code %(code)s. The code is on the sticker at the point."
        ) % {"code": code[:12]}
    receive_down_report(point, DownReport.Channel.SMS, message)
    return _("Thank you: DKIS now knows that WiFi %(code)s (%(name)s) is down.") % {
        "code": point.code,
        "name": point.name[:40],
    }


def register_keywords() -> None:
    router.register(
        "WIFI", handle_wifi, help=gettext_lazy("WIFI <code> MATI when a city WiFi point is down")
    )
