"""Workspace pages for an organisation's administrators: the audit log of their
organisations and the organisation's own settings (instead of the Django admin)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from events_platform import access, audit, services
from events_platform.models import AuditEntry, Membership, Organisation

AUDIT_ENTRIES_PER_PAGE = 50


def administered(user):
    """The organisations the user administers (organiser admin): only they read the audit
    log and change the settings, as in the admin."""
    return access.organisations_for(user, roles=[Membership.Role.ORGANISER_ADMIN])


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), max_length=100, required=False)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("All organisations"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations.count() < 2:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations


def _https_by_default(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_by_default
        model = Organisation
        fields = list(services.ORGANISATION_SETTINGS)
        widgets = {"website": forms.URLInput(attrs={"inputmode": "url"})}

    visitor_data_retention_days = forms.IntegerField(
        label=gettext_lazy("Retention of visitor data (days after the event)"),
        min_value=1,
        max_value=3650,
        help_text=gettext_lazy(
            "After this many days, the names and addresses of the event's visitors are deleted."
        ),
    )


@login_required
@require_GET
def audit_log(request):
    """Who did what to which object, newest first, in the organisations the user
    administers: search the action and the object, filter by organisation."""
    organisations = administered(request.user)
    if not organisations.exists():
        raise Http404
    form = AuditFilterForm(request.GET or None, organisations=organisations)
    entries = AuditEntry.objects.filter(organisation__in=organisations).select_related(
        "actor", "organisation"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            text = data["q"].strip()
            entries = entries.filter(
                Q(action__icontains=text)
                | Q(action__in=audit.actions_matching(text))
                | Q(target_repr__icontains=text)
                | Q(actor__username__icontains=text)
            )
        if data.get("organisation"):
            entries = entries.filter(organisation=data["organisation"])
    page = Paginator(entries.order_by("-created_at", "-pk"), AUDIT_ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for entry in page.object_list:
        entry.label = audit.action_label(entry.action)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/audit_log.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "several": "organisation" in form.fields,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request, pk: int):
    """Change the organisation's name, district, website, contact e-mail and how long its
    visitors' data is kept (audited)."""
    organisation = get_object_or_404(administered(request.user), pk=pk)
    form = OrganisationSettingsForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.ORGANISATION_SETTINGS}
        # The form wrote the values onto the instance while validating: start again from
        # the stored row, so the service sees (and audits) what really changes.
        services.update_organisation(
            organisation=Organisation.objects.get(pk=organisation.pk),
            by=request.user,
            now=timezone.now(),
            **fields,
        )
        messages.success(request, _("The settings of the organisation have been saved."))
        return redirect("workspace:organisation-settings", pk=organisation.pk)
    return render(
        request,
        "workspace/organisation_settings.html",
        {
            "organisation": Organisation.objects.get(pk=organisation.pk),
            "form": form,
            "others": administered(request.user).exclude(pk=organisation.pk),
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("protokoll/", audit_log, name="audit-log"),
    path("organisation/<int:pk>/", organisation_settings, name="organisation-settings"),
]
