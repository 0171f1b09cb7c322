"""Citizen accounts moved from messaging to people without losing a row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kotacerdas.conftest import KEJAKSAN
from kotacerdas.people.models import Citizen, Person
from kotacerdas.regions.models import RT

BEFORE_THE_MOVE = [
    ("people", "0004_list_order_indexes"),
    ("messaging", "0001_initial"),
    ("births", "0003_declaration_claim"),
    ("hospital", "0002_clinic_sensitive"),
]
# (table, column) of every foreign key that pointed at messaging_citizen.
CITIZEN_REFERENCES = [
    ("births_declaration", "declared_by_citizen_id"),
    ("births_declaration", "claimed_by_id"),
    ("births_correction", "requested_by_citizen_id"),
    ("hospital_booking", "citizen_id"),
]


def _foreign_key_target(table: str, column: str) -> tuple[str, str] | None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for constraint in constraints.values():
        if constraint["foreign_key"] and constraint["columns"] == [column]:
            return tuple(constraint["foreign_key"])  # type: ignore[return-value]
    return None


@pytest.mark.django_db(transaction=True)
def test_existing_citizens_and_their_links_survive_the_move_to_people(
    rt: Callable[[str, int, int], RT], make_person: Callable[..., Person]
) -> None:
    mother = make_person(rt(KEJAKSAN, 1, 1), name="Siti", phone="+6281234567890")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
    old_citizen = old_apps.get_model("messaging", "Citizen")
    linked = old_citizen.objects.create(phone="+6281234567890", person_id=mother.pk)
    unlinked = old_citizen.objects.create(phone="+6281300000001")
    assert "messaging_citizen" in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert "people_citizen" in tables
    assert "messaging_citizen" not in tables
    assert Citizen.objects.get(pk=linked.pk).person == mother
    assert Citizen.objects.get(pk=unlinked.pk).phone == "+6281300000001"
    assert Citizen.objects.get(pk=unlinked.pk).person is None
    # The services' foreign keys still hold, now on the renamed table.
    for table, column in CITIZEN_REFERENCES:
        assert _foreign_key_target(table, column) == ("people_citizen", "id"), (table, column)
    # New accounts continue the same numbering.
    assert Citizen.objects.create(phone="+6281300000002").pk > unlinked.pk


def test_the_account_model_is_the_registers_with_its_own_table() -> None:
    assert Citizen._meta.app_label == "people"
    assert Citizen._meta.db_table == "people_citizen"
