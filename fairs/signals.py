"""Domain signals of the exhibitor side. Sent inside the service's transaction; the
notifications app listens and writes its outbox row in that same transaction.

Every signal is sent with `sender` = the model class and the keyword arguments named below.
"""

from django.dispatch import Signal

# kwargs: company (fairs.models.Company), user (the user to confirm), confirm_url (str)
company_email_confirmation_requested = Signal()
# kwargs: booking (fairs.models.StandBooking)
booking_requested = Signal()
# kwargs: booking, message (str, the organiser's optional message; may be empty)
booking_approved = Signal()
# kwargs: booking, reason (str, the organiser's message)
booking_rejected = Signal()
# kwargs: booking, by_organiser (bool), reason (str)
booking_cancelled = Signal()
# kwargs: entry (the fairs waiting-list entry), stand (the stand offered)
waitlist_offer_made = Signal()
# kwargs: company (fairs.models.Company), email (str, the invitee), invite_url (str)
company_member_invited = Signal()
# kwargs: event, bookings (list: the stand bookings the event's cancellation ended, already
# CANCELLED), entries (list: the stand waiting-list entries it closed), reason (str, may be
# empty). A receiver may return a dict of counts (fields of
# events_platform.services.CancelResult, e.g. {"exhibitors_told": 4}).
bookings_closed_by_event_cancellation = Signal()
