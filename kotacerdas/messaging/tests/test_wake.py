"""The wake-up's look at the task table: the same answer as django_tasks_db's ``ready()``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.messaging import wake
from kotacerdas.messaging.tasks import deliver_outbound, process_inbound


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms"]}
    }


def library_says(task: Any) -> bool:
    return (
        DBTaskResult.objects.ready()
        .filter(task_path=task.module_path, queue_name=task.queue_name, backend_name="default")
        .exists()
    )


def test_waiting_agrees_with_the_queues_own_ready(
    db: Any, database_queue: None, django_assert_num_queries: Any
) -> None:
    assert wake._waiting(process_inbound) is library_says(process_inbound) is False

    later = process_inbound.using(run_after=timezone.now() + dt.timedelta(minutes=5)).enqueue(7)
    assert wake._waiting(process_inbound) is library_says(process_inbound) is False  # not due

    process_inbound.enqueue()
    with django_assert_num_queries(1):
        assert wake._waiting(process_inbound) is True
    assert library_says(process_inbound)
    # Another task, or another queue, is not this one.
    assert wake._waiting(deliver_outbound) is library_says(deliver_outbound) is False

    DBTaskResult.objects.exclude(id=later.id).update(status=TaskResultStatus.RUNNING)
    assert wake._waiting(process_inbound) is library_says(process_inbound) is False


def test_a_burst_enqueues_one_wake_up(db: Any, database_queue: None) -> None:
    for _ in range(5):
        wake.routers()
    assert DBTaskResult.objects.filter(queue_name="default").count() == 1
