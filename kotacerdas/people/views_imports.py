"""The import's further pages: apply a dry run, map a desa file's areas, decide
the conflicts of an extract, export an area in OpenSID's or SIAK's columns.
Kelurahan operators, within their area."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.excel import XLSX_CONTENT_TYPE
from kotacerdas.people import access, actions
from kotacerdas.people.actions.areas import file_areas, save_area_mappings
from kotacerdas.people.imports.extract_export import FORMATS, extract_workbook
from kotacerdas.people.imports.monthly import field_label
from kotacerdas.people.models import ImportJob, Person
from kotacerdas.regions.models import RT


@require_POST
def import_apply(request: StaffRequest, job_id: int) -> HttpResponse:
    """Apply what a finished dry run showed: the same file, imported for real."""
    job = access.get_import_for_user(request.user, job_id)
    if not (job.dry_run and job.status == ImportJob.Status.DONE):
        raise Http404
    new = actions.rerun_import(job, user=request.user)
    return redirect("people:import-detail", job_id=new.pk)


@require_http_methods(["GET", "POST"])
def import_mapping(request: StaffRequest, job_id: int) -> HttpResponse:
    """One screen: each dusun/RW/RT of the file -> an RT of the kelurahan."""
    job = access.get_import_for_user(request.user, job_id)
    content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    areas = file_areas(bytes(content), job.kelurahan)
    rts = list(
        access.rts_for_user(request.user)
        .filter(rw__kelurahan=job.kelurahan_id)
        .select_related("rw")
        .order_by("rw__number", "number")
    )
    if request.method == "POST":
        chosen = _chosen(request, areas, {rt.pk: rt for rt in rts})
        if chosen is not None:
            save_area_mappings(job.kelurahan, chosen, actor=request.user)
            new = actions.rerun_import(job, user=request.user, dry_run=True)
            messages.success(
                request, _("The mapping is saved and used for this kelurahan's files.")
            )
            return redirect("people:import-detail", job_id=new.pk)
        messages.error(request, _("Choose an RT of your area for every area of the file."))
    return render(request, "people/import_mapping.html", {"job": job, "areas": areas, "rts": rts})


def _chosen(
    request: StaffRequest, areas: list[dict], rts: dict[int, RT]
) -> list[tuple[tuple[str, str, str], RT]] | None:
    chosen = []
    for index, area in enumerate(areas):
        value = request.POST.get(f"area-{index}", "")
        rt = rts.get(int(value)) if value.isdigit() else None
        if rt is None:
            return None
        chosen.append(((area["dusun"], area["rw"], area["rt"]), rt))
    return chosen


CONFLICTS_PAGE_SIZE = 50


@require_GET
def import_conflict_list(request: StaffRequest) -> HttpResponse:
    """The imports of the user's kelurahan that listed conflicts, newest first."""
    if not access.can_decide_proposals(request.user):
        raise PermissionDenied
    jobs = (
        access.conflict_jobs_for_user(request.user)
        .exclude(conflicts=[])
        .select_related("kelurahan")
    )
    page = Paginator(jobs.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    jobs_open = [
        (job, sum(1 for conflict in job.conflicts if not conflict.get("decision")))
        for job in page.object_list
    ]
    context = {"page": page, "jobs_open": jobs_open}
    return render(request, "people/import_conflict_list.html", context)


@require_GET
def import_conflicts(request: StaffRequest, job_id: int) -> HttpResponse:
    """An extract's conflicts, each with its two decisions."""
    job = access.get_conflicts_for_user(request.user, job_id)
    entries = [_entry(index, conflict) for index, conflict in enumerate(job.conflicts)]
    page = Paginator(entries, CONFLICTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/import_conflicts.html", {"job": job, "page": page})


def _entry(index: int, conflict: dict[str, Any]) -> dict[str, Any]:
    status = conflict.get("status")
    return {
        **conflict,
        "index": index,
        "rows": [(field_label(f[0]), *f[1:]) for f in conflict["fields"]],
        "status_label": Person.Status(status).label if status else "",
    }


@require_POST
def import_conflict_decide(request: StaffRequest, job_id: int, index: int) -> HttpResponse:
    """Take the file's value (through the register actions) or keep the platform's."""
    job, person = access.get_conflict_for_user(request.user, job_id, index)
    try:
        actions.decide_conflict(
            job,
            index,
            person=person,
            decision=request.POST.get("keputusan", ""),
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The conflict is decided."))
    page = index // CONFLICTS_PAGE_SIZE + 1
    url = reverse("people:import-conflicts", args=[job.pk])
    return redirect(f"{url}?page={page}#konflik-{index}")


@never_cache
@require_GET
def person_export_extract(request: StaffRequest, file_format: str) -> FileResponse:
    """The user's area in OpenSID's or SIAK's columns, audited like the export."""
    access.require_editor(request.user)
    if file_format not in FORMATS:
        raise Http404
    workbook, count = extract_workbook(access.persons_for_export(request.user), file_format)
    actions.record_export(count=count, request=request)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"penduduk-{file_format}-{timezone.localdate():%Y-%m-%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
