"""Mothers, signed in with their phone, see their children's growth."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kotacerdas.messaging.access import to_citizen_sign_in
from kotacerdas.people import actions as people_actions
from kotacerdas.people.access import current_citizen, persons_citizen_may_act_for
from kotacerdas.people.models import Person
from kotacerdas.posyandu import children
from kotacerdas.posyandu.forms import (
    MotherNikForm,
)
from kotacerdas.posyandu.models import (
    Measurement,
)
from kotacerdas.posyandu.views.common import charts, decorate


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
    history = [decorate(m) for m in Measurement.objects.filter(child=child).order_by("-month")]
    return render(
        request,
        "posyandu/chart.html",
        {"child": child, "charts": charts(child), "staff": False, "history": history},
    )
