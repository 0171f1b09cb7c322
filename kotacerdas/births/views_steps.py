"""The birth report, one step a page (``births.steps``): the baby, the mother,
the father, the family card, the reporter and witnesses; each step saves the
draft and goes on to the next; the last one is the report's page (documents,
review, sending). Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kotacerdas.accounts.models import Unit
from kotacerdas.births import access, actions, steps
from kotacerdas.births.forms import DeclarationForm
from kotacerdas.births.models import Declaration
from kotacerdas.births.views import _declaring_unit, _late_after, _load, _to_sign_in
from kotacerdas.people.access import current_citizen
from kotacerdas.people.models import Citizen


def _after(request: HttpRequest, declaration: Declaration, step: steps.Step) -> HttpResponse:
    """On to the next step, or to the report's page after the last one."""
    following = steps.next_step(step)
    if following is None:
        messages.success(request, _("Saved as a draft. Now add the documents and send the report."))
        return redirect("births:detail", declaration_id=declaration.pk)
    return redirect("births:step", declaration_id=declaration.pk, step=following.slug)


def _render(
    request: HttpRequest, form: DeclarationForm, declaration: Declaration | None, step: steps.Step
) -> HttpResponse:
    context = {
        "form": form,
        "declaration": declaration,
        "step": step,
        "steps": steps.step_list(declaration, step),
        "last": steps.next_step(step) is None,
        "late_after": _late_after(),
    }
    return render(request, "births/declaration_form.html", context)


def _who(request: HttpRequest) -> tuple[Unit | None, Citizen | None]:
    """Staff who declare (their unit), or the signed-in parent; 403 for other staff."""
    if request.user.is_authenticated and access.may_declare(request.user):
        return _declaring_unit(request), None
    citizen = current_citizen(request)
    if citizen is None and request.user.is_authenticated:
        raise PermissionDenied
    return None, citizen


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def new_declaration(request: HttpRequest) -> HttpResponse:
    """The first step: the baby. Saving it makes the draft."""
    unit, citizen = _who(request)
    if unit is None and citizen is None:
        messages.info(request, _("Sign in with your mobile number first to report a birth."))
        return _to_sign_in(request)
    form = steps.step_form(
        steps.FIRST,
        request.POST or None,
        None,
        as_parent=citizen is not None,
        partial=unit is not None and unit.kind in access.FACILITY_KINDS,
        for_citizen=citizen is not None,
    )
    user = None if citizen else request.user
    if request.method == "POST" and form.is_valid():
        try:
            declaration = actions.save_declaration(
                form,
                request=request,
                user=user,  # type: ignore[arg-type]
                unit=unit,
                citizen=citizen,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _after(request, declaration, steps.FIRST)
    return _render(request, form, None, steps.FIRST)


@login_not_required
@never_cache
def edit_declaration(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """Changing the data starts at the first step."""
    declaration, _citizen = _load(request, declaration_id, write=True)
    return redirect("births:step", declaration_id=declaration.pk, step=steps.FIRST.slug)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def declaration_step(request: HttpRequest, declaration_id: int, step: str) -> HttpResponse:
    if step not in steps.BY_SLUG:
        raise Http404
    declaration, citizen = _load(request, declaration_id, write=True)
    if not declaration.is_editable:
        messages.error(request, _("This report has been sent and can no longer be changed."))
        return redirect("births:detail", declaration_id=declaration.pk)
    current = steps.BY_SLUG[step]
    form = steps.step_form(
        current,
        request.POST or None,
        declaration,
        as_parent=declaration.channel == "parent",
        partial=citizen is None and declaration.channel == "facility",
        for_citizen=citizen is not None,
    )
    if citizen is not None:
        # The parent's number is how the parent reaches the report: not theirs to change here.
        form.fields.pop("parent_phone", None)
    if request.method == "POST" and citizen is None:
        _check_place(request, form, declaration)
    if request.method == "POST" and form.is_valid():
        actions.save_declaration(form, request=request, citizen=citizen)
        return _after(request, declaration, current)
    return _render(request, form, declaration, current)


def _check_place(
    request: HttpRequest, form: DeclarationForm, declaration: Declaration | None
) -> None:
    """An operator declares (and moves a report) only for families of their own area."""
    if (
        form.is_valid()
        and form.rt is not None
        and not access.may_place(request.user, declaration, form.rt)
    ):
        form.add_error(
            "kk_number",
            _(
                "This family lives outside your area: the kelurahan or RW where it lives reports it."
            ),
        )
