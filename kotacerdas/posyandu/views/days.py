"""The posyandu list, posyandu day and the immunisations due."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.pagination import paginate
from kotacerdas.posyandu import access, children, immunisation
from kotacerdas.posyandu.models import (
    Measurement,
)
from kotacerdas.posyandu.views.common import decorate, months_old


def home(request: StaffRequest) -> HttpResponse:
    access.require_posyandu_staff(request.user)
    today = timezone.localdate()
    month = today.replace(day=1)
    # Paged, not cut: Dinkes sees the city's few hundred posyandu.
    page = paginate(
        access.posyandu_for_user(request.user)
        .select_related("rw__kelurahan")
        .annotate(weighed=Count("measurements", filter=Q(measurements__month=month))),
        ("rw__kelurahan__name", "name", "pk"),
        request.GET.get("page"),
        per_page=100,
    )
    open_alerts = access.alerts_for_user(request.user).filter(handled_at=None).count()
    for p in page.object_list:
        p.next_day = p.next_opening(today)
    return render(
        request,
        "posyandu/home.html",
        {
            "posyandu_list": page.object_list,
            "page": page,
            "open_alerts": open_alerts,
            "month": month,
        },
    )


def posyandu_day(request: StaffRequest, posyandu_id: int) -> HttpResponse:
    """The phone page of posyandu day: who is still to be weighed this month."""
    posyandu = access.get_posyandu_for_user(request.user, posyandu_id)
    today = timezone.localdate()
    month = today.replace(day=1)
    # Weighed this month anywhere (another posyandu of the RW, the puskesmas): one
    # weighing a month, so the child is not "to weigh" again here.
    weighed = {
        m.child_id: decorate(m)
        for m in Measurement.objects.filter(
            children.under_five_q(today, "child__"), child__rt__rw_id=posyandu.rw_id, month=month
        )
    }
    kids = list(
        children.under_five(today)
        .filter(rt__rw_id=posyandu.rw_id)
        .select_related("rt")
        .order_by("name", "pk")
    )
    due = immunisation.due_by_child(kids, posyandu.next_opening(today))
    waiting = [c for c in kids if c.pk not in weighed]
    done = [(c, weighed[c.pk]) for c in kids if c.pk in weighed]
    for c in waiting:
        c.doses_due = due.get(c.pk, [])  # type: ignore[attr-defined]
        c.age_months = months_old(c.birth_date, today)  # type: ignore[attr-defined]
    return render(
        request,
        "posyandu/day.html",
        {
            "posyandu": posyandu,
            "waiting": waiting,
            "done": done,
            "month": month,
            "can_write": access.can_write(request.user, posyandu),
            "next_day": posyandu.next_opening(today),
            "pregnancies": access.pregnancies_for_user(request.user)
            .filter(posyandu=posyandu, ended_on=None)
            .count(),
        },
    )


def immunisation_due(request: StaffRequest, posyandu_id: int) -> HttpResponse:
    posyandu = access.get_posyandu_for_user(request.user, posyandu_id)
    today = timezone.localdate()
    on = posyandu.next_opening(today)
    kids = list(
        children.under_five(today)
        .filter(rt__rw_id=posyandu.rw_id)
        .select_related("rt")
        .order_by("birth_date", "pk")
    )
    due = immunisation.due_by_child(kids, on)
    rows = [(c, due[c.pk]) for c in kids if due[c.pk]]
    totals = Counter(s.dose.label for _c, doses in rows for s in doses)
    overdue = sum(1 for _c, doses in rows for s in doses if s.status == immunisation.OVERDUE)
    return render(
        request,
        "posyandu/immunisation_due.html",
        {
            "posyandu": posyandu,
            "rows": rows,
            "on": on,
            "totals": sorted(totals.items()),
            "overdue": overdue,
        },
    )
