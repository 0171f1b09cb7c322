"""Cirebon Melet's pages: the public WiFi pages and the DKIS register."""

from __future__ import annotations

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
    "evidence_pack",
    "evidence_pdf",
    "evidence_xlsx",
    "outage_close",
    "outage_open",
    "point_add",
    "point_detail",
    "point_edit",
    "point_list",
    "report_down",
    "reported_down",
    "wifi_map",
]
