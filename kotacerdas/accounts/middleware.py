from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kotacerdas.accounts.access import needs_second_factor

# Paths a signed-in user may reach before entering the second factor.
OPEN_PATHS = ("/masuk/", "/keluar/", "/kode/", "/i18n/", "/static/", "/healthz")


class SecondFactorMiddleware:
    """Members whose roles reach sensitive data must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]  # set by OTPMiddleware
            and not request.path.startswith(OPEN_PATHS)
            and needs_second_factor(user)
        ):
            return redirect(f"{reverse('web:second-factor')}?next={request.path}")
        return self.get_response(request)
