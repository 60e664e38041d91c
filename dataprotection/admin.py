"""Back office for data-subject requests: organisation administrators export or erase the
data of one person (by e-mail) within their own organisation's events, and see the log."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dataprotection import results, subject_requests
from events_platform import access
from events_platform.models import DataRequest, Membership


def _administered(user) -> QuerySet:
    return access.organisations_for(user, roles=[Membership.Role.ORGANISER_ADMIN])


class DataRequestRunForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the person"))
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=None, empty_label=None
    )
    action = forms.ChoiceField(
        label=gettext_lazy("What to do"),
        choices=[
            ("export", gettext_lazy("Export: download a copy of the data (JSON)")),
            ("erase", gettext_lazy("Erase: anonymise the data, keep the counts")),
        ],
        widget=forms.RadioSelect,
    )
    identity_checked = forms.BooleanField(
        label=gettext_lazy(
            "I have checked that the request comes from this person (or their guardian)."
        ),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _administered(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "erase" and not cleaned.get("identity_checked"):
            self.add_error(
                "identity_checked", _("Please confirm that you checked who asks for the erasure.")
            )
        return cleaned


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """The log of data-subject requests, read-only, and the page to run one."""

    list_display = ["created_at", "kind", "channel", "organisation", "requested_by", "summary"]
    list_filter = ["kind", "channel"]
    date_hierarchy = "created_at"
    change_list_template = "admin/events_platform/datarequest/change_list.html"

    @admin.display(description=gettext_lazy("Result"))
    def summary(self, obj: DataRequest):
        """The result in words, one phrase a line, so the column stays narrow."""
        shown = results.phrases(obj.result, kind=obj.kind)
        if not shown:
            return _("Nothing found")
        return format_html_join("", "<div>{}</div>", ((phrase,) for phrase in shown))

    def get_queryset(self, request) -> QuerySet:
        return DataRequest.objects.filter(
            organisation__in=_administered(request.user)
        ).select_related("organisation", "requested_by")

    def has_module_permission(self, request) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and _administered(request.user).exists()
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        run = path(
            "run/",
            self.admin_site.admin_view(self.run_view),
            name="events_platform_datarequest_run",
        )
        return [run, *super().get_urls()]

    def run_view(self, request):
        """Export or erase one person's data within an organisation the user administers."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        form = DataRequestRunForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            organisation = form.cleaned_data["organisation"]
            now = timezone.now()
            if form.cleaned_data["action"] == "export":
                copy = subject_requests.export_subject_data(
                    email=email, now=now, by=request.user, organisations=[organisation]
                )
                response = HttpResponse(
                    json.dumps(copy.as_json(), ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = 'attachment; filename="daten-auskunft.json"'
                response["Cache-Control"] = "no-store"
                return response
            counts = subject_requests.erase_subject_data(
                email=email, now=now, by=request.user, organisations=[organisation]
            )
            self.message_user(
                request,
                _("The data was erased (%(summary)s).")
                % {"summary": results.summary(counts, kind=DataRequest.Kind.ERASURE)},
            )
            return redirect("admin:events_platform_datarequest_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Run a data request"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/events_platform/datarequest/run.html", context)
