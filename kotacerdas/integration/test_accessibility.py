"""axe-core on every public page and one page per staff role, in a real browser.

The demo city gives every page real content (a ticket with its QR, an SKDN
table, a case list ...). Each page is opened on a 360 px phone, axe-core
(vendored: ``web/tests/vendor/axe-core``) runs on it, and any violation of
impact serious or critical fails the build, listed with its rule, impact and
the elements it found. Lesser impacts are left to review, not to the build.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page

from kotacerdas.accounts.models import User
from kotacerdas.births.models import Certificate
from kotacerdas.conftest import signed_in
from kotacerdas.hospital.models import Booking
from kotacerdas.kelurahan.models import Letter
from kotacerdas.literacy.models import Registration
from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.people.models import Citizen
from kotacerdas.posyandu.models import Posyandu

AXE_VERSION = "4.14.1"
AXE = Path(__file__).resolve().parents[1] / "web" / "tests" / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
# (path, rule) pairs accepted on purpose, each with its reason.
ACCEPTED = {
    # The hall screen is a wall display nobody operates: it turns its pages and
    # refreshes its numbers by itself, also without JavaScript (WCAG 2.2.1's
    # real-time exception). Every page a person uses must not do this.
    ("/lengko/layar/", "meta-refresh"),
}

PUBLIC = [
    "/",
    "/masuk/",
    "/wadul/",
    "/wadul/cek/",
    "/warga/masuk/",
    "/kamar/",
    "/lengko/",
    "/lengko/anjungan/",
    "/lengko/layar/",
    "/kelahiran/",
    "/statistik-penduduk/?kelurahan=32.74.01.1001",
    "/posyandu/anak-saya/",  # a mother's page: the citizen sign-in
    "/melet/wifi/",
    "/melet/wifi/KEL01/lapor-mati/",
    "/melet/kelas/",
    "/melet/indeks/",
    "/melet/cek-sertifikat/",
    "/dasbor/",
    "/dasbor/program/posyandu/",
    "/masterplan-2028/",
    "/cek-surat/",
    "/data/",
    "/data/literacy-wifi-sessions-bulanan/",
]

# One page per staff role, as the demo's personas: (username, page, second factor).
STAFF = [
    ("admin", "/akun/", True),
    ("dukcapil", "/kelahiran/antrean/", True),
    ("kel.kejaksan", "/penduduk/", False),
    ("rw01.kejaksan", "/keluarga/", False),
    ("kel.kejaksan", "/penduduk/statistik/", False),
    ("kel.kejaksan", "/penduduk/usulan/", False),
    ("sms.dkis", "/pesan/", False),
    ("camat.kejaksan", "/penduduk/", False),
    ("ppa.petugas", "/wadul/kasus/", True),
    ("guru.sdn1", "/wadul/sekolah/", False),
    ("ppa.kepala", "/wadul/statistik/", False),
    ("kader.kejaksan", "/posyandu/{posyandu}/", False),
    ("gizi.pkm", "/posyandu/skdn/", False),
    ("gizi.dinkes", "/posyandu/stunting/", False),
    ("bidan.kejaksan", "/kelahiran/daftar/", False),
    ("loket.rsd", "/lengko/loket/", False),
    ("poli.rsd", "/lengko/poli/", False),
    ("perawat.rsd", "/kamar/perawat/", False),
    ("wifi.dkis", "/melet/titik/", False),
    ("wifi.dkis", "/melet/bukti/", False),
    ("wifi.dkis", "/melet/kelola/kelas/baru/", False),
    ("relawan.tik", "/melet/kelola/kelas/", False),
    ("lurah.kejaksan", "/dasbor/kelurahan/32.74.01.1001/", False),
    ("camat.kepala", "/dasbor/wilayah/", False),
    ("walikota", "/dasbor/program/births/", False),
    ("walidata", "/dasbor/mitra/", False),
    ("walidata", "/data/kelola/", False),
    ("walidata", "/data/kelola/hospital-free-beds-bulanan/", False),
    ("lurah.kejaksan", "/surat/{letter_request}/", False),
    ("sekkel.kejaksan", "/surat/statistik/", False),
    ("kel.kejaksan", "/surat/agenda/", False),
    ("rw01.kejaksan", "/surat/baru/?jenis=domisili", False),
]


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe is injected as an inline script, which the site's CSP (rightly) refuses.
    return {
        **browser_context_args,
        "locale": "id-ID",
        "bypass_csp": True,
        "viewport": {"width": 360, "height": 800},
    }


def serious_violations(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_load_state()
    path = "/" + url.split("/", 3)[3]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{url}: {v['id']} ({v['impact']}) at {', '.join(v['targets'][:5])}"
        for v in violations
        if v["impact"] in FAILING_IMPACTS and (path, v["id"]) not in ACCEPTED
    ]


def sign_in_as(page: Page, base_url: str, username: str, *, totp: bool) -> None:
    client = signed_in(User.objects.get(username=username), verified=totp)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def sign_in_citizen(page: Page, base_url: str, citizen_id: int) -> None:
    from django.test import Client

    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen_id
    session.save()
    key = session.session_key or ""
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": base_url}]
    )


def test_axe_is_the_pinned_version() -> None:
    assert f"axe v{AXE_VERSION}" in AXE.read_text(encoding="utf-8")[:100]
    assert (AXE.parent / "LICENSE").read_text(encoding="utf-8").startswith("Mozilla Public")


def test_no_serious_or_critical_violation_on_public_and_staff_pages(
    page: Page, live_server: Any
) -> None:
    call_command("demo", "--scale", "small", stdout=io.StringIO())
    base = live_server.url
    found: list[str] = []
    certificate = Certificate.objects.first()
    assert certificate is not None
    letter = Letter.objects.filter(status="valid", request__channel="rw").first()
    assert letter is not None
    for path in [*PUBLIC, f"/akta/v/{certificate.token}/", f"/cek-surat/{letter.token}/"]:
        found += serious_violations(page, base + path)

    # A patient's own pages: a demo booking, as if she had booked signed in.
    booking = Booking.objects.filter(status=Booking.Status.BOOKED).first()
    assert booking is not None
    citizen = Citizen.objects.create(phone="+6281299990001")
    Booking.objects.filter(pk=booking.pk).update(citizen=citizen)
    # And a class ticket of hers (Cirebon Melet), with its QR, quizzes and certificate link.
    ticket = Registration.objects.filter(status=Registration.Status.CONFIRMED).first()
    assert ticket is not None
    Registration.objects.filter(pk=ticket.pk).update(citizen=citizen)
    sign_in_citizen(page, base, citizen.pk)
    for path in [
        "/warga/",
        "/lengko/pemesanan/",
        f"/lengko/tiket/{booking.code}/",
        "/warga/surat/",
        f"/melet/tiket/{ticket.code}/",
        f"/melet/kelas/{ticket.session_id}/",
    ]:
        found += serious_violations(page, base + path)

    posyandu = Posyandu.objects.get(unit__memberships__user__username="kader.kejaksan")
    for username, path, totp in STAFF:
        sign_in_as(page, base, username, totp=totp)
        found += serious_violations(
            page, base + path.format(posyandu=posyandu.pk, letter_request=letter.request_id)
        )

    assert found == [], "\n".join(found)


def _import_pages(officer: User) -> list[str]:
    """Issue 17's pages with content: a dry run of next month's extract with its
    changes, the conflicts of an import and their list, a desa file's mapping."""
    from kotacerdas.conftest import KEJAKSAN
    from kotacerdas.people import actions
    from kotacerdas.people.models import ImportJob, Person
    from kotacerdas.people.tests import extracts
    from kotacerdas.people.tests.test_import_extracts import edited, people

    def run(content: bytes, *, dry_run: bool = False) -> ImportJob:
        job = ImportJob.objects.create(
            uploaded_by=officer, kelurahan_id=KEJAKSAN, file_name="siak-kejaksan.xlsx",
            content=content, dry_run=dry_run, language="id",
        )  # fmt: skip
        actions.process_import(job.pk)
        return job

    run(extracts.siak_workbook(people()))
    siti = Person.objects.get(name="Siti Aminah")
    actions.correct_person(siti, changes={"name": "Siti Aminah Zahra"}, reason="KTP", actor=officer)
    conflicted = run(extracts.siak_workbook(people()))
    dry = run(extracts.siak_workbook(edited(people())), dry_run=True)
    desa = people()[:3]
    for person in desa:
        person.update(dusun="MANGSIT", rw="-", rt="004")
    mapping = run(extracts.opensid_workbook(desa), dry_run=True)
    return [
        "/penduduk/impor/",
        f"/penduduk/impor/{dry.pk}/",
        f"/penduduk/impor/{conflicted.pk}/",
        "/penduduk/impor/konflik/",
        f"/penduduk/impor/{conflicted.pk}/konflik/",
        f"/penduduk/impor/{mapping.pk}/peta/",
    ]


def test_no_serious_or_critical_violation_on_the_import_pages(
    page: Page, live_server: Any, kelurahan_officer: User, output_path: str
) -> None:
    """The import's pages (issue 17), looked at on a phone and a desktop too."""
    from kotacerdas.conftest import screenshots

    shots = Path(output_path)
    sign_in_as(page, live_server.url, kelurahan_officer.username, totp=False)
    found: list[str] = []
    for number, path in enumerate(_import_pages(kelurahan_officer)):
        found += serious_violations(page, live_server.url + path)
        screenshots(page, shots / f"import-{number}")
    assert found == [], "\n".join(found)
