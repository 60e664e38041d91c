"""Sign-in with limits per account and per address, against password guessing."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import ratelimit
from .extensions import start_pages

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


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm

    def get_default_redirect_url(self):
        """Each role's own start page; a safe `next` still wins (Django checks it first)."""
        return start_pages.for_user(self.request.user) or super().get_default_redirect_url()
