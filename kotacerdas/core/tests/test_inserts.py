"""Several rows in one round trip: stored together, or (in a transaction) not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from kotacerdas.core.inserts import insert_after, insert_together

pytestmark = pytest.mark.django_db


def test_rows_of_several_models_are_stored_in_one_round_trip_on_postgresql(
    django_assert_num_queries: Any,
) -> None:
    kind = ContentType.objects.get_for_model(Group)
    rows = [Group(name="bidan"), Permission(name="x", codename="x", content_type=kind)]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        insert_together(*rows)
    assert Group.objects.filter(name="bidan").exists()
    assert Permission.objects.filter(codename="x").exists()
    assert all(not row._state.adding for row in rows)


def test_a_refused_row_takes_the_others_with_it_in_a_transaction() -> None:
    Group.objects.create(name="taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together(Group(name="new"), Group(name="taken"))
    assert not Group.objects.filter(name="new").exists()


def test_a_row_may_refer_to_a_row_stored_with_it() -> None:
    # On PostgreSQL the rows go as one statement: its foreign keys are checked
    # at its end, whichever order the rows come in.
    kind = ContentType(pk=9_001, app_label="kotacerdas_test", model="together")
    insert_together(Permission(name="y", codename="y", content_type_id=kind.pk), kind)
    assert Permission.objects.get(codename="y").content_type == kind


@pytest.mark.postgres
def test_rows_may_take_values_from_the_statement_before_them_in_one_round_trip(
    django_assert_num_queries: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("data-modifying WITH is PostgreSQL's")
    Group.objects.create(name="counter 41")
    kind = ContentType.objects.get_for_model(Group)
    head = "UPDATE auth_group SET name = 'counter 42' WHERE name = %s RETURNING 42 AS n"
    rows = [Group(name="?"), Permission(name="kept", codename="?", content_type=kind)]
    computed: dict[tuple[int, str], tuple[str, list[Any]]] = {
        (0, "name"): ("%s || s.n::text", ["group "]),
        (1, "codename"): ("'p' || (s.n + %s)::text", [1]),
    }
    with django_assert_num_queries(1):
        answer = insert_after(head, ["counter 41"], rows, computed, "s.n, s.n * 2")
    assert answer == (42, 84)
    assert Group.objects.filter(name__in=["counter 42", "group 42"]).count() == 2
    assert Permission.objects.get(name="kept").codename == "p43"
    assert all(not row._state.adding for row in rows)


@pytest.mark.postgres
def test_no_row_from_the_statement_before_inserts_nothing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("data-modifying WITH is PostgreSQL's")
    head = "UPDATE auth_group SET name = name WHERE name = %s RETURNING 1 AS n"
    rows = [Group(name="never")]
    assert insert_after(head, ["nobody"], rows, {}, "s.n") is None
    assert not Group.objects.exists()
    assert rows[0]._state.adding


def test_values_from_the_statement_before_need_postgresql() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("this is the answer elsewhere")
    with pytest.raises(NotImplementedError):
        insert_after("SELECT 1 AS n", [], [Group(name="g")], {}, "s.n")
