"""A look-up compiled once gives what the ORM gives, in one query, compiling nothing again.

On Django's own models: the floor's tests import nothing above it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from kotacerdas.core.compiled import Lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> LogEntry:
    user = get_user_model().objects.create_user("bidan.siti", password="x")
    # No content type: the related row a LEFT JOIN finds missing.
    return LogEntry.objects.create(user=user, object_repr="catatan", action_flag=ADDITION)


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_row_and_its_related_row_are_what_the_orm_reads(django_assert_num_queries: Any) -> None:
    permission = Permission.objects.get(codename="add_group")
    by_pk = Lookup(
        Permission, lambda pk: Permission.objects.select_related("content_type").filter(pk=pk)
    )
    with django_assert_num_queries(1):
        found = by_pk.first(permission.pk)
    assert found is not None
    with django_assert_num_queries(0):
        kind = found.content_type
    assert _fields(found) == _fields(permission)
    assert kind == ContentType.objects.get_for_model(Group)
    assert not found._state.adding


def test_a_missing_related_row_is_none_and_a_missing_row_is_none(entry: LogEntry) -> None:
    by_pk = Lookup(
        LogEntry, lambda pk: LogEntry.objects.select_related("content_type", "user").filter(pk=pk)
    )
    found = by_pk.first(entry.pk)
    assert found is not None
    assert found.content_type is None
    assert found.user.username == "bidan.siti"
    assert by_pk.first(entry.pk + 1) is None


def test_other_values_reuse_the_compiled_sql(entry: LogEntry) -> None:
    # action_flag is a small integer: the ORM binds it as such, and so does the look-up.
    by_flag = Lookup(
        LogEntry, lambda user, flag: LogEntry.objects.filter(user_id=user, action_flag=flag)
    )
    assert by_flag.first(entry.user_id, ADDITION) == entry
    changed = LogEntry.objects.create(user=entry.user, object_repr="b", action_flag=CHANGE)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql:
        assert by_flag.first(entry.user_id, CHANGE) == changed
        assert by_flag.first(entry.user_id, 3) is None
    as_sql.assert_not_called()


def test_values_are_converted_as_the_orm_converts_them() -> None:
    expires = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    Session.objects.create(session_key="k" * 32, session_data="{}", expire_date=expires)
    by_key = Lookup(Session, lambda key: Session.objects.filter(session_key=key))
    found = by_key.first("k" * 32)
    assert found is not None
    assert found.expire_date == expires
    assert found.expire_date.tzinfo is not None


def test_a_look_up_that_changes_its_value_is_run_by_the_orm() -> None:
    # "contains" binds "%value%", not the value: the stand-in is not found.
    by_name = Lookup(Group, lambda name: Group.objects.filter(name__contains=name))
    Group.objects.create(name="bidan kelurahan")
    Group.objects.create(name="kader posyandu")
    assert by_name.first("bidan").name == "bidan kelurahan"  # type: ignore[union-attr]
    assert by_name.first("kader").name == "kader posyandu"  # type: ignore[union-attr]
    assert list(by_name._plans.values()) == [None]


def test_arguments_other_than_ints_and_strings_are_refused() -> None:
    by_pk = Lookup(Group, lambda pk: Group.objects.filter(pk=pk))
    with pytest.raises(TypeError):
        by_pk.first(True)
    with pytest.raises(TypeError):
        by_pk.first(1.5)


def test_annotated_querysets_are_refused() -> None:
    by_pk = Lookup(Group, lambda pk: Group.objects.annotate(n=Count("user")).filter(pk=pk))
    with pytest.raises(TypeError):
        by_pk.first(1)
