"""Alerts for the puskesmas, SKDN and stunting."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.excel import xlsx_response
from kotacerdas.core.pagination import paginate
from kotacerdas.core.replica import stale_ok
from kotacerdas.posyandu import access, actions, skdn
from kotacerdas.posyandu.forms import (
    AlertForm,
    SkdnForm,
)
from kotacerdas.posyandu.models import (
    Alert,
)
from kotacerdas.posyandu.workbooks import skdn_workbook


def alert_list(request: StaffRequest) -> HttpResponse:
    access.require_posyandu_staff(request.user)
    show_all = request.GET.get("semua") == "1"
    alerts = access.alerts_for_user(request.user)
    if not show_all:
        alerts = alerts.filter(handled_at=None)
    page = paginate(
        alerts.select_related("measurement__child", "posyandu__rw__kelurahan"),
        ("-created_at", "-id"),
        request.GET.get("page"),
        per_page=50,
    )
    # One alert per visit carries several reasons: count the alerts with each reason.
    counts = (
        access.alerts_for_user(request.user)
        .filter(handled_at=None)
        .aggregate(
            **{kind: Count("id", filter=Q(reasons__contains=kind)) for kind in Alert.Kind.values}
        )
    )
    summary = [(label, counts.get(kind, 0)) for kind, label in Alert.Kind.choices]
    return render(
        request,
        "posyandu/alerts.html",
        {"page": page, "show_all": show_all, "summary": summary, "form": AlertForm()},
    )


@require_POST
def alert_handle(request: StaffRequest, alert_id: int) -> HttpResponse:
    alert = access.get_alert_for_user(request.user, alert_id, write=True)
    form = AlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what was done before marking the alert handled."))
    elif alert.handled_at is None:
        actions.handle_alert(alert, form.cleaned_data["note"], user=request.user, request=request)
        messages.success(request, _("Alert marked as handled."))
    return redirect("posyandu:alerts")


def _skdn_choice(request: StaffRequest) -> tuple[skdn.Choices, SkdnForm, dt.date, str]:
    access.require_posyandu_staff(request.user)
    choices = skdn.choices_for(request.user)
    month = timezone.localdate().replace(day=1)
    form = SkdnForm(choices.areas, request.GET or None, initial={"bulan": month})
    chosen = ""
    if form.is_valid():
        month = (form.cleaned_data["bulan"] or month).replace(day=1)
        chosen = form.cleaned_data["wilayah"] or ""
    return choices, form, month, chosen


def _skdn_figures(request: StaffRequest) -> dict[str, Any]:
    choices, form, month, chosen = _skdn_choice(request)
    return {"form": form, **skdn.report(request.user, month, chosen, choices)}


def _skdn_cache_key(request: StaffRequest) -> str:
    """Everything the tables depend on: the posyandu the user sees, what was asked, the day."""
    visible = access.posyandu_for_user(request.user).filter(active=True).order_by("pk")
    seen = ",".join(str(pk) for pk in visible.values_list("pk", flat=True))
    asked = f"{request.GET.urlencode()}|{get_language()}|{timezone.localdate()}"
    digest = hashlib.sha256(f"{seen}|{asked}|{skdn.request_months()}".encode()).hexdigest()
    return f"posyandu:skdn:{digest}"


@stale_ok()
def skdn_report(request: StaffRequest) -> HttpResponse:
    """The SKDN page. Its form and tables are figures of an area, nothing about a
    person, so the rendered body is kept in the shared cache for
    POSYANDU_SKDN_CACHE_SECONDS under a key of the posyandu the user sees and
    what was asked: the city's twelve months cost 80 ms to count and render, and
    the areas to choose from 8 ms more."""
    access.require_posyandu_staff(request.user)
    key = _skdn_cache_key(request)
    if (cached := cache.get(key)) is None:
        choices, form, month, chosen = _skdn_choice(request)
        figures = {"form": form, **skdn.report(request.user, month, chosen, choices)}
        body = render_to_string("posyandu/_skdn_body.html", _skdn_tables(figures), request)
        cached = (str(figures["label"]), body)
        cache.set(key, cached, settings.POSYANDU_SKDN_CACHE_SECONDS)
    label, body = cached
    context = {"label": label, "body": mark_safe(body)}  # noqa: S308 (rendered above, escaped)
    return render(request, "posyandu/skdn.html", context)


def _skdn_tables(figures: dict[str, Any]) -> dict[str, Any]:
    # Newest first: on a phone the table scrolls right, and the month a cadre
    # reports on must be the one in view. The workbook keeps oldest → newest,
    # left to right, as a spreadsheet's trend reads (workbooks.skdn_workbook).
    months = list(reversed(figures["months"]))
    rows = [
        (column_label, is_ratio, [getattr(figures["total"].months[m], name) for m in months])
        for name, column_label, is_ratio in figures["columns"]
    ]
    breakdown_rows = [
        (
            area.label,
            [getattr(area.months[figures["month"]], n) for n, _l, _r in figures["columns"]],
        )
        for area in figures["breakdown"]
    ]
    return {**figures, "months": months, "rows": rows, "breakdown_rows": breakdown_rows}


@stale_ok()
def skdn_export(request: StaffRequest) -> HttpResponse:
    figures = _skdn_figures(request)
    return xlsx_response(skdn_workbook(figures), f"skdn-{figures['month']:%Y-%m}.xlsx")


@stale_ok()
def stunting(request: StaffRequest) -> HttpResponse:
    """Stunting and wasting by kelurahan, from each child's latest measurement."""
    access.require_posyandu_staff(request.user)
    today = timezone.localdate()
    rows, total = skdn.stunting_by_kelurahan(access.measurements_for_user(request.user), today)
    return render(request, "posyandu/stunting.html", {"rows": rows, "total": total, "today": today})
