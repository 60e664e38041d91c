"""Sign-in with limits per account and per address, and the password reset (Django's views
with the forms of accounts/forms.py)."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from events_platform.extensions import start_pages

from .forms import RateLimitedAuthenticationForm, RateLimitedPasswordResetForm


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm

    def get_default_redirect_url(self):
        """Each role's own start page; a safe `next` still wins (Django checks it first)."""
        return start_pages.for_user(self.request.user) or super().get_default_redirect_url()


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
