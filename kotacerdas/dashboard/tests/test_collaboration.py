"""The partners register (walidata and leadership) and the public Masterplan 2028 page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.conftest import signed_in
from kotacerdas.dashboard.models import Agreement, Contribution, MasterplanItem, Partner
from kotacerdas.dashboard.tests.conftest import KEJAKSAN, WEIGHED

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(settings: Any, tmp_path: Any) -> Partner:
    settings.MEDIA_ROOT = tmp_path
    found = Partner.objects.create(name="Relawan TIK Kota Cirebon", kind=Partner.Kind.VOLUNTEERS)
    agreement = Agreement.objects.create(
        partner=found,
        title="Roadshow Literasi Digital",
        signed_on=dt.date(2025, 3, 3),
        scope="Classes in 22 kelurahan",
        document_type="application/pdf",
    )
    agreement.document.save("pks.pdf", ContentFile(b"%PDF-1.4 demo"))
    Contribution.objects.create(
        partner=found,
        agreement=agreement,
        programme="literacy",
        kind="classes",
        quantity=22,
        since=dt.date(2025, 3, 3),
    )
    return found


def test_the_walidata_reads_the_register_and_an_agreements_document(
    steward: User, partner: Partner, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(steward)
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("dashboard:partners")).content.decode()
    page = client.get(reverse("dashboard:partner", args=[partner.pk])).content.decode()
    agreement = partner.agreements.get()
    document = client.get(reverse("dashboard:agreement-document", args=[agreement.pk]))

    assert "Relawan TIK Kota Cirebon" in listing
    assert "Roadshow Literasi Digital" in page and "literacy" in page
    assert b"".join(document.streaming_content) == b"%PDF-1.4 demo"  # type: ignore[attr-defined]
    assert document["Cache-Control"] == "private, no-store"


def test_the_register_is_refused_to_a_lurah_and_an_unknown_partner_is_not_found(
    lurah: User, steward: User, partner: Partner
) -> None:
    assert signed_in(lurah).get(reverse("dashboard:partners")).status_code == 403
    assert signed_in(lurah).get(reverse("dashboard:partner", args=[partner.pk])).status_code == 403
    assert signed_in(steward).get(reverse("dashboard:partner", args=[999])).status_code == 404
    assert (
        signed_in(steward).get(reverse("dashboard:agreement-document", args=[999])).status_code
        == 404
    )


def test_the_masterplan_takes_progress_from_a_live_figure_or_by_hand(
    client: Client, put_value: Any, django_assert_max_num_queries: Any
) -> None:
    put_value(WEIGHED, KEJAKSAN, 1, 30)
    MasterplanItem.objects.create(
        programme="E-Posyandu",
        dimension="living",
        element="Health",
        horizon="medium",
        agency="Dinkes",
        indicator="Weighings",
        figure=WEIGHED,
        target=120,
    )
    MasterplanItem.objects.create(
        programme="Cirebon Melet",
        dimension="society",
        element="Learning",
        horizon="quick_win",
        agency="DKIS",
        indicator="WiFi points",
        manual_progress=60,
    )

    with django_assert_max_num_queries(4):
        html = client.get(reverse("dashboard:masterplan")).content.decode()

    assert 'value="25"' in html  # 30 of 120
    assert 'value="60"' in html
    assert "Smart Living" in html and "Smart Society" in html
