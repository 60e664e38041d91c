"""Domain signals of the event's lifecycle. The core sends them inside its service's
transaction (events_platform/services.py); the apps built on the core connect their
receivers in AppConfig.ready() and do their part in that same transaction, so the core never
imports them. A receiver that refuses raises DomainError, which rolls the whole change back.

Every signal is sent with `sender` = Event and the keyword arguments named below.
"""

from django.dispatch import Signal

# kwargs: event (locked, its status already CANCELLED), by (the user acting), now (aware
# datetime), reason (str, may be empty). A receiver returns a dict of counts whose keys are
# fields of events_platform.services.CancelResult (for example {"tickets_revoked": 12}),
# or None.
event_cancelled = Signal()
# kwargs: event (locked, with its new capacity saved), previous (int | None, the capacity
# before; None means no limit), by, now. A receiver returns a dict of counts whose keys are
# fields of events_platform.services.CapacityResult, or None; it raises DomainError to refuse
# the change (for example a capacity below the places already held).
capacity_changed = Signal()
# kwargs: event (locked, now PUBLISHED), by, now.
event_published = Signal()
