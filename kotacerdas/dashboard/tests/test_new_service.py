"""A service that declares figures appears on the dashboard with nothing else to do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from kotacerdas.dashboard.catalogue import figure_catalogue
from kotacerdas.dashboard.refresh import refresh
from kotacerdas.dashboard.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

SAMPLE = "kotacerdas.integration.sample_service"
SITE_URLS = f"{SAMPLE}.site_urls"


@pytest.fixture
def sample_installed() -> Iterator[None]:
    import sys

    with override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, SAMPLE], ROOT_URLCONF=SITE_URLS
    ):
        yield
    sys.modules.pop(SITE_URLS, None)


@pytest.mark.usefixtures("sample_installed")
def test_an_installed_services_figures_are_computed_and_get_a_programme_page(
    client: Client, city: Any
) -> None:
    assert "sample_service.samples_taken" in figure_catalogue()
    refresh([YEAR], ["sample_service.samples_taken"])

    page = client.get(reverse("dashboard:programme", args=["sample_service"]))
    city_page = client.get(reverse("dashboard:city")).content.decode()

    assert page.status_code == 200
    assert 'id="sample_service-samples_taken-kelurahan"' in page.content.decode()
    assert 'id="program-sample_service"' in city_page


def test_without_the_service_its_programme_page_is_not_found(client: Client) -> None:
    assert "sample_service.samples_taken" not in figure_catalogue()
    assert client.get(reverse("dashboard:programme", args=["sample_service"])).status_code == 404
