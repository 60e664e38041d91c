"""The audit log of organiser actions, written by the services that perform them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Organisation

#: What each action code means, as the organiser's audit log shows it. Apps above the core
#: add theirs with `register_action_labels` in their AppConfig.ready(); a test scans the code
#: for every action written and requires its label here.
ACTION_LABELS: dict[str, str] = {
    "admin_added": _("Added in the back office"),
    "admin_changed": _("Changed in the back office"),
    "admin_deleted": _("Deleted in the back office"),
    "announcement_sent": _("Announcement sent"),
    "announcement_started": _("Announcement started"),
    "announcement_test_sent": _("Test of an announcement sent"),
    "attendance_exported": _("Attendance exported"),
    "booking_approved": _("Stand booking approved"),
    "booking_cancelled": _("Stand booking cancelled"),
    "booking_rejected": _("Stand booking rejected"),
    "company_verified": _("Company verified"),
    "data_link": _("Link to a person's data sent"),
    "data_export": _("Copy of a person's data made"),
    "data_erasure": _("A person's data erased"),
    "device_paired": _("Scanner paired"),
    "device_revoked": _("Scanner revoked"),
    "event_cancelled": _("Event cancelled"),
    "event_capacity_changed": _("Capacity changed"),
    "event_changed": _("Event changed"),
    "event_created": _("Event created"),
    "event_copied": _("Event copied to a new edition"),
    "event_published": _("Event published"),
    "exhibitors_invited": _("Last edition's exhibitors invited"),
    "hall_background_remove": _("Floor plan background removed"),
    "hall_background_set": _("Floor plan background uploaded"),
    "organisation_changed": _("Organisation's details changed"),
    "registrations_exported": _("Registrations exported"),
    "series_changed": _("Series changed"),
    "series_copied": _("Series copied to a new edition"),
    "series_created": _("Series created"),
    "stand_add": _("Stand added"),
    "stand_change": _("Stand changed"),
    "stand_delete": _("Stand deleted"),
    "visitor_link_renewed": _("New link sent to a visitor"),
}


def register_action_labels(labels: dict[str, str]) -> None:
    """Add the labels of an app's own action codes (call in AppConfig.ready())."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    """The action's words for the audit log; an unknown code shows as it is."""
    return str(ACTION_LABELS.get(code, code))


def actions_matching(text: str) -> list[str]:
    """The action codes whose words (in the active language) or code contain `text`."""
    needle = text.casefold()
    return [
        code
        for code, label in ACTION_LABELS.items()
        if needle in str(label).casefold() or needle in code
    ]


def record_action(
    *,
    actor,
    organisation: Organisation | None,
    action: str,
    target: models.Model | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Write one audit entry (call it inside the service's transaction)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        details=details or {},
    )
