"""The floor finds every service through its ServiceConfig, and every declaration resolves."""

from __future__ import annotations

import pytest
from django.core.management import get_commands
from django.urls import reverse
from django.utils.module_loading import import_string

from kotacerdas.web import discovery
from kotacerdas.web.declarations import HomeEntry, NavLink

SERVICES = [
    "reports",
    "posyandu",
    "births",
    "hospital",
    "kelurahan",
    "literacy",
    "dashboard",
    "opendata",
]
# Services whose demo builder `make run` calls (a new service adds itself here).
WITH_DEMO = [
    "reports",
    "posyandu",
    "births",
    "hospital",
    "kelurahan",
    "literacy",
    "dashboard",
    "opendata",
]


def test_the_floor_and_each_service_declare_themselves_in_installed_apps_order() -> None:
    assert [config.label for config in discovery.service_configs()] == ["web", *SERVICES]


def test_every_declared_entry_and_link_points_at_a_page_and_a_predicate() -> None:
    items: list[HomeEntry | NavLink] = [*discovery.home_entries(), *discovery.nav_links()]
    for item in items:
        assert reverse(item.url_name).startswith("/"), item
        assert callable(import_string(item.may_use)), item


def test_every_periodic_command_is_a_management_command() -> None:
    commands = get_commands()
    declared = [command.command for command in discovery.periodic_commands()]

    assert declared
    assert [name for name in declared if name not in commands] == []
    assert len(declared) == len(set(declared))


def test_each_service_has_a_demo_builder_after_the_floors() -> None:
    builders = discovery.demo_builders()

    assert [builder.__module__ for builder in builders] == [
        "kotacerdas.web.demo",
        *(f"kotacerdas.{label}.demo" for label in WITH_DEMO),
    ]


def test_the_dashboard_finds_each_services_figures() -> None:
    found = discovery.stats_functions()

    assert {label: sorted(functions) for label, functions in found.items()} == {
        "web": ["residents", "residents_by_age"],
        "reports": ["cases_opened", "reports_received"],
        "posyandu": ["children_stunted", "children_under_five", "children_weighed"],
        "births": ["births_registered", "births_reported"],
        "hospital": ["bookings", "free_beds", "no_shows"],
        "kelurahan": ["letters_issued", "letters_on_time"],
        "literacy": ["class_attendance", "wifi_distinct_devices", "wifi_sessions"],
    }


@pytest.mark.django_db
def test_every_figure_answers_in_the_one_shape(city) -> None:
    for functions in discovery.stats_functions().values():
        for name, function in functions.items():
            assert function(2026) == [], name  # nothing recorded yet: no rows
