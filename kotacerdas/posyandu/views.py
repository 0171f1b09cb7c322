from __future__ import annotations

import datetime as dt
from collections import Counter
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.pagination import paginate
from kotacerdas.growth import categories as growth_categories
from kotacerdas.messaging.access import to_citizen_sign_in
from kotacerdas.people import actions as people_actions
from kotacerdas.people.access import current_citizen, persons_citizen_may_act_for
from kotacerdas.people.models import Person
from kotacerdas.posyandu import access, actions, chart, children, immunisation, skdn
from kotacerdas.posyandu.forms import (
    AlertForm,
    DoseForm,
    EndPregnancyForm,
    MeasurementForm,
    MotherNikForm,
    ParentsForm,
    PregnancyForm,
    RemoveMeasurementForm,
    SkdnForm,
    VisitForm,
)
from kotacerdas.posyandu.models import (
    Alert,
    Immunisation,
    Measurement,
    Posyandu,
    Pregnancy,
    ScheduleDose,
)

CATEGORY_LABELS = {
    (index, c.code): c.label
    for index in ("bb_u", "pb_u", "bb_pb", "imt_u")
    for c in growth_categories(index)
}


def category_label(index: str, code: str) -> str:
    return CATEGORY_LABELS.get((index, code), "")


def _decorate(m: Measurement) -> Measurement:
    m.bb_u_label = category_label("bb_u", m.cat_bb_u)  # type: ignore[attr-defined]
    m.pb_u_label = category_label("pb_u", m.cat_pb_u)  # type: ignore[attr-defined]
    m.bb_pb_label = category_label("bb_pb", m.cat_bb_pb)  # type: ignore[attr-defined]
    return m


# Posyandu and posyandu day -----------------------------------------------------


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
        m.child_id: _decorate(m)
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
        c.age_months = _months(c.birth_date, today)  # type: ignore[attr-defined]
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


def _months(birth: dt.date, day: dt.date) -> int:
    from kotacerdas.growth import age_in_completed_months

    return age_in_completed_months(birth, day)


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


# A child ----------------------------------------------------------------------


def _child_context(request: StaffRequest, child: Person, posyandu: Posyandu) -> dict[str, Any]:
    today = timezone.localdate()
    history = [
        _decorate(m)
        for m in Measurement.objects.filter(child=child)
        .select_related("posyandu")
        .order_by("-month")
    ]
    given = list(Immunisation.objects.filter(child=child).select_related("dose"))
    doses = immunisation.schedule()
    statuses = immunisation.doses_status(child, given, doses, today)
    parents = children.parents_of(child)
    open_doses = ScheduleDose.objects.filter(active=True).exclude(pk__in=[g.dose_id for g in given])
    return {
        "child": child,
        "posyandu": posyandu,
        "history": history,
        "statuses": statuses,
        "parents": parents,
        "age_months": _months(child.birth_date, today),
        "can_write": access.can_write(request.user, posyandu),
        "dose_form": DoseForm(open_doses),
        "weighed_this_month": any(m.month == today.replace(day=1) for m in history),
    }


def child_detail(request: StaffRequest, child_id: int) -> HttpResponse:
    posyandu = access.get_child_for_user(request.user, child_id)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    return render(request, "posyandu/child.html", _child_context(request, child, posyandu))


@require_http_methods(["GET", "POST"])
def weigh(request: StaffRequest, child_id: int) -> HttpResponse:
    """The quick form: weight and measures; on save z-scores, category and N/T at once."""
    posyandu = access.get_child_for_user(request.user, child_id, write=True)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    # Correcting this month's weighing starts from what is stored: saving replaces
    # the whole month, so a blank form would erase the length, LiLA and vitamin A.
    this_month = Measurement.objects.filter(
        child=child, month=timezone.localdate().replace(day=1)
    ).first()
    initial = {}
    if this_month is not None:
        initial = {
            name: getattr(this_month, name)
            for name in (
                "date",
                "weight",
                "lenhei",
                "measure",
                "headc",
                "armc",
                "vitamin_a",
                "notes",
            )
        }
    form = MeasurementForm(request.POST or None, initial=initial)
    warning: actions.NeedsConfirmation | None = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.record_measurement(
                child,
                posyandu,
                form.cleaned_data,
                user=request.user,
                request=request,
                confirmed=form.confirmed,
            )
        except actions.NeedsConfirmation as exc:
            warning = exc
            data = request.POST.copy()
            data["warned"] = form.values_key()
            data.pop("confirm", None)
            form = MeasurementForm(data)
            form.is_valid()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session["posyandu_saved"] = saved.measurement.pk
            return redirect("posyandu:weighed", child_id=child.pk)
    flagged_labels = []
    if warning is not None:
        names = {
            "wfa": _("weight-for-age"),
            "lhfa": _("length/height-for-age"),
            "wflh": _("weight-for-length/height"),
            "bfa": _("BMI-for-age"),
            "hcfa": _("head circumference-for-age"),
            "acfa": _("arm circumference-for-age"),
        }
        flagged_labels = [names[code] for code in warning.flagged]
    last = Measurement.objects.filter(child=child).order_by("-date", "-id").first()
    return render(
        request,
        "posyandu/weigh.html",
        {
            "last": last,
            "form": form,
            "child": child,
            "posyandu": posyandu,
            "warning": warning,
            "flagged_labels": flagged_labels,
            "this_month": this_month,
            "remove_form": RemoveMeasurementForm(),
            "age_months": _months(child.birth_date, timezone.localdate()),
        },
    )


@require_POST
def remove_weighing(request: StaffRequest, child_id: int) -> HttpResponse:
    """Take back this month's weighing (recorded on the wrong child)."""
    posyandu = access.get_child_for_user(request.user, child_id, write=True)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    measurement = Measurement.objects.filter(
        child=child, month=timezone.localdate().replace(day=1)
    ).first()
    if measurement is None:
        raise Http404
    if not access.can_write(request.user, measurement.posyandu):
        raise PermissionDenied
    form = RemoveMeasurementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the weighing is removed."))
        return redirect("posyandu:weigh", child_id=child.pk)
    actions.remove_measurement(
        measurement, form.cleaned_data["reason"], user=request.user, request=request
    )
    messages.success(request, _("This month's weighing is removed."))
    return redirect("posyandu:child", child_id=child.pk)


@never_cache
def weighed(request: StaffRequest, child_id: int) -> HttpResponse:
    """What the save computed: categories, N/T, alerts; then the next child."""
    posyandu = access.get_child_for_user(request.user, child_id)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    measurement_id = request.session.get("posyandu_saved")
    measurement = (
        Measurement.objects.filter(pk=measurement_id, child=child).first()
        if measurement_id
        else None
    )
    if measurement is None:
        return redirect("posyandu:child", child_id=child.pk)
    _decorate(measurement)
    alerts = list(Alert.objects.filter(measurement=measurement))
    return render(
        request,
        "posyandu/weighed.html",
        {"child": child, "posyandu": posyandu, "m": measurement, "alerts": alerts},
    )


def _charts(child: Person) -> list[chart.Chart]:
    history = list(Measurement.objects.filter(child=child).order_by("date"))
    sex = actions.sex_code(child)
    return [chart.growth_chart("wfa", sex, history), chart.growth_chart("lhfa", sex, history)]


def growth_chart(request: StaffRequest, child_id: int) -> HttpResponse:
    posyandu = access.get_child_for_user(request.user, child_id)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    return render(
        request,
        "posyandu/chart.html",
        {"child": child, "posyandu": posyandu, "charts": _charts(child), "staff": True},
    )


@require_http_methods(["GET", "POST"])
def parents(request: StaffRequest, child_id: int) -> HttpResponse:
    posyandu = access.get_child_for_user(request.user, child_id, write=True)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    current = children.parents_of(child)
    record = getattr(child, "posyandu_record", None)
    initial = {
        "mother": current.mother,
        "father": current.father,
        "has_kia_book": record.has_kia_book if record else True,
    }
    form = ParentsForm(child, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_parents(
                child,
                mother=form.cleaned_data["mother"],
                father=form.cleaned_data["father"],
                has_kia_book=form.cleaned_data["has_kia_book"],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("posyandu:child", child_id=child.pk)
    return render(
        request, "posyandu/parents.html", {"form": form, "child": child, "posyandu": posyandu}
    )


@require_POST
def give_dose(request: StaffRequest, child_id: int) -> HttpResponse:
    posyandu = access.get_child_for_user(request.user, child_id, write=True)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    form = DoseForm(ScheduleDose.objects.filter(active=True), request.POST)
    if form.is_valid():
        try:
            actions.give_dose(
                child,
                form.cleaned_data["dose"],
                form.cleaned_data["date"],
                posyandu=posyandu,
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Immunisation recorded."))
            return redirect("posyandu:child", child_id=child.pk)
    context = _child_context(request, child, posyandu)
    context["dose_form"] = form
    return render(request, "posyandu/child.html", context, status=400)


# Pregnant women ----------------------------------------------------------------


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
    counts = dict(
        access.alerts_for_user(request.user)
        .filter(handled_at=None)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
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


# SKDN and stunting ---------------------------------------------------------------


def _skdn_figures(request: StaffRequest) -> dict[str, Any]:
    access.require_posyandu_staff(request.user)
    visible = list(
        access.posyandu_for_user(request.user)
        .filter(active=True)
        .select_related("rw__kelurahan__parent")
        .order_by("name", "pk")
    )
    kecamatan = sorted({skdn.by_kecamatan(p) for p in visible}, key=lambda a: a[1])
    kelurahan = sorted({skdn.by_kelurahan(p) for p in visible}, key=lambda a: a[1])
    city_wide = access.posyandu_for_user(request.user).count() == Posyandu.objects.count()
    everything_label = _("Kota Cirebon") if city_wide else _("All your posyandu")
    areas = [("", everything_label)]
    areas += kecamatan if len(kecamatan) > 1 else []
    areas += kelurahan if len(kelurahan) > 1 else []
    areas += [skdn.by_posyandu(p) for p in visible] if len(visible) > 1 else []
    today = timezone.localdate()
    month = today.replace(day=1)
    form = SkdnForm(areas, request.GET or None, initial={"bulan": month})
    chosen = ""
    if form.is_valid():
        month = (form.cleaned_data["bulan"] or month).replace(day=1)
        chosen = form.cleaned_data["wilayah"] or ""
    if chosen.startswith("kec-"):
        selected = [p for p in visible if skdn.by_kecamatan(p)[0] == chosen]
    elif chosen.startswith("kel-"):
        selected = [p for p in visible if skdn.by_kelurahan(p)[0] == chosen]
    elif chosen.startswith("pos-"):
        selected = [p for p in visible if skdn.by_posyandu(p)[0] == chosen]
    else:
        selected = visible
    label = dict(areas).get(chosen, everything_label)
    months = skdn.months_up_to(month, request_months())
    counts = skdn.per_posyandu(selected, months)
    total = skdn.group(selected, counts, months, skdn.everything(str(label)))
    if not chosen and len(kecamatan) > 1:
        breakdown_key = skdn.by_kecamatan
    elif not chosen.startswith(("kel-", "pos-")) and len({p.rw.kelurahan_id for p in selected}) > 1:
        breakdown_key = skdn.by_kelurahan
    else:
        breakdown_key = skdn.by_posyandu
    breakdown = skdn.group(selected, counts, [month], breakdown_key)
    by_age = skdn.by_age_and_sex(selected, month)
    stunted = _("Stunted")
    sexes = {"M": _("M (boys)"), "F": _("F (girls)")}
    age_header = [
        f"{stunted if name == 'stunted' else name} {sexes[sex]}"
        for name in skdn.BY_AGE_FIELDS
        for sex in skdn.SEXES
    ]
    age_rows = [
        (row.label, [row.counts[name][sex] for name in skdn.BY_AGE_FIELDS for sex in skdn.SEXES])
        for row in by_age
    ]
    return {
        "age_header": age_header,
        "age_rows": age_rows,
        "form": form,
        "month": month,
        "months": months,
        "label": label,
        "total": total[0]
        if total
        else skdn.Area("all", str(label), {m: skdn.Counts() for m in months}),
        "breakdown": breakdown,
        "columns": skdn.COLUMNS,
        "posyandu_count": len(selected),
    }


def request_months() -> int:
    from django.conf import settings

    return max(1, min(settings.POSYANDU_SKDN_MONTHS, 24))


def skdn_report(request: StaffRequest) -> HttpResponse:
    figures = _skdn_figures(request)
    months = figures["months"]
    rows = []
    for name, column_label, is_ratio in figures["columns"]:
        rows.append(
            (
                column_label,
                is_ratio,
                [getattr(figures["total"].months[m], name) for m in months],
            )
        )
    breakdown_rows = [
        (
            area.label,
            [getattr(area.months[figures["month"]], n) for n, _l, _r in figures["columns"]],
        )
        for area in figures["breakdown"]
    ]
    return render(
        request,
        "posyandu/skdn.html",
        {**figures, "rows": rows, "breakdown_rows": breakdown_rows},
    )


def skdn_export(request: StaffRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures = _skdn_figures(request)
    months = figures["months"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "SKDN"
    sheet.append([f"SKDN — {figures['label']}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Indicator"), *[m.strftime("%Y-%m") for m in months]])
    for name, column_label, is_ratio in figures["columns"]:
        values = [getattr(figures["total"].months[m], name) for m in months]
        sheet.append(
            [str(column_label), *[round(v, 1) if is_ratio and v is not None else v for v in values]]
        )
    detail = workbook.create_sheet(figures["month"].strftime("%Y-%m"))
    detail.append([_("Area"), *[str(label) for _n, label, _r in figures["columns"]]])
    for area in figures["breakdown"]:
        counts = area.months[figures["month"]]
        values = [getattr(counts, n) for n, _l, _r in figures["columns"]]
        detail.append([area.label, *[round(v, 1) if isinstance(v, float) else v for v in values]])
    ages = workbook.create_sheet(_("Age and sex"))
    ages.append([_("Age (months)"), *figures["age_header"]])
    for label, values in figures["age_rows"]:
        ages.append([label, *values])
    for ws in (sheet, detail, ages):
        ws.column_dimensions["A"].width = 36
    out = BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="skdn-{figures["month"]:%Y-%m}.xlsx"'
    return response


def stunting(request: StaffRequest) -> HttpResponse:
    """Stunting and wasting by kelurahan, from each child's latest measurement."""
    access.require_posyandu_staff(request.user)
    today = timezone.localdate()
    rows = (
        access.measurements_for_user(request.user)
        .filter(children.under_five_q(today, "child__"), latest=True)
        .values("child__rt__rw__kelurahan_id", "child__rt__rw__kelurahan__name")
        .annotate(
            measured=Count("id"),
            measured_length=Count("id", filter=Q(cat_pb_u__gt="")),
            measured_wflh=Count("id", filter=Q(cat_bb_pb__gt="")),
            stunted=Count("id", filter=Q(cat_pb_u__in=skdn.STUNTED)),
            severely_stunted=Count("id", filter=Q(cat_pb_u="severely_stunted")),
            wasted=Count("id", filter=Q(cat_bb_pb__in=skdn.WASTED)),
            severely_wasted=Count("id", filter=Q(cat_bb_pb="severely_wasted")),
            underweight=Count("id", filter=Q(cat_bb_u__in=("underweight", "severely_underweight"))),
        )
        .order_by("child__rt__rw__kelurahan__name")
    )
    table = []
    total = Counter[str]()
    for row in rows:
        for key in (
            "measured",
            "measured_length",
            "measured_wflh",
            "stunted",
            "severely_stunted",
            "wasted",
            "severely_wasted",
            "underweight",
        ):
            total[key] += row[key]
        table.append(_with_rates(dict(row)))
    return render(
        request,
        "posyandu/stunting.html",
        {"rows": table, "total": _with_rates(dict(total)) if table else None, "today": today},
    )


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    def pct(n: int, d: int) -> float | None:
        return 100.0 * n / d if d else None

    return {
        **row,
        "stunted_pct": pct(row["stunted"], row["measured_length"]),
        "wasted_pct": pct(row["wasted"], row["measured_wflh"]),
        "underweight_pct": pct(row["underweight"], row["measured"]),
    }


# Mothers ----------------------------------------------------------------------------


def _mothers(request: HttpRequest) -> list[Person]:
    """The signed-in citizen herself, once her account is linked with her NIK (the
    phone alone proves nothing: a recycled or mistyped number must not show
    another's children), if she is a living woman in the register."""
    citizen = current_citizen(request)
    if citizen is None or citizen.person_id is None:
        return []
    return list(persons_citizen_may_act_for(citizen).filter(pk=citizen.person_id, sex="F"))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_children(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return to_citizen_sign_in(request)
    form = None
    status = 200
    if citizen.person_id is None:
        form = MotherNikForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    people_actions.link_citizen(citizen, form.cleaned_data["nik"], request=request)
                except ValidationError as exc:
                    form.add_error("nik", exc)
                else:
                    messages.success(request, _("Thank you. Your children are shown below."))
                    return redirect("posyandu:mine")
    kids: list[Person] = []
    for mother in _mothers(request):
        kids += children.mothers_children(mother)
    return render(request, "posyandu/mine.html", {"kids": kids, "form": form}, status=status)


@login_not_required
@never_cache
def my_child_chart(request: HttpRequest, child_id: int) -> HttpResponse:
    if current_citizen(request) is None:
        return to_citizen_sign_in(request)
    child = None
    for mother in _mothers(request):
        child = next((c for c in children.mothers_children(mother) if c.pk == child_id), None)
        if child:
            break
    if child is None:
        raise Http404
    history = [_decorate(m) for m in Measurement.objects.filter(child=child).order_by("-month")]
    return render(
        request,
        "posyandu/chart.html",
        {"child": child, "charts": _charts(child), "staff": False, "history": history},
    )
