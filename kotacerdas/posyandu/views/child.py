"""One child: the record, weighing, growth charts, parents, immunisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.people.models import Person
from kotacerdas.posyandu import access, actions, children, immunisation
from kotacerdas.posyandu.forms import (
    DoseForm,
    MeasurementForm,
    ParentsForm,
    RemoveMeasurementForm,
)
from kotacerdas.posyandu.models import (
    Alert,
    Immunisation,
    Measurement,
    Posyandu,
    ScheduleDose,
)
from kotacerdas.posyandu.plausibility import suggested_measure
from kotacerdas.posyandu.views.common import charts, decorate, mass_text, months_old


def _child_context(request: StaffRequest, child: Person, posyandu: Posyandu) -> dict[str, Any]:
    today = timezone.localdate()
    history = [
        decorate(m)
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
        "age_months": months_old(child.birth_date, today),
        "can_write": access.can_write(request.user, posyandu),
        "dose_form": DoseForm(open_doses),
        "weighed_this_month": any(m.month == today.replace(day=1) for m in history),
    }


def child_detail(request: StaffRequest, child_id: int) -> HttpResponse:
    posyandu = access.get_child_for_user(request.user, child_id)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    return render(request, "posyandu/child.html", _child_context(request, child, posyandu))


def flagged_labels(warning: actions.NeedsConfirmation | None) -> list[str]:
    """The measures whose z-score is implausible, in words."""
    if warning is None:
        return []
    names = {
        "wfa": _("weight-for-age"),
        "lhfa": _("length/height-for-age"),
        "wflh": _("weight-for-length/height"),
        "bfa": _("BMI-for-age"),
        "hcfa": _("head circumference-for-age"),
        "acfa": _("arm circumference-for-age"),
    }
    return [names[code] for code in warning.flagged]


def _save_weighing(
    request: StaffRequest, child: Person, posyandu: Posyandu, form: MeasurementForm
) -> tuple[HttpResponse | None, MeasurementForm, actions.NeedsConfirmation | None]:
    """Save a valid weighing (the redirect), or the form again: with the
    implausible values to confirm, or with the action's error."""
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
        data = request.POST.copy()
        data["warned"] = form.values_key()
        data.pop("confirm", None)
        form = MeasurementForm(data)
        form.is_valid()
        return None, form, exc
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, form, None
    request.session["posyandu_saved"] = saved.measurement.pk
    return redirect("posyandu:weighed", child_id=child.pk), form, None


@require_http_methods(["GET", "POST"])
def weigh(request: StaffRequest, child_id: int) -> HttpResponse:
    """The quick form: weight and measures; on save z-scores, category and N/T at once."""
    posyandu = access.get_child_for_user(request.user, child_id, write=True)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    # Correcting this month's weighing starts from what is stored.
    today = timezone.localdate()
    this_month = Measurement.objects.filter(child=child, month=today.replace(day=1)).first()
    last = Measurement.objects.filter(child=child).order_by("-date", "-id").first()
    form = MeasurementForm(
        request.POST or None,
        initial=MeasurementForm.initial_from(this_month),
        measure=suggested_measure(child, last, today),
    )
    warning: actions.NeedsConfirmation | None = None
    if request.method == "POST" and form.is_valid():
        done, form, warning = _save_weighing(request, child, posyandu, form)
        if done is not None:
            return done
    return render(
        request,
        "posyandu/weigh.html",
        {
            "last": last,
            "form": form,
            "child": child,
            "posyandu": posyandu,
            "warning": warning,
            "flagged_labels": flagged_labels(warning),
            "this_month": this_month,
            "remove_form": RemoveMeasurementForm(),
            "age_months": months_old(child.birth_date, today),
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
    decorate(measurement)
    alerts = list(Alert.objects.filter(measurement=measurement, handled_at=None))
    loss = mass_text(measurement.loss_grams) if measurement.loss_grams else ""
    return render(
        request,
        "posyandu/weighed.html",
        {"child": child, "posyandu": posyandu, "m": measurement, "alerts": alerts, "loss": loss},
    )


def growth_chart(request: StaffRequest, child_id: int) -> HttpResponse:
    posyandu = access.get_child_for_user(request.user, child_id)
    child: Person = posyandu.child  # type: ignore[attr-defined]
    return render(
        request,
        "posyandu/chart.html",
        {"child": child, "posyandu": posyandu, "charts": charts(child), "staff": True},
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
