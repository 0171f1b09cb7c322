"""The Satu Data workflow's pages: the agency drafts, the walidata reviews and approves the list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.opendata.access import dataset_for, datasets_for, is_steward, require_steward
from kotacerdas.opendata.actions import workflow
from kotacerdas.opendata.forms import DataListForm, MetadataForm, ReviewForm
from kotacerdas.opendata.models import DataList, Dataset
from kotacerdas.opendata.schedule import timeliness

S = Dataset.Status
WAITING_FIRST: list[str] = [
    S.SUBMITTED,
    S.RETURNED,
    S.DRAFT,
    S.APPROVED,
]  # what needs someone first


def work(request: StaffRequest) -> HttpResponse:
    """The datasets the member drafts or reviews, with their state."""
    found = datasets_for(request.user).select_related("organization").order_by("name")
    datasets = sorted(found, key=lambda d: WAITING_FIRST.index(d.status))
    for dataset in datasets:
        dataset.timeliness = timeliness(dataset.next_release)  # type: ignore[attr-defined]
    lists = DataList.objects.all()[:5]
    context = {
        "datasets": datasets,
        "steward": is_steward(request.user),
        "lists": lists,
        "year": timezone.localdate().year,
    }
    return render(request, "opendata/work.html", context)


def edit(request: StaffRequest, name: str) -> HttpResponse:
    """The producing agency's metadata draft; "Ajukan" sends it to the walidata."""
    dataset = dataset_for(request.user, name)
    form = MetadataForm(request.POST or None, instance=dataset)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        workflow.save_metadata(form.save(commit=False), actor=request.user, submit=submit)
        messages.success(request, _("Submitted to the walidata.") if submit else _("Draft saved."))
        return redirect("opendata:edit", name=dataset.name)
    review = ReviewForm() if is_steward(request.user) else None
    return render(
        request, "opendata/edit.html", {"dataset": dataset, "form": form, "review": review}
    )


def review(request: StaffRequest, name: str) -> HttpResponse:
    """The walidata approves a submitted dataset or returns it with a reason."""
    require_steward(request.user)
    dataset = dataset_for(request.user, name)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                workflow.approve(dataset, actor=request.user)
            else:
                workflow.return_to_producer(
                    dataset, actor=request.user, reason=form.cleaned_data["reason"]
                )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision is saved."))
            return redirect("opendata:edit", name=dataset.name)
    metadata = MetadataForm(instance=dataset)
    return render(
        request,
        "opendata/edit.html",
        {"dataset": dataset, "form": metadata, "review": form},
        status=400 if form.errors else 200,
    )


def data_list(request: StaffRequest, year: int) -> HttpResponse:
    """The walidata approves the year's Daftar Data: the datasets the city publishes."""
    require_steward(request.user)
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise Http404
    found = DataList.objects.filter(year=year).first()
    initial = {"datasets": list(found.datasets.all()) if found else []}
    form = DataListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.approve_list(year, list(form.cleaned_data["datasets"]), actor=request.user)
        except workflow.WorkflowError as error:
            form.add_error("datasets", str(error))
        else:
            messages.success(request, _("Daftar Data %(year)s approved.") % {"year": year})
            return redirect("opendata:data-list", year=year)
    return render(request, "opendata/data_list.html", {"form": form, "year": year, "found": found})
