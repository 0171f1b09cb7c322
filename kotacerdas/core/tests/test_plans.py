"""Searches planned for their words: never a prepared statement's generic plan."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from kotacerdas.core.plans import planned_for_their_values

pytestmark = pytest.mark.django_db


def _prepared(text: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"]
        )
        return [row[0] for row in cursor.fetchall()]


def _search(word: str) -> list[str]:
    return list(Group.objects.filter(name__icontains=word).values_list("name", flat=True))


@pytest.mark.postgres
def test_statements_in_the_block_are_never_prepared_those_outside_are() -> None:
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get(
        "prepare_threshold"
    ):
        pytest.skip("prepared statements are PostgreSQL's, and on by default")
    Group.objects.create(name="Kader Posyandu Siti")
    with planned_for_their_values():
        for _run in range(5):
            assert _search("siti") == ["Kader Posyandu Siti"]
    assert _prepared('FROM "auth_group"') == []
    for _run in range(5):  # as every other statement runs
        assert _search("siti") == ["Kader Posyandu Siti"]
    assert len(_prepared('FROM "auth_group"')) == 1


def test_errors_in_the_block_are_djangos_and_it_works_everywhere() -> None:
    from django.db import DatabaseError, transaction

    with planned_for_their_values():
        assert _search("nobody") == []
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT * FROM no_such_table WHERE 1 = %s", [1])
