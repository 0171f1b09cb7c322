from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from kotacerdas.kelurahan.models import Correspondence, Letter, LetterRequest


def test_the_demo_has_requests_at_every_status_issued_letters_and_a_year_of_history(
    db: Any,
) -> None:
    call_command("demo", "--scale", "small", stdout=io.StringIO())

    chain = LetterRequest.objects.exclude(channel="counter")
    assert set(chain.values_list("status", flat=True)) == {
        "incomplete",
        "checking",
        "signing",
        "ready",
        "collected",
        "cancelled",
    }
    assert set(chain.filter(status="signing").values_list("awaiting", flat=True)) == {
        "sekretaris",
        "lurah",
    }
    assert set(Letter.objects.filter(request__in=chain).values_list("status", flat=True)) == {
        "valid",
        "revoked",
        "superseded",
    }
    assert Letter.objects.filter(request__in=chain, pdf__isnull=False).count() >= 5
    assert Letter.objects.filter(request__channel="counter").count() >= 40
    assert Correspondence.objects.count() == 4
    numbers = list(
        Letter.objects.filter(version=1).values_list("kelurahan", "year", "scope", "sequence")
    )
    assert len(numbers) == len(set(numbers))

    call_command("demo", "--scale", "small", stdout=io.StringIO())
    assert LetterRequest.objects.exclude(channel="counter").count() == chain.count()
