"""Public bed availability: page, JSON, SIRS Online rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.hospital import actions
from kotacerdas.hospital.models import Bed

pytestmark = pytest.mark.django_db


def test_the_public_page_counts_per_class(
    client: Client, beds: list[Bed], django_assert_max_num_queries: Any
) -> None:
    actions.set_bed_status(beds[0], Bed.Status.OCCUPIED)
    actions.set_bed_status(beds[1], Bed.Status.RESERVED)
    actions.set_bed_status(beds[2], Bed.Status.CLEANING)
    actions.set_bed_status(beds[3], Bed.Status.OUT_OF_SERVICE)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("hospital:beds"))
    assert response.status_code == 200
    data = client.get(reverse("hospital:beds-data")).json()
    kelas3 = next(c for c in data["classes"] if c["id_tt"] == 5)
    assert kelas3 == {**kelas3, "total": 5, "occupied": 2, "free": 2, "preparing": 1}
    assert data["updated_at"]


def test_sirs_rows(client: Client, beds: list[Bed]) -> None:
    actions.set_bed_status(beds[0], Bed.Status.OCCUPIED)
    rows = client.get(reverse("hospital:beds-sirs")).json()["fasyankes"]
    melati = next(r for r in rows if r["ruang"] == "Melati")
    assert melati["id_tt"] == "5" and melati["jumlah_ruang"] == "2"
    assert (melati["jumlah"], melati["terpakai"], melati["kosong"]) == ("6", "1", "5")
    assert {"antrian", "prepare", "prepare_plan"} <= set(melati)


def test_the_bed_json_carries_the_totals_and_the_times_as_the_page_prints_them(
    client: Client, beds: list[Bed]
) -> None:
    """The page refreshes itself from this JSON: its footer totals and times must follow too."""
    from django.utils import translation

    actions.set_bed_status(beds[0], Bed.Status.OCCUPIED)
    with translation.override("id"):
        page = client.get(reverse("hospital:beds")).content.decode()
        data = client.get(reverse("hospital:beds-data")).json()
    assert data["totals"] == {
        "beds": 8,
        "total": 8,
        "occupied": 1,
        "free": 7,
        "preparing": 0,
        "out_of_service": 0,
        "waiting": 0,
    }
    assert data["updated_label"] and data["updated_label"] in page
    assert all(c["updated_label"] in page for c in data["classes"])


def test_the_page_adds_up_to_every_bed_and_keeps_machine_links_for_developers(
    client: Client, beds: list[Bed]
) -> None:
    """Each row and the footer: occupied + free + being cleaned + not in use = beds,
    and the footer's beds are every bed the hospital has (out of service too)."""
    import re

    actions.set_bed_status(beds[0], Bed.Status.OCCUPIED)
    actions.set_bed_status(beds[1], Bed.Status.RESERVED)
    actions.set_bed_status(beds[2], Bed.Status.CLEANING)
    actions.set_bed_status(beds[3], Bed.Status.OUT_OF_SERVICE)
    page = client.get(reverse("hospital:beds")).content.decode()
    fields = ("beds", "occupied", "free", "preparing", "out_of_service")

    def numbers(html: str) -> dict[str, int]:
        return {
            f: int(re.search(rf'data-field="{f}">(?:<strong>)?(\d+)', html).group(1))  # type: ignore[union-attr]
            for f in fields
        }

    rows = re.findall(r"<tr data-class=.*?</tr>", page)
    footer = numbers(page[page.index('id="beds-totals"') :])
    assert rows and footer["beds"] == Bed.objects.count() == len(beds)
    for n in [numbers(row) for row in rows] + [footer]:
        assert n["occupied"] + n["free"] + n["preparing"] + n["out_of_service"] == n["beds"]
    assert footer["out_of_service"] == 1 and footer["preparing"] == 1
    # The machine links sit on one small line of their own, after the plain words.
    developers = page.index('<p class="muted small">')
    assert "sirs.json" in page[developers:] and "FHIR Location" in page[developers:]
    assert "SIRS" not in page[:developers] and "FHIR" not in page[:developers]


def test_the_public_page_is_served_from_the_shared_cache_for_its_stated_seconds(
    client: Client, beds: list[Bed], settings: Any, django_assert_num_queries: Any
) -> None:
    """Many people open the bed page at once: it is built once per few seconds, and a
    bed taken shows within those seconds (the page says how many)."""
    from unittest import mock

    from django.utils import translation

    from kotacerdas.core import pagecache

    def page() -> str:
        body = client.get(reverse("hospital:beds")).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)  # a new mask each time

    settings.PAGE_CACHE_SECONDS = {"beds": 5}
    with translation.override("id"):
        first = page()
        assert "paling lama 5 detik" in first
        actions.set_bed_status(beds[0], Bed.Status.OCCUPIED)
        with django_assert_num_queries(0):
            assert page() == first
        later = pagecache._now() + 5.1
        with mock.patch.object(pagecache, "_now", return_value=later):
            data = client.get(reverse("hospital:beds-data")).json()
            again = page()
    assert again != first and data["totals"]["occupied"] == 1


def test_each_visitor_gets_their_own_csrf_token_never_anothers(
    beds: list[Bed], settings: Any
) -> None:
    """Every page has a form (the language switch): its token is the visitor's own."""
    import re

    from django.test import Client

    settings.PAGE_CACHE_SECONDS = {"beds": 5}
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first, second = Client(), Client()
    page_one = first.get("/kamar/").content.decode()
    page_two = second.get("/kamar/").content.decode()
    assert token.sub("", page_one) == token.sub("", page_two)  # the same page …
    ours, theirs = token.search(page_one), token.search(page_two)
    assert ours and theirs and ours.group(1) != theirs.group(1)  # … with its own token
    assert "@@csrf" not in page_two
    # And the token works: the language switch accepts the second visitor's POST.
    second_csrf = Client(enforce_csrf_checks=True)
    second_csrf.cookies = second.cookies
    switched = second_csrf.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/kamar/", "csrfmiddlewaretoken": theirs.group(1)},
    )
    assert switched.status_code == 302
