"""A look-up compiled once gives what the ORM gives, in one query, compiling nothing again."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from kotacerdas.core.compiled import Lookup
from kotacerdas.regions.models import RT, RW, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def rt() -> RT:
    kota = Region.objects.create(code="32.74", level="kota", name="Cirebon")
    kelurahan = Region.objects.create(
        code="32.74.01.1001", level="kelurahan", name="Kesenden", parent=kota
    )
    return RT.objects.create(rw=RW.objects.create(kelurahan=kelurahan, number=3), number=7)


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_row_and_its_related_rows_are_what_the_orm_reads(
    rt: RT, django_assert_num_queries: Any
) -> None:
    by_pk = Lookup(RT, lambda pk: RT.objects.select_related("rw__kelurahan__parent").filter(pk=pk))
    with django_assert_num_queries(1):
        found = by_pk.first(rt.pk)
    assert found is not None
    with django_assert_num_queries(0):
        kelurahan = found.rw.kelurahan
        kota = kelurahan.parent
    assert _fields(found) == _fields(rt)
    assert kota is not None
    assert (found.rw.number, kelurahan.name, kota.name) == (3, "Kesenden", "Cirebon")
    assert not found._state.adding


def test_a_missing_related_row_is_none_and_a_missing_row_is_none(rt: RT) -> None:
    by_code = Lookup(Region, lambda code: Region.objects.select_related("parent").filter(code=code))
    kota = by_code.first("32.74")
    assert kota is not None and kota.parent is None
    assert by_code.first("99.99") is None


def test_other_values_reuse_the_compiled_sql(rt: RT) -> None:
    by_number = Lookup(RT, lambda rw, number: RT.objects.filter(rw_id=rw, number=number))
    assert by_number.first(rt.rw_id, 7) == rt
    RT.objects.create(rw=rt.rw, number=8)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql:
        assert by_number.first(rt.rw_id, 8).number == 8  # type: ignore[union-attr]
        assert by_number.first(rt.rw_id, 9) is None
    as_sql.assert_not_called()


def test_values_are_converted_as_the_orm_converts_them() -> None:
    expires = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    Session.objects.create(session_key="k" * 32, session_data="{}", expire_date=expires)
    by_key = Lookup(Session, lambda key: Session.objects.filter(session_key=key))
    found = by_key.first("k" * 32)
    assert found is not None
    assert found.expire_date == expires
    assert found.expire_date.tzinfo is not None


def test_a_look_up_that_changes_its_value_is_run_by_the_orm(rt: RT) -> None:
    # "contains" binds "%value%", not the value: the stand-in is not found.
    by_name = Lookup(Region, lambda name: Region.objects.filter(name__contains=name))
    assert by_name.first("sende").code == "32.74.01.1001"  # type: ignore[union-attr]
    assert by_name.first("rebo").code == "32.74"  # type: ignore[union-attr]
    assert list(by_name._plans.values()) == [None]


def test_arguments_other_than_ints_and_strings_are_refused() -> None:
    by_level = Lookup(Region, lambda flag: Region.objects.filter(pk=flag))
    with pytest.raises(TypeError):
        by_level.first(True)
    with pytest.raises(TypeError):
        by_level.first(1.5)


def test_annotated_querysets_are_refused() -> None:
    from django.db.models import Count

    by_pk = Lookup(
        Region, lambda code: Region.objects.annotate(n=Count("children")).filter(code=code)
    )
    with pytest.raises(TypeError):
        by_pk.first("32.74")
