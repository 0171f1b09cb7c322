"""The birth report's steps in a real browser: every NIK, No. KK and phone typed
with spaces is kept whole and accepted, on the parent's path and the midwife's;
the place of birth reads whole at 360 px, a home birth is "Rumah"; an error
stands next to its field. Screenshots of every step at three sizes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kotacerdas.births.models import Declaration
from kotacerdas.births.tests.conftest import KK, PARENT_PHONE, form_data
from kotacerdas.conftest import PHONE, screenshots

TYPED_NIK = "3274 0141 0892 0001"  # as printed on a KTP: a woman born 01-08-1992
WITNESS_NIK = "3274 0155 0688 0003"
FATHER_NIK = "3274 0104 0792 0002"
ON_A_STEP = re.compile(r".*/kelahiran/(baru|\d+/langkah/[a-z]+)/$")


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "id-ID", "viewport": PHONE}


def fill_step(page: Page, data: dict[str, str]) -> list[str]:
    """Type this step's answers; the names of the fields on the page."""
    form = page.locator("main form.card")
    names: list[str] = form.locator("[name]:not([type=hidden])").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        if name not in data:
            continue
        field = form.locator(f"[name={name}]")
        if field.first.get_attribute("type") == "radio":
            form.locator(f"[name={name}][value='{data[name]}']").check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(data[name])
        else:
            field.fill(data[name])
            # Typed whole: nothing cut at 16 characters.
            assert field.input_value() == data[name], name
    return names


def fill_steps(page: Page, data: dict[str, str], shots: Path | None = None) -> list[str]:
    """Every step in turn with "Simpan dan lanjut", up to the report's page."""
    seen: list[str] = []
    number = 0
    while ON_A_STEP.match(page.url):
        seen += fill_step(page, data)
        number += 1
        if shots is not None:
            screenshots(page, shots / f"step-{number}")
        page.locator("main form.card [type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator(".errorlist")).to_have_count(0)
    return seen


def test_a_parent_types_every_number_with_spaces_through_the_steps(
    live_server: Any, page: Page, family: Any, output_path: str, settings: Any
) -> None:
    from kotacerdas.births.tests.test_browser_births import sign_in_as_citizen

    shots = Path(output_path)
    base = live_server.url
    settings.BIRTHS_PUBLIC_BASE_URL = base
    sign_in_as_citizen(page, base, "0812 3456 7890")
    page.goto(f"{base}/kelahiran/baru/")

    # The place of birth: a list read whole on a phone; a home birth is "Rumah".
    places = page.locator("fieldset.choices")
    expect(places).to_contain_text("Rumah")
    expect(places).not_to_contain_text("Beranda")
    for label in places.locator("label.choice").all():
        box = label.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    data = form_data(
        birth_place_type="4",
        mother_nik=TYPED_NIK,
        mother_birth_date="1992-08-01",
        father_nik=FATHER_NIK,
        kk_number=" ".join(KK[i : i + 4] for i in range(0, 16, 4)),
        reporter_nik=TYPED_NIK,
    )
    seen = fill_steps(page, data, shots / "parent")
    assert {"mother_nik", "father_nik", "kk_number", "reporter_nik", "witness1_nik"} <= set(seen)
    page.wait_for_url(re.compile(r".*/kelahiran/\d+/$"))
    screenshots(page, shots / "parent" / "report")
    declaration = Declaration.objects.get()
    assert declaration.mother_nik == declaration.reporter_nik == "3274014108920001"
    assert declaration.kk_number == KK and declaration.family == family
    assert declaration.birth_place_type == "4"  # BirthPlaceType.HOME
    expect(page.locator("main")).to_contain_text("Rumah")
    # Every step is done: the list says so, and each one opens again.
    expect(page.locator("nav.steps li.step-done")).to_have_count(5)

    # Back to the mother's step: a wrong NIK is shown next to its field, nothing else.
    page.locator("nav.steps a", has_text="Ibu").click()
    page.locator("[name=mother_nik]").fill("3274 0152 1395 0001")
    page.locator("main form.card [type=submit]").click()
    field = page.locator(".field", has=page.locator("[name=mother_nik]"))
    expect(field.locator(".errorlist")).to_contain_text("NIK")
    expect(page.locator(".errorlist.nonfield")).to_have_count(0)
    screenshots(page, shots / "parent" / "error")
    declaration.refresh_from_db()
    assert declaration.mother_nik == "3274014108920001"


def test_a_midwife_types_every_number_with_spaces_through_the_steps(
    live_server: Any, page: Page, family: Any, midwife: Any, output_path: str
) -> None:
    from kotacerdas.people.tests.test_browser_register import sign_in

    sign_in(page, live_server.url, "bidan", "pw-bidan")
    page.goto(f"{live_server.url}/kelahiran/baru/")
    data = form_data(
        mother_nik=TYPED_NIK,
        mother_birth_date="1992-08-01",
        father_nik=FATHER_NIK,
        kk_number=" ".join(KK[i : i + 4] for i in range(0, 16, 4)),
        reporter_relation="midwife",
        reporter_nik=WITNESS_NIK,
        reporter_name="Bidan Nur",
        witness1_nik=WITNESS_NIK,
        witness1_name="Nur",
        witness2_nik="3274.0155.0688.0003",
        witness2_name="Nur",
        parent_phone="0812 3456 7890",
    )
    seen = fill_steps(page, data, Path(output_path) / "midwife")
    assert {"parent_phone", "witness2_nik", "kk_number"} <= set(seen)
    page.wait_for_url(re.compile(r".*/kelahiran/\d+/$"))
    declaration = Declaration.objects.get()
    assert declaration.mother_nik == "3274014108920001"
    assert declaration.witness1_nik == declaration.witness2_nik == "3274015506880003"
    assert declaration.kk_number == KK and declaration.parent_phone == PARENT_PHONE
