"""A new service is its folder plus one line in INSTALLED_APPS, nothing else.

The throwaway app in ``sample_service/`` declares a home entry, a nav link, a
role, a periodic command, a demo builder, its URLs, a work item and a stats module; once
installed it shows everywhere the floor lists services, and once removed it is
gone again.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from typing import Any, cast

import pytest
from django.conf import settings
from django.core.management import call_command
from django.forms import ChoiceField, modelform_factory
from django.test import Client, override_settings
from django.urls import reverse

import kotacerdas.urls  # noqa: F401 - built now, without the sample (site_urls builds it again)
from kotacerdas.accounts.models import Membership, Unit, User
from kotacerdas.accounts.roles import role_codes, second_factor_roles
from kotacerdas.conftest import signed_in
from kotacerdas.web import discovery

pytestmark = pytest.mark.django_db

SAMPLE = "kotacerdas.integration.sample_service"
SITE_URLS = f"{SAMPLE}.site_urls"


@pytest.fixture
def sample_installed() -> Iterator[None]:
    with override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, SAMPLE], ROOT_URLCONF=SITE_URLS
    ):
        yield
    sys.modules.pop(SITE_URLS, None)  # its URLs were built with the sample installed


@pytest.fixture
def sample_officer(city: dict[str, Any], make_member: Any) -> User:
    unit = Unit.objects.create(kind="agency", code="sampel", name="Sampel", region_id="32.74")
    return make_member("sampel", "sample_officer", unit)


def role_choices_of_the_membership_form() -> dict[str, str]:
    field = modelform_factory(Membership, fields=["role"])().fields["role"]
    assert isinstance(field, ChoiceField)
    choices = cast(Iterable[tuple[str, str]], field.choices)  # the stubs allow every form
    return {str(code): str(label) for code, label in choices}


def home(client: Client) -> str:
    return client.get(reverse("web:home")).content.decode()


def nav(client: Client) -> str:
    html = home(client)
    return html.split('class="wrap sub-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.usefixtures("sample_installed")
def test_an_installed_service_shows_on_the_home_page_and_in_its_officers_navigation(
    client: Client, sample_officer: User
) -> None:
    anyone = home(client)
    officer = signed_in(sample_officer, verified=True)

    assert f'href="{reverse("sample:page")}"' in anyone
    assert "Sample public page" in anyone
    assert "Sample staff desk" not in anyone
    assert "Sample staff desk" in home(officer)
    assert f'href="{reverse("sample:desk")}">Sample desk</a>' in nav(officer)
    assert officer.get(reverse("sample:desk")).content == b"sample desk"


@pytest.mark.usefixtures("sample_installed")
def test_its_role_is_a_membership_choice_without_a_migration(sample_officer: User) -> None:
    membership = Membership.objects.get(user=sample_officer)

    assert role_choices_of_the_membership_form()["sample_officer"] == "Sample officer"
    assert "sample_officer" in role_codes()
    membership.full_clean()
    assert membership.get_role_display() == "Sample officer"
    assert "sample_officer" in second_factor_roles()
    assert membership.needs_second_factor
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.usefixtures("sample_installed")
def test_its_figures_commands_and_demo_are_discovered() -> None:
    from kotacerdas.integration.sample_service import api, demo, stats

    assert discovery.stats_functions()["sample_service"] == {"samples_taken": stats.samples_taken}
    assert "sample_sweep" in [command.command for command in discovery.periodic_commands()]
    assert discovery.demo_builders()[-1] is demo.build_demo
    assert discovery.api_routers() == [("/sample/", api.router)]


@pytest.mark.usefixtures("sample_installed")
def test_its_work_item_shows_on_its_officers_work_page_only(
    client: Client, sample_officer: User, make_member: Any
) -> None:
    outsider = make_member("luar", "viewer", Unit.objects.get(code="sampel"))
    officer = signed_in(sample_officer, verified=True)

    page = officer.get(reverse("web:my-work")).content.decode()
    other = signed_in(outsider).get(reverse("web:my-work")).content.decode()

    desk = reverse("sample:desk")
    assert f'href="{desk}"' in page and "Samples waiting" in page
    assert '<span class="work-count">3</span>' in page
    assert "1 terlambat" in page
    assert "Samples waiting" not in other and desk not in other


def test_without_the_line_in_installed_apps_it_is_nowhere(
    client: Client, sample_officer: User
) -> None:
    with override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, SAMPLE], ROOT_URLCONF=SITE_URLS
    ):
        assert "Sample public page" in home(client)
    sys.modules.pop(SITE_URLS, None)

    officer = signed_in(sample_officer, verified=True)
    assert "Sample" not in home(client)
    assert "Sample" not in home(officer)
    assert "sample_officer" not in role_choices_of_the_membership_form()
    assert "sample_officer" not in role_codes()
    assert "sample_service" not in discovery.stats_functions()
    assert "sample_sweep" not in [command.command for command in discovery.periodic_commands()]
    assert discovery.api_routers() == []
    assert "Samples waiting" not in officer.get(reverse("web:my-work")).content.decode()
    with pytest.raises(Exception, match="sample"):
        reverse("sample:page")
