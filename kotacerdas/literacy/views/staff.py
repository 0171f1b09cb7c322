"""The WiFi register for DKIS: points, their outages and their usage."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.pagination import paginate
from kotacerdas.literacy import access
from kotacerdas.literacy.actions import points as actions
from kotacerdas.literacy.forms import OutageForm, PointForm
from kotacerdas.literacy.models import ImportRun, Point, UsageHour

PER_PAGE = 50
USAGE_DAYS = 30


def point_list(request: StaffRequest) -> HttpResponse:
    access.require_wifi_staff(request.user)
    points = access.points_for_user(request.user).annotate(
        open_outages=Count("outages", filter=Q(outages__ended_at__isnull=True))
    )
    status = request.GET.get("status", "")
    if status in Point.Status.values:
        points = points.filter(status=status)
    page = paginate(
        points.select_related("kelurahan"),
        ("kelurahan_id", "name", "pk"),
        request.GET.get("page"),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "literacy/point_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Point.Status.choices,
            "may_add": access.registers_points(request.user),
            "last_import": ImportRun.objects.exclude(finished_at=None).first(),
        },
    )


def point_detail(request: StaffRequest, point_id: int) -> HttpResponse:
    point = access.get_point_for_user(request.user, point_id)
    since = timezone.now() - dt.timedelta(days=USAGE_DAYS)
    usage = UsageHour.objects.filter(point=point, hour__gte=since).aggregate(
        sessions=Sum("sessions"),
        seconds=Sum("seconds"),
        bytes_in=Sum("bytes_in"),
        bytes_out=Sum("bytes_out"),
    )
    return render(
        request,
        "literacy/point_detail.html",
        {
            "point": point,
            "outages": point.outages.all()[:50],
            "usage": usage,
            "usage_days": USAGE_DAYS,
            "minutes": (usage["seconds"] or 0) // 60,
            "may_write": access.can_write(request.user, point),
            "outage_form": OutageForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def point_add(request: StaffRequest) -> HttpResponse:
    if not access.registers_points(request.user):
        raise PermissionDenied
    form = PointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        point = actions.save_point(form.save(commit=False), actor=request.user, created=True)
        messages.success(request, _("WiFi point %(code)s added.") % {"code": point.code})
        return redirect("literacy:point", point_id=point.pk)
    return render(request, "literacy/point_form.html", {"form": form, "point": None})


@require_http_methods(["GET", "POST"])
def point_edit(request: StaffRequest, point_id: int) -> HttpResponse:
    point = access.get_point_for_user(request.user, point_id, write=True)
    form = PointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        actions.save_point(form.save(commit=False), actor=request.user, created=False)
        messages.success(request, _("WiFi point %(code)s saved.") % {"code": point.code})
        return redirect("literacy:point", point_id=point.pk)
    return render(request, "literacy/point_form.html", {"form": form, "point": point})


@require_POST
def outage_open(request: StaffRequest, point_id: int) -> HttpResponse:
    point = access.get_point_for_user(request.user, point_id, write=True)
    form = OutageForm(request.POST)
    if form.is_valid():
        actions.open_outage(
            point,
            actor=request.user,
            cause=form.cleaned_data["cause"],
            note=form.cleaned_data["note"],
            started_at=timezone.now(),
        )
        messages.success(request, _("Outage recorded."))
    else:
        messages.error(request, _("Choose the cause of the outage."))
    return redirect("literacy:point", point_id=point.pk)


@require_POST
def outage_close(request: StaffRequest, outage_id: int) -> HttpResponse:
    outage = access.get_outage_for_user(request.user, outage_id, write=True)
    form = OutageForm(request.POST)
    if outage.ended_at is not None:
        messages.info(request, _("This outage was already closed."))
    elif form.is_valid():
        actions.close_outage(
            outage,
            actor=request.user,
            cause=form.cleaned_data["cause"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Outage closed: the point is working again."))
    else:
        messages.error(request, _("Choose the cause of the outage."))
    return redirect("literacy:point", point_id=outage.point_id)
