"""The organiser's choice of how to hear of new stand requests, withdrawals and full events
(one choice per organisation they organise for)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events_platform.models import Membership

from .models import OrganiserAlertSetting
from .organiser_alerts import ORGANISER_ROLES, mode_of


class AlertSettingsForm(forms.Form):
    """One choice (at once, daily summary, none) per organiser membership."""

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        for membership in memberships:
            self.fields[f"mode_{membership.pk}"] = forms.ChoiceField(
                label=membership.organisation.name,
                choices=OrganiserAlertSetting.Mode.choices,
                initial=mode_of(membership),
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Please choose one.")},
            )


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request):
    memberships = list(
        Membership.objects.filter(user=request.user, role__in=ORGANISER_ROLES)
        .select_related("organisation", "alert_setting")
        .order_by("organisation__name")
    )
    if not memberships:
        raise Http404
    form = AlertSettingsForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        language = (get_language() or "de")[:2]
        for membership in memberships:
            OrganiserAlertSetting.objects.update_or_create(
                membership=membership,
                defaults={"mode": form.cleaned_data[f"mode_{membership.pk}"], "language": language},
            )
        messages.success(request, _("Your choice has been saved."))
        return redirect("notifications:alert-settings")
    return render(request, "notifications/alert_settings.html", {"form": form})
