"""Back office: reminder plans per event (organisers), the outbox read-only, suppressions."""

from django.contrib import admin

from events_platform.admin import OrganisationScopedAdmin

from .models import Message, ReminderPlan, Suppression


@admin.register(ReminderPlan)
class ReminderPlanAdmin(OrganisationScopedAdmin):
    """Per event: reminder offsets ("1d", "2h" per audience) and what to bring."""

    organisation_path = "event__organisation"
    list_display = ["event", "offsets"]
    search_fields = ["event__title_de"]


@admin.register(Message)
class MessageAdmin(OrganisationScopedAdmin):
    """The outbox, read-only: what was sent, to whom, and how it went."""

    list_display = ["subject", "to_email", "purpose", "state", "attempts", "created_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["to_email", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Addresses that get no announcements (platform-wide, for platform admins)."""

    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
