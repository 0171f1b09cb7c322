"""Akta numbers under concurrent registration (PostgreSQL: real parallel transactions)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from kotacerdas.births import actions
from kotacerdas.births.actions import registry
from kotacerdas.births.models import Declaration
from kotacerdas.people.models import LifeEvent, Person

REGISTRARS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_registrations_at_once_get_fifty_distinct_consecutive_numbers(
    make_declaration, registrar, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite lets one writer in at a time): set DATABASE_URL")
    # The PDFs are rendered on first download instead: this test is about numbers.
    monkeypatch.setattr(
        registry, "render_certificate", SimpleNamespace(enqueue=lambda certificate_id: None)
    )
    template = make_declaration(documents=False)
    Declaration.objects.filter(pk=template.pk).delete()
    copies = []
    for n in range(REGISTRARS):
        template.pk = None
        template.reference = f"BRJ-T{n:05d}"
        template.child_name = f"Anak Kembar {n}"
        template.status = Declaration.Status.VALIDATED
        template.save()
        copies.append(template.pk)
    start = threading.Barrier(REGISTRARS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def register(declaration_id: int) -> None:
        try:
            declaration = Declaration.objects.get(pk=declaration_id)
            start.wait()
            numbers.append(
                actions.register(declaration, actor=registrar, request=None).akta_number or ""
            )
        except BaseException as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(pk,)) for pk in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    today = timezone.localdate().strftime("%d%m%Y")
    assert sorted(numbers) == [f"3274-LU-{today}-{n:04d}" for n in range(1, REGISTRARS + 1)]
    assert Declaration.objects.filter(status="registered").count() == REGISTRARS
    assert Person.objects.filter(name__startswith="Anak Kembar").count() == REGISTRARS
    assert LifeEvent.objects.filter(kind="birth").count() == REGISTRARS
