from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kotacerdas.core.inputs import is_digits

# Django 6.1's own Indonesian catalogue lacks its new empty-choice label; ours
# carries the translation (makemessages finds it here).
gettext_noop("- Select an option -")


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy(
            "The username or password is wrong. After several wrong tries the account "
            "is locked for a while."
        ),
        "inactive": gettext_lazy("This account has been switched off."),
    }


class OTPForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not is_digits(code):
            raise ValidationError(_("The code is six digits."))
        if not self.device.verify_token(code):
            raise ValidationError(_("This code is wrong or has expired. Try the newest code."))
        return code
