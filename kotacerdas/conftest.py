"""Personas and helpers shared by every app's tests.

Each persona is a member of staff in one unit with one role, made fresh for
each test that asks for it, in a small fixed city: two kelurahan (Kejaksan
and Harjamukti), two RWs each, two RTs per RW.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.test import Client

from kotacerdas.accounts.models import Membership, Role, Unit, User
from kotacerdas.core import outbound
from kotacerdas.people.models import Family, Person
from kotacerdas.regions.actions import load_regions
from kotacerdas.regions.models import RT, RW

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Playwright's sync API runs an event loop in the main thread; Django would
# otherwise refuse ORM calls made from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

KEJAKSAN = "32.74.01.1001"
HARJAMUKTI = "32.74.03.1002"


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


QR_TOOLS = {name: shutil.which(name) for name in ("pdftoppm", "zbarimg")}
needs_qr_tools = pytest.mark.skipif(
    not all(QR_TOOLS.values()), reason="apt-get install poppler-utils zbar-tools"
)


def read_qr(pdf: Path) -> str:
    """The QR code on a PDF's first page, as a phone would read it from paper (150 dpi)."""
    picture = pdf.with_name(pdf.stem + "-page")
    # The tools found by shutil.which, the file the test wrote: no outside input.
    subprocess.run(  # noqa: S603
        [str(QR_TOOLS["pdftoppm"]), "-png", "-r", "150", "-singlefile", str(pdf), str(picture)],
        check=True,
    )
    found = subprocess.run(  # noqa: S603
        [str(QR_TOOLS["zbarimg"]), "--raw", "-q", f"{picture}.png"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> None:
    """Each test starts with an empty cache of its own (cached counts are per user id).

    Tests use the local-memory cache: a test without the database can still
    render a page, and the query-count guards count the view's queries, not
    the cache's. The database cache that sites run on (settings.CACHES) is
    tested for real in core/tests/test_limits_shared.py, on both databases.
    """
    settings.CACHES = LOCAL_CACHE
    cache.clear()


@pytest.fixture(autouse=True)
def _sms_outbox(settings: Any, tmp_path: Any) -> None:
    """The file SMS gateway writes to a file of the test's own."""
    settings.SMS_FILE_PATH = tmp_path / "sms-outbox.jsonl"
    settings.SMS_ADAPTER = "file"


@pytest.fixture(autouse=True)
def _no_http_inside_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any outbound HTTP request made inside an application's ``transaction.atomic``.

    A transaction that waits on another system holds its locks for as long as
    that system takes (kotacerdas/core/outbound.py). The test case's own
    atomic blocks do not count; every other one does, whatever the client
    (urllib, http.client, core.outbound).
    """
    original = http.client.HTTPConnection.request

    def request(self: http.client.HTTPConnection, *args: Any, **kwargs: Any) -> Any:
        outbound.ensure_no_transaction(f"HTTP request to {self.host}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(http.client.HTTPConnection, "request", request)


@pytest.fixture
def city(db: Any, settings: Any) -> dict[str, Any]:
    load_regions(settings.REGIONS_FILE)
    rts: dict[str, RT] = {}
    for kelurahan in (KEJAKSAN, HARJAMUKTI):
        for rw_number in (1, 2):
            rw = RW.objects.create(kelurahan_id=kelurahan, number=rw_number)
            for rt_number in (1, 2):
                rts[f"{kelurahan}/{rw_number}/{rt_number}"] = RT.objects.create(
                    rw=rw, number=rt_number
                )
    return {"rts": rts}


@pytest.fixture
def rt(city: dict[str, Any]) -> Callable[[str, int, int], RT]:
    return lambda kelurahan, rw, number: city["rts"][f"{kelurahan}/{rw}/{number}"]


def _unit(kind: str, code: str, *, region: str | None = None, rw: RW | None = None) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": code, "region_id": region, "rw": rw}
    )
    return unit


@pytest.fixture
def make_member(city: dict[str, Any]) -> Callable[..., User]:
    def make(username: str, role: str, unit: Unit) -> User:
        user = User.objects.create_user(username=username, password="pw-" + username)
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def rw_operator(make_member: Callable[..., User]) -> User:
    """Operator of RW 01, Kelurahan Kejaksan."""
    rw = RW.objects.get(kelurahan_id=KEJAKSAN, number=1)
    return make_member("rw01", Role.RW_OPERATOR, _unit("rw", "rw-kejaksan-01", rw=rw))


@pytest.fixture
def other_rw_operator(make_member: Callable[..., User]) -> User:
    """Operator of RW 01, Kelurahan Harjamukti: another kelurahan."""
    rw = RW.objects.get(kelurahan_id=HARJAMUKTI, number=1)
    return make_member("rw01h", Role.RW_OPERATOR, _unit("rw", "rw-harjamukti-01", rw=rw))


@pytest.fixture
def kelurahan_officer(make_member: Callable[..., User]) -> User:
    return make_member(
        "kel", Role.KELURAHAN_OFFICER, _unit("kelurahan", "kel-kejaksan", region=KEJAKSAN)
    )


@pytest.fixture
def sekretaris_lurah(make_member: Callable[..., User]) -> User:
    """Sekretaris Lurah of Kejaksan: the second step of the letters' chain."""
    return make_member(
        "sekkel", Role.SEKRETARIS_LURAH, _unit("kelurahan", "kel-kejaksan", region=KEJAKSAN)
    )


@pytest.fixture
def lurah(make_member: Callable[..., User]) -> User:
    """Lurah of Kejaksan: approves and signs the kelurahan's letters."""
    return make_member("lurah", Role.LURAH, _unit("kelurahan", "kel-kejaksan", region=KEJAKSAN))


@pytest.fixture
def viewer(make_member: Callable[..., User]) -> User:
    """Read-only member of the Kejaksan kecamatan office."""
    return make_member("camat", Role.VIEWER, _unit("kecamatan", "kec-kejaksan", region="32.74.01"))


@pytest.fixture
def registrar(make_member: Callable[..., User]) -> User:
    """Disdukcapil: the whole city. Needs a second factor; tests mark it verified."""
    return make_member("dukcapil", Role.REGISTRAR, _unit("agency", "disdukcapil", region="32.74"))


@pytest.fixture
def outsider(db: Any) -> User:
    """Signed in, but a member of no unit."""
    return User.objects.create_user(username="nobody", password="pw-nobody")


def signed_in(user: User, *, verified: bool = False) -> Client:
    """A client signed in as ``user``; ``verified`` passes the TOTP step too."""
    client = Client()
    client.force_login(user)
    if verified:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


# Browser tests look at a page as a phone, a laptop and a hall screen show it.
PHONE = {"width": 360, "height": 800}
SCREEN_SIZES = (PHONE, {"width": 1280, "height": 800}, {"width": 1920, "height": 1080})


def screenshots(page: Page, path: Path) -> None:
    """``path``-360.png, -1280.png and -1920.png of the page, whole; back to the phone's width."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for size in SCREEN_SIZES:
        page.set_viewport_size({"width": size["width"], "height": size["height"]})
        page.screenshot(path=f"{path}-{size['width']}.png", full_page=True)
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})


def sign_in_with_totp(page: Page, base_url: str, user: User) -> None:
    """Browser tests: sign ``user`` in through the form, second factor included."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{base_url}/masuk/")
    page.locator("[name=username]").fill(user.username)
    page.locator("[name=password]").fill("pw-" + user.username)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_url("**/kode/**")
    page.locator("[name=code]").fill(f"{totp(device.bin_key):06d}")
    page.locator("form:has([name=code]) [type=submit]").click()
    expect(page.locator("[name=code]")).to_have_count(0)


@pytest.fixture
def make_person(city: dict[str, Any]) -> Callable[..., Person]:
    counter = iter(range(1, 10_000))

    def make(rt: RT, name: str = "Siti Rahmawati", **fields: Any) -> Person:
        serial = next(counter)
        defaults: dict[str, Any] = {
            "nik": f"327401450318{serial:04d}",
            "sex": "F",
            "birth_date": dt.date(2018, 3, 5),
            "birth_place": "Cirebon",
            "address": "Jl. Siliwangi No. 1",
        }
        defaults.update(fields)
        return Person.objects.create(rt=rt, name=name, **defaults)

    return make


@pytest.fixture
def make_family(city: dict[str, Any]) -> Callable[..., Family]:
    counter = iter(range(1, 10_000))

    def make(rt: RT, **fields: Any) -> Family:
        return Family.objects.create(
            rt=rt, kk_number=f"3274011203150{next(counter):03d}", address="Jl. Kartini 5", **fields
        )

    return make


# Browser tests: Playwright driving Debian's Chromium, never a downloaded browser.
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: apt-get install chromium chromium-driver")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
