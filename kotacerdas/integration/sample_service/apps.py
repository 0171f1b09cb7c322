from __future__ import annotations

from django.db import models

from kotacerdas.web.declarations import HomeEntry, NavLink, PeriodicCommand, ServiceConfig


class SampleRole(models.TextChoices):
    SAMPLE_OFFICER = "sample_officer", "Sample officer"


class SampleServiceConfig(ServiceConfig):
    name = "kotacerdas.integration.sample_service"
    label = "sample_service"
    home_entries = (
        HomeEntry(
            "Sample programme",
            "Sample public page",
            "Anyone may open it.",
            "sample:page",
        ),
        HomeEntry(
            "Sample programme",
            "Sample staff desk",
            "Only its officers see it.",
            "sample:desk",
            "kotacerdas.integration.sample_service.access.is_sample_officer",
        ),
    )
    nav_links = (
        NavLink(
            "Sample desk",
            "sample:desk",
            "kotacerdas.integration.sample_service.access.is_sample_officer",
        ),
    )
    roles = SampleRole
    second_factor_roles = frozenset({SampleRole.SAMPLE_OFFICER})
    demo = "kotacerdas.integration.sample_service.demo.build_demo"
    periodic_commands = (PeriodicCommand("sample_sweep", "0 6 * * *", "Sample: a daily sweep"),)
    url_modules = (("sample/", "kotacerdas.integration.sample_service.urls"),)
    api_routers = (("/sample/", "kotacerdas.integration.sample_service.api.router"),)
    work_items = ("kotacerdas.integration.sample_service.work.samples_waiting",)
