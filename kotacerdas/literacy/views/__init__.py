"""Cirebon Melet's pages: the public WiFi pages and the DKIS register; the classes."""

from __future__ import annotations

from kotacerdas.literacy.views.classes_public import (
    certificate_pdf,
    certificate_verify,
    certificate_verify_form,
    class_detail,
    class_list,
    literacy_index,
    my_tickets,
    quiz_take,
    ticket,
    ticket_cancel,
)
from kotacerdas.literacy.views.classes_staff import (
    checkin_page,
    checkin_sync,
    class_add,
    class_edit,
    class_staff_detail,
    class_staff_list,
    door_register,
)
from kotacerdas.literacy.views.evidence import evidence_pack, evidence_pdf, evidence_xlsx
from kotacerdas.literacy.views.public import report_down, reported_down, wifi_map
from kotacerdas.literacy.views.staff import (
    outage_close,
    outage_open,
    point_add,
    point_detail,
    point_edit,
    point_list,
)

__all__ = [
    "certificate_pdf",
    "certificate_verify",
    "certificate_verify_form",
    "checkin_page",
    "checkin_sync",
    "class_add",
    "class_detail",
    "class_edit",
    "class_list",
    "class_staff_detail",
    "class_staff_list",
    "door_register",
    "evidence_pack",
    "evidence_pdf",
    "evidence_xlsx",
    "literacy_index",
    "my_tickets",
    "outage_close",
    "outage_open",
    "point_add",
    "point_detail",
    "point_edit",
    "point_list",
    "quiz_take",
    "report_down",
    "reported_down",
    "ticket",
    "ticket_cancel",
    "wifi_map",
]
