"""Wadul Bae by plain SMS: ``WADUL <story>``, ``WADUL#kategori#lokasi#cerita``, ``CEK <code>``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.messaging import router
from kotacerdas.messaging.models import Message
from kotacerdas.messaging.phones import mobile_or_blank
from kotacerdas.reports import actions
from kotacerdas.reports.codes import normalise_code
from kotacerdas.reports.forms import check_story
from kotacerdas.reports.models import Category, Report

# Words people use for each kind of harm in a structured SMS.
CATEGORY_WORDS = {
    "fisik": Category.PHYSICAL,
    "pukul": Category.PHYSICAL,
    "psikis": Category.PSYCHOLOGICAL,
    "seksual": Category.SEXUAL,
    "telantar": Category.NEGLECT,
    "terlantar": Category.NEGLECT,
    "bully": Category.BULLYING,
    "perundungan": Category.BULLYING,
    "eksploitasi": Category.EXPLOITATION,
    "nikahanak": Category.CHILD_MARRIAGE,
    "perkawinananak": Category.CHILD_MARRIAGE,
    "trafiking": Category.TRAFFICKING,
    "perdagangan": Category.TRAFFICKING,
    "kdrt": Category.DOMESTIC,
}


def handle_wadul(message: Message, rest: str) -> str:
    if not rest.strip():
        return _("To report, send: WADUL <what happened, where>. Emergency: SAPA 129 or 112.")
    fields = parse_wadul(message.text, rest)
    try:
        # The web form's rule: a story past WADUL_MAX_STORY files no report.
        # The whole text stays in the message log, and the reply says why.
        fields["story"] = check_story(fields["story"])
    except ValidationError as exc:
        return " ".join([*exc.messages, _("Emergency: SAPA 129 or 112.")])
    phone = mobile_or_blank(message.phone)
    pupil = actions.pupil_for_phone(phone)
    if pupil is not None:
        fields = {**fields, "pupil": pupil, "school": pupil.school}
    try:
        report = actions.file_report(
            {**fields, "reporter_phone": phone}, channel=Report.Channel.SMS, sms=message
        )
    except ValidationError as exc:
        return " ".join(exc.messages)
    return _(
        "Wadul Bae: report received. Code %(code)s. Check: CEK %(code)s. Emergency: SAPA 129 / 112."
    ) % {"code": report.tracking_code}


def parse_wadul(text: str, rest: str) -> dict[str, Any]:
    """``WADUL#fisik#SDN Kejaksan 1#...`` fills category and place; anything else is the story."""
    parts = text.strip().split("#")
    if len(parts) >= 4 and parts[0].strip().upper() == "WADUL":
        category = CATEGORY_WORDS.get(parts[1].strip().lower().replace(" ", ""), "")
        story = "#".join(parts[3:]).strip()
        if story:
            return {"category_hint": category, "place": parts[2].strip()[:200], "story": story}
    return {"story": rest.strip()}


def handle_cek(message: Message, rest: str) -> str:
    code = normalise_code(rest)
    report = (
        Report.objects.select_related("case").filter(tracking_code=code).first() if code else None
    )
    if report is None:
        return _("No report has this code. Check the code and send: CEK WB-XXXXXX")
    return _("Wadul Bae %(code)s: %(stage)s.") % {
        "code": report.tracking_code,
        "stage": actions.public_stage(report),
    }


def handle_pelapor(message: Message, rest: str) -> str:
    answer = rest.strip().upper()
    if answer not in {"YA", "TIDAK"}:
        return _("Reply PELAPOR YA to agree, or PELAPOR TIDAK to refuse.")
    pupil = actions.answer_pupil_registration(message.phone, agree=answer == "YA")
    if pupil is None:
        return _("This number is not waiting to become a school reporter.")
    if answer == "YA":
        return _("Thank you: you are now a Wadul Bae reporter of %(school)s.") % {
            "school": pupil.school.name
        }
    return _("Understood: this number is not a school reporter.")


def register_keywords() -> None:
    router.register(
        "WADUL",
        handle_wadul,
        help=gettext_lazy("WADUL <story> to report harm to a child or mother"),
    )
    router.register("CEK", handle_cek, help=gettext_lazy("CEK <code> for a report's stage"))
    router.register(
        "PELAPOR",
        handle_pelapor,
        help=gettext_lazy("PELAPOR YA to become a school reporter"),
        listed=False,  # an answer to the school's invitation SMS
    )
