from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in and password reset for organisers, door staff and company users."""

    name = "accounts"
    verbose_name = _("Accounts")
