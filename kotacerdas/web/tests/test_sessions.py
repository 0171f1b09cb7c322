"""The session store: Django's database sessions, read and touched with one statement each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kotacerdas.people.access import CITIZEN_SESSION_KEY
from kotacerdas.web.sessions import SessionStore


@pytest.mark.django_db
def test_a_session_stored_by_django_is_read_with_one_select() -> None:
    stored = db.SessionStore()
    stored[CITIZEN_SESSION_KEY] = 7
    stored.create()
    with CaptureQueriesContext(connection) as ctx:
        loaded = SessionStore(stored.session_key).load()
    assert loaded == {CITIZEN_SESSION_KEY: 7}
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_an_expired_or_unknown_session_reads_as_empty_and_gets_a_new_key() -> None:
    stored = db.SessionStore()
    stored[CITIZEN_SESSION_KEY] = 7
    stored.create()
    Session.objects.filter(pk=stored.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(stored.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


@pytest.mark.django_db(transaction=True)
def test_a_touch_is_one_update_and_django_reads_it_back() -> None:
    store = SessionStore()
    store[CITIZEN_SESSION_KEY] = 7
    store.create()
    soon = timezone.now() + dt.timedelta(seconds=10)
    Session.objects.filter(pk=store.session_key).update(expire_date=soon)
    store = SessionStore(store.session_key)
    store["_touched"] = 1
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    # No BEGIN and COMMIT around it: one statement in autocommit.
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    again = db.SessionStore(store.session_key)
    assert again.load() == {CITIZEN_SESSION_KEY: 7, "_touched": 1}
    assert Session.objects.get(pk=store.session_key).expire_date > soon  # the idle time again


@pytest.mark.django_db(transaction=True)
def test_touching_a_session_deleted_meanwhile_is_djangos_update_error() -> None:
    store = SessionStore()
    store.create()
    store = SessionStore(store.session_key)
    store["_touched"] = 1
    Session.objects.all().delete()
    with pytest.raises(UpdateError):
        store.save()


@pytest.mark.django_db
def test_a_citizen_stays_signed_in_across_requests(client: Client) -> None:
    from kotacerdas.people.models import Citizen

    citizen = Citizen.objects.create(phone="+6281234567890")
    session = client.session
    session[CITIZEN_SESSION_KEY] = citizen.pk
    session.save()
    response = client.get(reverse("messaging:citizen-home"))
    assert response.status_code == 200
    assert client.session[CITIZEN_SESSION_KEY] == citizen.pk
