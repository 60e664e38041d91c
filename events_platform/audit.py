"""The audit log of organiser actions, written by the services that perform them."""

from django.db import models

from .models import AuditEntry, Organisation


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
