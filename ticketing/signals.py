"""Domain signals of the visitor side. Sent inside the service's transaction; the
notifications app listens and writes its outbox row in that same transaction.

Every signal is sent with `sender` = the model class and the keyword arguments named below.
"""

from django.dispatch import Signal

# kwargs: registration (ticketing.models.Registration) – confirmed, with its ticket(s)
registration_confirmed = Signal()
# kwargs: registration – placed on the waiting list
waitlist_joined = Signal()
# kwargs: registration, expires_at (aware datetime) – a freed place is offered
waitlist_offer_made = Signal()
# kwargs: registration, confirm_url (str) – a minor's guardian must confirm within 72 h
guardian_confirmation_requested = Signal()
# kwargs: registration, reason (str code: "offer_expired", "guardian_timeout", …)
place_released = Signal()
# kwargs: registration, by_organiser (bool)
registration_cancelled = Signal()
# kwargs: registration (with its new manage_token), by_organiser (bool), ticket_reissued
# (bool) – the self-service link was renewed; the old one no longer works
manage_link_renewed = Signal()
# kwargs: event (events_platform.models.Event), time_slot (its TimeSlot, or None when the
# whole event is meant) – the registration just made took the last place
capacity_reached = Signal()
# kwargs: registration (after the change), previous (ticketing.services.PreviousParts: slot,
# workshops, pupils, adults, headcount before), ticket_reissued (bool) – the holder changed
# the time slot, the workshops or the size of a class
registration_changed = Signal()
# kwargs: event, registrations (list: every registration the event's cancellation closed,
# already CANCELLED), previous (dict: registration pk -> its status before), reason (str, the
# organiser's message, may be empty). A receiver may return a dict of counts (keys are fields
# of events_platform.services.CancelResult, e.g. {"people_told": 3}).
registrations_closed_by_event_cancellation = Signal()
