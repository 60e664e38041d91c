"""Password reset for organisers, check-in staff and company users (Django's views).

- The answer never says whether an account exists: the same page follows every request.
- Requests are limited per e-mail address and per client address (events_platform.ratelimit);
  every request counts, for known and unknown addresses alike.
- The request only queues a Celery task with the (encrypted) address, after commit; the task
  looks the accounts up and sends. The request does the same work for an unknown address as
  for a known one, so its answer time does not tell who has an account. It does not go through the
  notifications outbox: the outbox keeps every message body in the database, and a reset
  link is a credential that must not be stored (core also never imports notifications).
  The task builds the link itself from the user's id (the token never passes the broker).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import ratelimit, secret_box
from .mail import ascii_address


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
        from .tasks import send_password_reset_mails

        language = translation.get_language() or settings.LANGUAGE_CODE
        token = seal_address(self.cleaned_data["email"])
        transaction.on_commit(
            lambda: send_password_reset_mails.delay(token=token, language=language)
        )


ADDRESS_PURPOSE = "password-reset-address"


def seal_address(email: str) -> str:
    """The address as it passes the broker: encrypted (events_platform.secret_box)."""
    return secret_box.seal(ADDRESS_PURPOSE, email.encode(), now=timezone.now())


def send_reset_mails(*, token: str, language: str) -> int:
    """Mail every active account with the sealed address its link; returns how many."""
    try:
        email = secret_box.open_token(
            ADDRESS_PURPOSE, token, now=timezone.now(), ttl_seconds=settings.PASSWORD_RESET_TIMEOUT
        ).decode()
    except (secret_box.InvalidToken, ValueError):
        return 0
    users = list(PasswordResetForm().get_users(email))
    return sum(send_reset_mail(user_id=user.pk, language=language) for user in users)


def reset_link(user, *, language: str) -> str:
    """The absolute link that lets `user` choose a new password (valid for a few days)."""
    with translation.override(language):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return f"{settings.SITE_URL}{path}"


def send_reset_mail(*, user_id: int, language: str) -> bool:
    """Mail the reset link to the user; False when the account is gone or cannot sign in."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    with translation.override(language):
        context = {
            "user": user,
            "link": reset_link(user, language=language),
            "site_url": settings.SITE_URL,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = render_to_string("registration/password_reset_subject.txt", context)
        body = render_to_string("registration/password_reset_email.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()), body=body, to=[ascii_address(user.email)]
    ).send()
    return True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = RateLimitedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        form.save()
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "kern-form-input__input"
        return form
