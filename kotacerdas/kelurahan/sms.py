"""``SURAT <kode>`` by SMS: where a letter request stands, for a citizen with a feature phone.

The reply names the letter type and the status, never a name or a NIK: the
request code (8 random characters) is all the sender shows. Checks count
against an hourly limit per sending number (``letter_sms_status``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core import limits
from kotacerdas.kelurahan import tokens
from kotacerdas.kelurahan.models import LetterRequest
from kotacerdas.messaging import router
from kotacerdas.messaging.models import Message


def handle_surat(message: Message, rest: str) -> str:
    code = tokens.canonical(rest)[:20]
    if not code:
        return _("SURAT <code>: send the code of your letter request, e.g. SURAT 7KQ2M9TX.")
    if not limits.hit("letter_sms_status", message.phone):
        return _("Too many checks from this number; try again in an hour.")
    found = LetterRequest.objects.select_related("letter_type").filter(code=code).first()
    if found is None:
        return _("No letter request has the code %(code)s. Check the code and send again.") % {
            "code": code
        }
    text = _("Letter %(type)s, code %(code)s: %(status)s.") % {
        "type": found.letter_type.title,
        "code": found.code,
        "status": found.get_status_display(),
    }
    if found.status == LetterRequest.Status.INCOMPLETE and found.reason:
        text += " " + _("Returned: %(reason)s") % {"reason": found.reason[:80]}
    return text


def register_keywords() -> None:
    router.register(
        "SURAT", handle_surat, help=gettext_lazy("SURAT <code>: letter status"), listed=False
    )
