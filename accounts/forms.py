"""The sign-in and password-reset forms, each limited per account or address and per client."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from infra import ratelimit

from .password_reset import seal_address
from .tasks import send_password_reset_mails

LOGIN_LIMIT_PER_ACCOUNT = 5
LOGIN_LIMIT_PER_IP = 20
LOGIN_WINDOW_SECONDS = 15 * 60


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "Too many failed sign-in attempts. Please wait 15 minutes and try again."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        ip = ratelimit.client_ip(self.request) if self.request else "unknown"
        limited = ratelimit.is_limited(
            "login-account", username, limit=LOGIN_LIMIT_PER_ACCOUNT, window=LOGIN_WINDOW_SECONDS
        ) or ratelimit.is_limited(
            "login-ip", ip, limit=LOGIN_LIMIT_PER_IP, window=LOGIN_WINDOW_SECONDS
        )
        if limited:
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        try:
            return super().clean()
        except forms.ValidationError:
            ratelimit.hit(
                "login-account",
                username,
                limit=LOGIN_LIMIT_PER_ACCOUNT,
                window=LOGIN_WINDOW_SECONDS,
            )
            ratelimit.hit("login-ip", ip, limit=LOGIN_LIMIT_PER_IP, window=LOGIN_WINDOW_SECONDS)
            raise


def _limits() -> tuple[int, int, int]:
    return (
        settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
        settings.PASSWORD_RESET_LIMIT_PER_IP,
        settings.PASSWORD_RESET_WINDOW_SECONDS,
    )


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, limited per address and IP, mailing through a task."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "invalid": _("Please enter a valid e-mail address, e.g. name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "kern-form-input__input"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("email") or "").strip().lower()
        if not email:
            return cleaned
        per_email, per_ip, window = _limits()
        ip = ratelimit.client_ip(self.request) if self.request else "unknown"
        over_email = ratelimit.hit("password-reset-email", email, limit=per_email, window=window)
        over_ip = ratelimit.hit("password-reset-ip", ip, limit=per_ip, window=window)
        if over_email or over_ip:
            minutes = max(1, window // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many requests to reset a password. Please wait %(minutes)d minute "
                    "and try again.",
                    "Too many requests to reset a password. Please wait %(minutes)d minutes "
                    "and try again.",
                    minutes,
                )
                % {"minutes": minutes},
                code="rate_limited",
            )
        return cleaned

    def save(self, **kwargs):
        """Queue the lookup and the mails, the same for every address (nothing is looked up
        here, so a known address is answered as fast as an unknown one)."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        token = seal_address(self.cleaned_data["email"])
        transaction.on_commit(
            lambda: send_password_reset_mails.delay(token=token, language=language)
        )
