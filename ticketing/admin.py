"""The organiser back office for registrations, tickets, questions and settings, scoped to
the user's organisations (events_platform.admin.OrganisationScopedAdmin)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events_platform.admin import OrganisationScopedAdmin, OrganisationScopedInline
from infra.errors import DomainError

from . import queries, secret_links, services
from .models import (
    ConsentRecord,
    ExcursionStop,
    Question,
    Registration,
    RegistrationSettings,
    Ticket,
)


class TicketInline(OrganisationScopedInline):
    model = Ticket
    organisation_path = "event__organisation"
    fields = ["serial", "kind", "headcount", "status", "issued_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ConsentInline(OrganisationScopedInline):
    model = ConsentRecord
    organisation_path = "registration__event__organisation"
    fields = ["topic", "granted", "text_version", "given_by", "given_for", "given_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(OrganisationScopedAdmin):
    """Registrations are changed through the services (cancel action); the rest is read-only
    here so capacity and tickets never drift from what the services decided."""

    organisation_path = "event__organisation"
    list_display = ["name", "email", "event", "status", "headcount", "time_slot", "created_at"]
    # RelatedOnly: the choices come from the scoped rows (a plain filter lists every event).
    list_filter = ["status", "kind", "event__kind", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "school", "event__title_de"]
    date_hierarchy = "created_at"
    list_select_related = ["event__venue", "time_slot"]
    inlines = [TicketInline, ConsentInline]
    actions = ["cancel_selected", "renew_links_selected"]
    readonly_fields = [
        field.name
        for field in Registration._meta.fields
        if field.name not in ("id", "manage_token", "guardian_token")
    ] + ["sessions"]
    exclude = ["manage_token", "guardian_token"]

    def has_add_permission(self, request, *args) -> bool:
        return False  # adding goes through the organiser page, which checks capacity

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Cancel the selected registrations"))
    def cancel_selected(self, request, queryset):
        cancelled = 0
        for registration in queryset:
            try:
                services.cancel_registration(
                    registration=registration, now=timezone.now(), by_organiser=True
                )
                cancelled += 1
            except DomainError:
                continue
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", cancelled
            )
            % {"count": cancelled},
            messages.INFO,
        )

    @admin.action(description=_("Send the selected visitors a new link"))
    def renew_links_selected(self, request, queryset):
        renewed = 0
        for registration in queryset.filter(status__in=queries.ACTIVE):
            secret_links.renew_manage_link(
                registration=registration, now=timezone.now(), by=request.user
            )
            renewed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d registration has a new link; the previous link no longer works.",
                "%(count)d registrations have a new link; the previous links no longer work.",
                renewed,
            )
            % {"count": renewed},
            messages.INFO,
        )


@admin.register(Ticket)
class TicketAdmin(OrganisationScopedAdmin):
    organisation_path = "event__organisation"
    list_display = ["serial", "event", "registration", "kind", "headcount", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["=serial", "registration__name", "registration__email"]
    readonly_fields = [
        "event",
        "registration",
        "kind",
        "status",
        "serial",
        "headcount",
        "issued_at",
        "revoked_at",
    ]
    exclude = ["secret"]

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(OrganisationScopedAdmin):
    """Per-event registration settings. Questions and excursion stops belong to the event,
    not to these settings, so they have admins of their own (an inline here would need a
    foreign key to the settings: the change page failed with a 500)."""

    organisation_path = "event__organisation"
    list_display = ["event", "offer_hours", "guardian_required_under", "allow_school_classes"]
    search_fields = ["event__title_de"]


@admin.register(ExcursionStop)
class ExcursionStopAdmin(OrganisationScopedAdmin):
    organisation_path = "event__organisation"
    list_display = ["event", "position", "school", "town", "arrives_at"]
    search_fields = ["school", "town", "event__title_de"]


@admin.register(Question)
class QuestionAdmin(OrganisationScopedAdmin):
    organisation_path = "event__organisation"
    list_display = ["label_de", "event", "kind", "required", "position"]
    list_filter = ["kind", "required"]
    search_fields = ["label_de", "label_en", "event__title_de"]
