"""Pregnant women of a posyandu."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.posyandu import access, actions, immunisation
from kotacerdas.posyandu.forms import (
    EndPregnancyForm,
    PregnancyForm,
    VisitForm,
)
from kotacerdas.posyandu.models import (
    Posyandu,
    Pregnancy,
)


def _open_pregnancies(request: StaffRequest, posyandu: Posyandu, today: dt.date) -> list[Any]:
    """The posyandu's current pregnancies, each with its risks and visit count."""
    current = list(
        access.pregnancies_for_user(request.user)
        .filter(posyandu=posyandu, ended_on=None)
        .select_related("woman")
        .prefetch_related("visits")
    )
    for p in current:
        visits = list(p.visits.all())
        p.risks = immunisation.pregnancy_risks(p, visits, today)  # type: ignore[attr-defined]
        p.visit_count = len(visits)  # type: ignore[attr-defined]
    return current


@require_http_methods(["GET", "POST"])
def pregnancies(request: StaffRequest, posyandu_id: int) -> HttpResponse:
    posyandu = access.get_posyandu_for_user(request.user, posyandu_id)
    today = timezone.localdate()
    women = access.women_for_user(request.user).filter(rt__rw_id=posyandu.rw_id)
    form = PregnancyForm(women, request.POST or None)
    if request.method == "POST":
        posyandu = access.get_posyandu_for_user(request.user, posyandu_id, write=True)
        if form.is_valid():
            try:
                pregnancy = actions.record_pregnancy(
                    form.cleaned_data["woman"],
                    posyandu,
                    lmp=form.cleaned_data["lmp"],
                    edd=form.cleaned_data["edd"],
                    user=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("posyandu:pregnancy", pregnancy_id=pregnancy.pk)
    current = _open_pregnancies(request, posyandu, today)
    return render(
        request,
        "posyandu/pregnancies.html",
        {
            "posyandu": posyandu,
            "pregnancies": current,
            "form": form,
            "can_write": access.can_write(request.user, posyandu),
        },
        status=400 if form.errors else 200,
    )


def _pregnancy_context(request: StaffRequest, pregnancy: Pregnancy) -> dict[str, Any]:
    today = timezone.localdate()
    visits = list(pregnancy.visits.all())
    for number, visit in enumerate(visits, start=1):
        visit.k = number  # type: ignore[attr-defined]
        visit.risks = immunisation.visit_risks(visit)  # type: ignore[attr-defined]
    start = pregnancy.lmp or pregnancy.edd - dt.timedelta(days=actions.PREGNANCY_DAYS)
    return {
        "pregnancy": pregnancy,
        "visits": visits,
        "risks": immunisation.pregnancy_risks(pregnancy, visits, today),
        "weeks": (today - start).days // 7,
        "can_write": access.can_write(request.user, pregnancy.posyandu),
        "form": VisitForm(),
        "end_form": EndPregnancyForm(),
    }


def pregnancy_detail(request: StaffRequest, pregnancy_id: int) -> HttpResponse:
    pregnancy = access.get_pregnancy_for_user(request.user, pregnancy_id)
    return render(request, "posyandu/pregnancy.html", _pregnancy_context(request, pregnancy))


@require_POST
def pregnancy_visit(request: StaffRequest, pregnancy_id: int) -> HttpResponse:
    pregnancy = access.get_pregnancy_for_user(request.user, pregnancy_id, write=True)
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            actions.record_visit(pregnancy, form.cleaned_data, user=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("posyandu:pregnancy", pregnancy_id=pregnancy.pk)
    context = _pregnancy_context(request, pregnancy)
    context["form"] = form
    return render(request, "posyandu/pregnancy.html", context, status=400)


@require_POST
def pregnancy_end(request: StaffRequest, pregnancy_id: int) -> HttpResponse:
    pregnancy = access.get_pregnancy_for_user(request.user, pregnancy_id, write=True)
    form = EndPregnancyForm(request.POST)
    if form.is_valid():
        try:
            actions.end_pregnancy(
                pregnancy, form.cleaned_data["ended_on"], user=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("posyandu:pregnancies", posyandu_id=pregnancy.posyandu_id)
    context = _pregnancy_context(request, pregnancy)
    context["end_form"] = form
    return render(request, "posyandu/pregnancy.html", context, status=400)


# Alerts for the puskesmas -------------------------------------------------------
