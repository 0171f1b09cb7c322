"""The posyandu pages, one module per part of the service."""

from __future__ import annotations

from kotacerdas.posyandu.views.child import (
    child_detail,
    give_dose,
    growth_chart,
    parents,
    remove_weighing,
    weigh,
    weighed,
)
from kotacerdas.posyandu.views.days import home, immunisation_due, posyandu_day
from kotacerdas.posyandu.views.mothers import my_child_chart, my_children
from kotacerdas.posyandu.views.pregnancy import (
    pregnancies,
    pregnancy_detail,
    pregnancy_end,
    pregnancy_visit,
)
from kotacerdas.posyandu.views.reports import (
    alert_handle,
    alert_list,
    skdn_export,
    skdn_report,
    stunting,
)

__all__ = [
    "alert_handle",
    "alert_list",
    "child_detail",
    "give_dose",
    "growth_chart",
    "home",
    "immunisation_due",
    "my_child_chart",
    "my_children",
    "parents",
    "posyandu_day",
    "pregnancies",
    "pregnancy_detail",
    "pregnancy_end",
    "pregnancy_visit",
    "remove_weighing",
    "skdn_export",
    "skdn_report",
    "stunting",
    "weigh",
    "weighed",
]
