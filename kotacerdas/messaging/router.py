"""Keyword routing of inbound SMS.

Modules register their keywords once, in their ``AppConfig.ready``::

    router.register("WADUL", handle_wadul, help=_("WADUL <cerita>: lapor ..."))

The first word of a message picks the handler; ``#``, ``*`` and runs of
spaces all separate words (``WADUL#fisik#Kejaksan#...``, ``cek*WB-7K3Q9P``).
A handler gets the stored message and the rest of the text, and returns the
reply (or None for no reply). An unknown keyword gets a short help reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from kotacerdas.messaging.models import Message

Handler = Callable[["Message", str], "str | None"]
SEPARATORS = re.compile(r"[\s#*]+")


@dataclass(frozen=True)
class Route:
    keyword: str
    handler: Handler
    help: str | Promise
    listed: bool = True


_routes: dict[str, Route] = {}
# The help reply per language: built once per process, again when a keyword comes or goes.
_help: dict[str, str] = {}


def register(
    keyword: str,
    handler: Handler,
    *,
    help: str | Promise,
    listed: bool = True,
) -> None:
    """``listed=False`` for answers to our own messages: they stay out of the help
    reply, which must fit one SMS."""
    keyword = keyword.upper()
    if keyword in _routes and _routes[keyword].handler is not handler:
        raise ValueError(f"SMS keyword {keyword} is already registered")
    _routes[keyword] = Route(keyword, handler, help, listed)
    _help.clear()


def unregister(keyword: str) -> None:
    _routes.pop(keyword.upper(), None)
    _help.clear()


def split_keyword(text: str) -> tuple[str, str]:
    """('WADUL', 'rest of the text') — the keyword upper-cased, the rest as sent."""
    stripped = text.strip().lstrip("#*").lstrip()
    parts = SEPARATORS.split(stripped, maxsplit=1)
    keyword = parts[0].upper() if parts and parts[0] else ""
    rest = parts[1] if len(parts) > 1 else ""
    return keyword, rest


def find(keyword: str) -> Route | None:
    return _routes.get(keyword)


def help_text() -> str:
    """The reply to a message nobody understood: what one can send.

    The same for every such message (per language): made once, not per message.
    """
    language = get_language() or ""
    if language not in _help:
        _help[language] = _help_text()
    return _help[language]


def _help_text() -> str:
    if not _routes:
        return _("Sorry, this number does not understand your message.")
    lines = [
        str(route.help)
        for route in sorted(_routes.values(), key=lambda r: r.keyword)
        if route.listed
    ]
    reply = _("Sorry, the keyword was not recognised. Send: %(options)s") % {
        "options": " | ".join(lines)
    }
    if len(reply) <= ONE_SMS:
        return reply
    # Too many services to explain each in one SMS: the keywords and what they take.
    return _("Sorry, the keyword was not recognised. Send: %(options)s") % {
        "options": " | ".join(_usage(line) for line in lines)
    }


# The characters of one SMS (GSM 7-bit); a reply nobody understood must fit in one.
ONE_SMS = 160
_LOWER_WORD = re.compile(r"\s+[a-z].*$")


def _usage(line: str) -> str:
    """'CEK <kode>: cek tahap laporan' -> 'CEK <kode>'; 'WIFI <kode> MATI bila …' -> 'WIFI <kode> MATI'."""
    return _LOWER_WORD.sub("", line.split(":", 1)[0]).strip()
