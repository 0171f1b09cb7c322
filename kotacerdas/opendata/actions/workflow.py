"""The Satu Data workflow: the producing agency drafts, the walidata reviews, the list is approved.

A dataset goes draft → submitted → approved, or back to returned (with the
walidata's reason) and draft again; a change to an approved dataset's metadata
sends it back to review. Every step is audited and moves ``metadata_modified``
(harvesters fetch the dataset again). Only approved public datasets in an
approved Daftar Data are published.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.audit.actions import record
from kotacerdas.opendata.models import DataList, Dataset

S = Dataset.Status


class WorkflowError(ValueError):
    """A step the dataset's state does not allow (an Indonesian message)."""


def save_metadata(dataset: Dataset, *, actor: User, submit: bool) -> Dataset:
    """Store the agency's metadata (``dataset`` holds the validated form's changes)."""
    with transaction.atomic():
        dataset.status = S.SUBMITTED if submit else S.DRAFT
        dataset.metadata_modified = timezone.now()
        dataset.save()
        record("opendata.submitted" if submit else "opendata.drafted", actor=actor, obj=dataset)
    return dataset


def approve(dataset: Dataset, *, actor: User) -> Dataset:
    if dataset.status != S.SUBMITTED:
        raise WorkflowError(_("Only a submitted dataset can be approved."))
    with transaction.atomic():
        dataset.status = S.APPROVED
        dataset.returned_reason = ""
        dataset.metadata_modified = timezone.now()
        dataset.save(update_fields=["status", "returned_reason", "metadata_modified"])
        record("opendata.approved", actor=actor, obj=dataset)
    return dataset


def return_to_producer(dataset: Dataset, *, actor: User, reason: str) -> Dataset:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Write the reason for returning it to the producer."))
    if dataset.status not in (S.SUBMITTED, S.APPROVED):
        raise WorkflowError(_("Only a submitted or approved dataset can be returned."))
    with transaction.atomic():
        dataset.status = S.RETURNED
        dataset.returned_reason = reason
        dataset.metadata_modified = timezone.now()
        dataset.save(update_fields=["status", "returned_reason", "metadata_modified"])
        record("opendata.returned", actor=actor, obj=dataset)
    return dataset


def approve_list(year: int, datasets: list[Dataset], *, actor: User) -> DataList:
    """The walidata approves the year's Daftar Data: exactly these approved datasets."""
    not_ready = [d.name for d in datasets if d.status != S.APPROVED]
    if not_ready:
        raise WorkflowError(
            _("Not approved by the walidata yet: %(names)s")
            % {"names": ", ".join(sorted(not_ready))}
        )
    now = timezone.now()
    with transaction.atomic():
        data_list = DataList.objects.get_or_create(year=year)[0]
        before = set(data_list.datasets.values_list("pk", flat=True))
        data_list.datasets.set(datasets)
        data_list.approved_at = now
        data_list.approved_by = actor
        data_list.save()
        changed = before ^ {d.pk for d in datasets}
        Dataset.objects.filter(pk__in=changed).update(metadata_modified=now)
        record("opendata.list_approved", actor=actor, obj=data_list, datasets=len(datasets))
    return data_list
