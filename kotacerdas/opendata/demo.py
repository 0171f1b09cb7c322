"""Demo data for ``make run``: every dataset built from the demo city, approved and listed.

The walidata persona (``walidata``, made by the dashboard's demo) approves the
drafts and this year's Daftar Data, so the catalogue, the CKAN API and the
DCAT catalogue show the demo city at once; one dataset waits for review so the
workflow has something to show.
"""

from __future__ import annotations

from django.utils import timezone

from kotacerdas.accounts.demo import Persona
from kotacerdas.accounts.models import User
from kotacerdas.opendata.actions import workflow
from kotacerdas.opendata.build import build, years_to_build
from kotacerdas.opendata.models import Dataset
from kotacerdas.web.declarations import DemoContext

WAITING = "hospital-free-beds-bulanan"  # left for the walidata to review


def build_demo(context: DemoContext) -> list[Persona]:
    report = build(years_to_build(full=True))
    walidata = User.objects.filter(username="walidata").first()
    if walidata is None:
        context.write("Open data: no walidata persona, datasets left as drafts")
        return []
    for dataset in Dataset.objects.filter(status=Dataset.Status.DRAFT):
        workflow.save_metadata(dataset, actor=walidata, submit=True)
        if dataset.name != WAITING:
            workflow.approve(dataset, actor=walidata)
    approved = list(Dataset.objects.filter(status=Dataset.Status.APPROVED))
    workflow.approve_list(timezone.localdate().year, approved, actor=walidata)
    context.write(
        f"Open data: {report.tables} tables, {len(approved)} datasets approved and published"
    )
    return []
