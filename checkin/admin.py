"""Check-in in the organiser back office: entrances, staff assignments, devices, scans."""

from django.contrib import admin

from checkin.models import Assignment, CheckinList, Device, Entrance, Scan, WalkIn
from events_platform.admin import OrganisationScopedAdmin


class EventScopedAdmin(OrganisationScopedAdmin):
    organisation_path = "event__organisation"


class ListScopedAdmin(OrganisationScopedAdmin):
    organisation_path = "checkin_list__event__organisation"


@admin.register(Entrance)
class EntranceAdmin(EventScopedAdmin):
    list_display = ["name", "event"]
    search_fields = ["name", "event__title_de"]


@admin.register(CheckinList)
class CheckinListAdmin(EventScopedAdmin):
    list_display = ["name", "event", "day", "opens_at", "closes_at"]


@admin.register(Assignment)
class AssignmentAdmin(EventScopedAdmin):
    list_display = ["user", "event", "created_at"]
    raw_id_fields = ["user"]


@admin.register(Device)
class DeviceAdmin(EventScopedAdmin):
    list_display = ["name", "event", "entrance", "paired_at", "last_seen_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["paired_by", "paired_at", "last_seen_at"]
    exclude = ["token_hash"]


@admin.register(Scan)
class ScanAdmin(ListScopedAdmin):
    list_display = ["scanned_at", "direction", "ticket", "staff_pass", "device", "conflict"]
    list_filter = ["direction", "conflict", "offline", "manual"]
    raw_id_fields = ["ticket", "staff_pass"]

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WalkIn)
class WalkInAdmin(ListScopedAdmin):
    list_display = ["counted_at", "checkin_list", "persons", "postcode", "interest"]
