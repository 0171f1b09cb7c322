"""The floor finds the services: it reads each installed app's ``ServiceConfig``.

Nothing here queries the database or imports a service by name; everything is
read from ``django.apps`` in ``INSTALLED_APPS`` order and cached until the
installed apps change (tests that install an app get fresh answers: see
:func:`clear_caches`, connected to ``setting_changed`` in ``WebConfig.ready``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string, module_has_submodule

from kotacerdas.accounts.access import AnyUser
from kotacerdas.web.declarations import (
    DemoContext,
    HomeEntry,
    NavLink,
    PeriodicCommand,
    ServiceConfig,
    WorkItem,
    WorkItems,
    allows,
)
from kotacerdas.web.figures import FigureFunction

if TYPE_CHECKING:
    from kotacerdas.accounts.demo import Persona

DemoBuilder = Callable[[DemoContext], "list[Persona]"]


def service_configs() -> list[ServiceConfig]:
    """The declaring apps (the floor's web first, then each service), in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ServiceConfig)]


@cache
def home_entries() -> list[HomeEntry]:
    entries = [entry for config in service_configs() for entry in config.home_entries]
    return sorted(entries, key=lambda entry: entry.order)  # stable: ties keep app order


@cache
def nav_links() -> list[NavLink]:
    links = [link for config in service_configs() for link in config.nav_links]
    return sorted(links, key=lambda link: link.order)


def home_entries_for(user: AnyUser) -> list[HomeEntry]:
    return [entry for entry in home_entries() if allows(entry.may_use, user)]


def nav_links_for(user: AnyUser) -> list[tuple[str | Promise, str]]:
    """(label, URL) of each staff area the user works in."""
    return [(link.label, link.url) for link in nav_links() if allows(link.may_use, user)]


@cache
def work_item_functions() -> list[tuple[str | Promise, list[WorkItems]]]:
    """(service name, its work-item functions) of each service that declares any."""
    return [
        (config.verbose_name, [import_string(path) for path in config.work_items])
        for config in service_configs()
        if config.work_items
    ]


def work_for(user: AnyUser) -> list[tuple[str | Promise, list[WorkItem]]]:
    """What waits for this member, per service; services with nothing for them are left out."""
    found = []
    for service, functions in work_item_functions():
        items = [item for function in functions for item in function(user)]
        if items:
            found.append((service, items))
    return found


def periodic_commands() -> list[PeriodicCommand]:
    return [command for config in service_configs() for command in config.periodic_commands]


def demo_builders() -> list[DemoBuilder]:
    return [import_string(config.demo) for config in service_configs() if config.demo]


def url_modules() -> list[tuple[str, str]]:
    """(prefix, module) of every declared URL module, in INSTALLED_APPS order."""
    return [pair for config in service_configs() for pair in config.url_modules]


def api_routers() -> list[tuple[str, Any]]:
    """(prefix, router) of every declared django-ninja router, in INSTALLED_APPS order."""
    return [
        (prefix, import_string(router))
        for config in service_configs()
        for prefix, router in config.api_routers
    ]


@cache
def stats_modules() -> dict[str, Any]:
    """Each installed app's ``stats`` module that lists ``FIGURES``, by app label."""
    found = {}
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "stats"):
            module = importlib.import_module(f"{config.name}.stats")
            if hasattr(module, "FIGURES"):
                found[config.label] = module
    return found


def stats_functions() -> dict[str, dict[str, FigureFunction]]:
    """The dashboard's figures: {app label: {function name: function}}."""
    return {
        label: {function.__name__: function for function in module.FIGURES}
        for label, module in stats_modules().items()
    }


def clear_caches(**kwargs: Any) -> None:
    """Forget what was discovered (a ``setting_changed`` receiver: INSTALLED_APPS changed)."""
    if kwargs.get("setting", "INSTALLED_APPS") != "INSTALLED_APPS":
        return
    for cached in (home_entries, nav_links, stats_modules, work_item_functions):
        cached.cache_clear()
