from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kotacerdas.accounts.access import StaffRequest, memberships
from kotacerdas.audit.actions import record
from kotacerdas.core.redirects import safe_next
from kotacerdas.web.discovery import home_entries_for, work_for
from kotacerdas.web.forms import OTPForm, SignInForm
from kotacerdas.web.health import check_health


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"services": home_entries_for(request.user)})


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record("user.sign_in", request=self.request)
        return response


sign_in = login_not_required(SignInView.as_view())


@require_http_methods(["POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    record("user.sign_out", request=request)
    return auth_views.LogoutView.as_view()(request)


@login_not_required
def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this once an account has failed to sign in too often."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "web/locked_out.html", {"minutes": minutes}, status=429)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the 6-digit code; the first time, show the QR code to enrol."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = OTPForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record("user.second_factor_enrolled", request=request)
        otp_login(request, device)
        return redirect(safe_next(request, request.GET.get("next")) or "web:my-work")
    context: dict[str, Any] = {"form": form, "enrolling": not device.confirmed}
    if not device.confirmed:
        # segno writes the SVG itself from the device's key; nothing user-supplied in it.
        context["qr"] = mark_safe(segno.make(device.config_url, micro=False).svg_inline(scale=4))  # noqa: S308
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "web/second_factor.html", context)


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    health = check_health()
    return JsonResponse(
        {"ok": health.ok, "database": health.database, "worker": health.worker},
        status=200 if health.ok else 503,
    )


@login_not_required
@require_GET
def hello_world(request: HttpRequest) -> HttpResponse:
    """The smallest page, through the full middleware: `make bench`'s baseline.

    Every throughput figure is printed beside this page's rate on the same server
    settings in the same run, so a noisy shared machine shows as a ratio, not a miss.
    """
    return HttpResponse("Halo", content_type="text/plain; charset=utf-8")


@login_required
def my_account(request: StaffRequest) -> HttpResponse:
    return render(request, "web/my_account.html", {"memberships": memberships(request.user)})


@login_required
def my_work(request: StaffRequest) -> HttpResponse:
    """What waits for this member, per service, with counts and links (staff land here)."""
    context = {"work": work_for(request.user), "memberships": memberships(request.user)}
    return render(request, "web/my_work.html", context)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: whatever broke (the database, a context processor)
    # must not break the error page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
