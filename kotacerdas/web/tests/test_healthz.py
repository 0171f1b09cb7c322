from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kotacerdas.web.models import Heartbeat


def test_healthy_when_the_database_answers_and_the_worker_runs_the_ping(
    client, db, django_capture_on_commit_callbacks
):
    # Tests run tasks immediately, as a live worker would, once the ping is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/healthz")
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": "ok", "worker": "ok"}
    assert Heartbeat.objects.get().done_at is not None


def test_unhealthy_when_a_ping_has_waited_a_minute(client, db):
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    Heartbeat.objects.create(id=1, enqueued_at=long_ago, done_at=long_ago - dt.timedelta(minutes=1))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "not responding"


def test_a_fresh_ping_is_given_time(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["worker"] == "waiting"


def test_hello_world_is_the_bench_baseline_and_needs_no_sign_in(client):
    response = client.get("/halo")
    assert response.status_code == 200
    assert response.content == b"Halo"
    assert client.post("/halo").status_code == 405
