"""Password reset for organisers, check-in staff and company users (Django's views).

- The answer never says whether an account exists: the same page follows every request.
- Requests are limited per e-mail address and per client address (infra.ratelimit);
  every request counts, for known and unknown addresses alike.
- The request only queues a Celery task with the (encrypted) address, after commit; the task
  looks the accounts up and sends. The request does the same work for an unknown address as
  for a known one, so its answer time does not tell who has an account. It does not go through the
  notifications outbox: the outbox keeps every message body in the database, and a reset
  link is a credential that must not be stored (core also never imports notifications).
  The task builds the link itself from the user's id (the token never passes the broker).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from infra import secret_box
from infra.mail import ascii_address

ADDRESS_PURPOSE = "password-reset-address"


def seal_address(email: str) -> str:
    """The address as it passes the broker: encrypted (infra.secret_box)."""
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
