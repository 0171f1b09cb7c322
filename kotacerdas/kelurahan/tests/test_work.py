from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.kelurahan.models import LetterRequest
from kotacerdas.kelurahan.work import letter_work

pytestmark = pytest.mark.django_db


def test_each_member_sees_what_waits_at_their_step(
    started: LetterRequest, kelurahan_officer: User, lurah: User, rw_operator: User, outsider: User
) -> None:
    LetterRequest.objects.filter(pk=started.pk).update(due_on=dt.date(2020, 1, 2))
    checking = {item.label: (item.count, item.late) for item in letter_work(kelurahan_officer)}
    assert checking["Permohonan surat untuk diperiksa"] == (1, 1)
    assert [(i.count, i.late) for i in letter_work(lurah)] == [(0, 0)]
    assert [i.count for i in letter_work(rw_operator)] == [0]  # returned or incomplete
    assert letter_work(outsider) == []


def test_work_items_cost_a_few_queries(
    kelurahan_officer: User, django_assert_max_num_queries: Any
) -> None:
    letter_work(kelurahan_officer)
    with django_assert_max_num_queries(4):
        letter_work(kelurahan_officer)
