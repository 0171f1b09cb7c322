"""Every figure the services declare, with what a reader needs to trust it.

Nothing here is declared twice: a figure's definition is its function's
docstring (the services write one for each), its source is the service that
declares it, and when it was computed comes from ``FigureRun``. Two settings
say what the functions cannot: which services hold specific personal data
(health, children: UU 27/2022), whose small counts hide under a higher
threshold, and which figures are stocks (a count on a day, such as children
under five or free beds) that add up over kelurahan but not over months.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.utils.functional import Promise

from kotacerdas.web.discovery import stats_functions
from kotacerdas.web.figures import FigureFunction


@dataclass(frozen=True)
class FigureInfo:
    key: str  # "<app label>.<function name>", the key of FigureValue rows
    app: str
    name: str
    programme: str | Promise  # the declaring service's verbose name
    definition: str
    function: FigureFunction
    specific: bool  # health or children's data: the higher suppression threshold
    stock: bool  # a count on a day: a year's figure is its last month, not a sum

    @property
    def small(self) -> int:
        """Counts from 1 to ``small`` - 1 are not shown to those without detail."""
        if self.specific:
            return int(settings.DASHBOARD_SMALL_COUNT_SPECIFIC)
        return int(settings.DASHBOARD_SMALL_COUNT)

    @property
    def slug(self) -> str:
        """The key as an HTML id and anchor (``posyandu-children_weighed``)."""
        return self.key.replace(".", "-")

    @property
    def title(self) -> str:
        """The definition's first sentence, a heading."""
        return self.definition.split(". ")[0].split("\n")[0].rstrip(".")


def _definition(function: FigureFunction) -> str:
    return " ".join((inspect.getdoc(function) or function.__name__).split())


def figure_catalogue() -> dict[str, FigureInfo]:
    """{key: info} of every declared figure, in INSTALLED_APPS order."""
    return _catalogue(tuple(settings.INSTALLED_APPS))


@cache
def _catalogue(installed: tuple[str, ...]) -> dict[str, FigureInfo]:
    found = {}
    specific = set(settings.DASHBOARD_SPECIFIC_DATA_APPS)
    stocks = set(settings.DASHBOARD_STOCK_FIGURES)
    for app, functions in stats_functions().items():
        programme = apps.get_app_config(app).verbose_name
        for name, function in functions.items():
            key = f"{app}.{name}"
            found[key] = FigureInfo(
                key=key,
                app=app,
                name=name,
                programme=programme,
                definition=_definition(function),
                function=function,
                specific=app in specific,
                stock=key in stocks,
            )
    return found


def programmes() -> dict[str, str | Promise]:
    """{app label: programme name} of the services that declare figures."""
    return {info.app: info.programme for info in figure_catalogue().values()}
