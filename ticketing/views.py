"""Visitor pages: register, the ticket and its self-service, the guardian's confirmation."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events_platform.errors import DomainError

from . import services
from .forms import GuardianConsentForm
from .models import Registration


@require_http_methods(["GET", "POST"])
def guardian_confirm(request, token):
    """A parent or guardian confirms a minor's camp place (link from the e-mail)."""
    registration = Registration.objects.filter(guardian_token=token).first() if token else None
    form = GuardianConsentForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.confirm_guardian_consent(
                token=token,
                photo_consent=form.cleaned_data["photo_consent"],
                guardian_name=form.cleaned_data["guardian_name"],
                now=timezone.now(),
            )
            done = True
            messages.success(request, _("Thank you. The place is confirmed."))
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "ticketing/guardian_confirm.html",
        {"registration": registration, "form": form, "done": done},
        status=200 if registration else 404,
    )
