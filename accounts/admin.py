"""The admin's sign-in with the same limits as the site's."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from .forms import RateLimitedAuthenticationForm


class RateLimitedAdminAuthenticationForm(RateLimitedAuthenticationForm, AdminAuthenticationForm):
    """Django's admin sign-in form, limited per account and per client like the site's."""


admin.site.login_form = RateLimitedAdminAuthenticationForm
