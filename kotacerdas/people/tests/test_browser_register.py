"""The register in a real browser, on a phone-sized screen.

An RW operator signs in, adds a resident with a bad NIK and sees the error,
fixes it, and finds the resident in the list; another RW's resident is not
reachable. Pages are in Indonesian by default and translations may still be
missing, so elements are found by name, id and role, and texts are compared
with what Django itself renders in Indonesian.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect

from kotacerdas.accounts.models import User
from kotacerdas.conftest import HARJAMUKTI, KEJAKSAN
from kotacerdas.people.identity import check_nik
from kotacerdas.people.models import Person
from kotacerdas.regions.models import RT

PHONE: ViewportSize = {"width": 360, "height": 780}
SHORT_NIK = "32740145031800"  # 14 digits
# Kecamatan Kejaksan (327401), a girl born 05-03-2018 (day 05 + 40), serial 0099:
# agrees with the details below, so the form has no notes to confirm.
GOOD_NIK = "3274014503180099"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Headless Chromium asks for en-US; an operator's browser in Cirebon asks for Indonesian.
    return {**browser_context_args, "locale": "id-ID"}


def in_indonesian(text: Callable[[], str]) -> str:
    with translation.override("id"):
        return text()


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/masuk/")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(password)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("[name=password]")).to_have_count(0)


def field_errors(page: Page, name: str) -> Any:
    """The error list inside the field wrapper of the input called ``name``."""
    return page.locator(".field", has=page.locator(f"[name={name}]")).locator(".errorlist")


def test_an_rw_operator_registers_a_resident_and_cannot_reach_another_rw(
    live_server: Any,
    page: Page,
    output_path: str,
    rw_operator: User,
    rt: Callable[[str, int, int], RT],
    make_person: Callable[..., Person],
) -> None:
    outsider = make_person(rt(HARJAMUKTI, 1, 1), name="Cici Harjamukti Luar")
    home_rt = rt(KEJAKSAN, 1, 2)
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)

    sign_in(page, live_server.url, "rw01", "pw-rw01")

    # A NIK two digits short is refused, and nothing is saved.
    page.goto(f"{live_server.url}/penduduk/tambah/")
    page.locator("[name=nik]").fill(SHORT_NIK)
    page.locator("[name=name]").fill("Dewi Kartika Sari")
    page.locator("[name=sex]").select_option("F")
    page.locator("[name=birth_date]").fill("2018-03-05")
    page.locator("[name=birth_place]").fill("Cirebon")
    page.locator("[name=rt]").select_option(str(home_rt.pk))
    page.locator("[name=address]").fill("Jl. Pekiringan No. 12")
    page.locator("form:has([name=nik]) [type=submit]").click()
    page.wait_for_load_state()

    assert page.url.endswith("/penduduk/tambah/")
    nik_errors = field_errors(page, "nik")
    expect(nik_errors).to_have_count(1)
    expect(nik_errors).to_contain_text("16")
    expect(nik_errors).to_contain_text(in_indonesian(lambda: check_nik(SHORT_NIK).errors[0]))
    expect(page.locator("[name=nik]")).to_have_attribute("aria-invalid", "true")
    # What was typed is kept, so only the NIK needs retyping.
    expect(page.locator("[name=name]")).to_have_value("Dewi Kartika Sari")
    page.screenshot(path=shots / "person-form-errors-360.png", full_page=True)
    assert not Person.objects.filter(name="Dewi Kartika Sari").exists()

    # Fixed, it is saved; confirm any notes the form asks about first.
    page.locator("[name=nik]").fill(GOOD_NIK)
    page.locator("form:has([name=nik]) [type=submit]").click()
    page.wait_for_load_state()
    if page.locator("[name=confirm]").count():
        page.locator("[name=confirm]").check()
        page.locator("form:has([name=nik]) [type=submit]").click()
        page.wait_for_load_state()

    person = Person.objects.get(nik=GOOD_NIK)
    assert (person.name, person.rt_id, person.sex) == ("Dewi Kartika Sari", home_rt.pk, "F")
    assert re.search(rf"/penduduk/{person.pk}/$", page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dewi Kartika Sari")

    # The list shows the new resident (NIK masked), not the other kelurahan's.
    page.goto(f"{live_server.url}/penduduk/")
    expect(page.get_by_role("link", name="Dewi Kartika Sari")).to_be_visible()
    expect(page.locator("main")).to_contain_text(person.masked_nik)
    expect(page.locator("main")).not_to_contain_text(GOOD_NIK)
    expect(page.locator("main")).not_to_contain_text(outsider.name)
    page.screenshot(path=shots / "person-list-360.png", full_page=True)

    # Another RW's resident: the 404 page, with nothing of the person on it.
    response = page.goto(f"{live_server.url}/penduduk/{outsider.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_indonesian(lambda: translation.gettext("Page not found"))
    )
    expect(page.locator("body")).not_to_contain_text(outsider.name)
