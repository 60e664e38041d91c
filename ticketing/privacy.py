"""Personal-data classification of this app's fields (see dataprotection/registry.py), and
what the privacy notice says about how long this app keeps them."""

from django.utils.translation import ngettext

from .models import MAX_MEDICAL_NOTES_DAYS
from .services import medical_notes_days

PERSONAL_DATA = {
    "RegistrationSettings": {
        "none": [
            "id",
            "event",
            "offer_hours",
            "guardian_required_under",
            "medical_notes_retention_days",
            "allow_school_classes",
            "meeting_point",
            "departure_at",
            "privacy_text_version",
        ],
    },
    "ExcursionStop": {
        "none": ["id", "event", "position", "school", "town", "arrives_at"],
    },
    # How many persons hold places: numbers only, nobody named.
    "PlaceCounter": {
        "none": ["id", "event", "time_slot", "session", "capacity", "taken"],
    },
    "Question": {
        "none": [
            "id",
            "event",
            "position",
            "kind",
            "label_de",
            "label_en",
            "choices_de",
            "choices_en",
            "required",
        ],
    },
    "Registration": {
        "personal": [
            "name",
            "email",
            "phone",
            "postcode",
            "answers",
            "birth_date",
            "guardian_name",
            "guardian_email",
            "guardian_phone",
            "emergency_contact",
            # A school class's school and grade point to the teacher and the pupils.
            "school",
            "grade",
        ],
        "sensitive": ["medical_notes"],
        "secret": ["guardian_token", "manage_token"],
        "none": [
            "id",
            "event",
            "time_slot",
            "kind",
            "status",
            "headcount",
            "language",
            "pupils",
            "adults",
            "guardian_deadline",
            "guardian_confirmed_at",
            "photo_consent",
            "share_contact_consent",
            "waitlisted_at",
            "offer_expires_at",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "by_organiser",
        ],
    },
    "ConsentRecord": {
        "personal": ["registration", "given_by", "given_for"],
        "none": ["id", "topic", "granted", "text_version", "text", "given_at"],
    },
    "Ticket": {
        "secret": ["secret"],
        "none": [
            "id",
            "event",
            "registration",
            "kind",
            "status",
            "serial",
            "headcount",
            "issued_at",
            "revoked_at",
        ],
    },
    "VisitorFeed": {
        "personal": ["email"],
        "secret": ["token"],
        "none": ["id", "created_at"],
    },
}

# What a person's copy of their data shows (dataprotection/registry.py::copy_fields): every
# personal and sensitive field above, and beside them these context fields, so that the copy
# reads (which event, which status, when).
SUBJECT_COPY = {
    "Registration": {
        "context": [
            "event",
            "kind",
            "status",
            "headcount",
            "language",
            "pupils",
            "adults",
            "photo_consent",
            "share_contact_consent",
            "time_slot",
            "created_at",
            "confirmed_at",
            "cancelled_at",
        ],
    },
    "ConsentRecord": {"context": ["topic", "granted", "text", "text_version", "given_at"]},
    "Ticket": {
        "context": ["event", "serial", "kind", "status", "headcount", "issued_at", "revoked_at"],
    },
    "VisitorFeed": {"context": ["created_at"]},
}


def retention_notice() -> list[str]:
    """The privacy notice's sentences on how long this app keeps personal data."""
    days = medical_notes_days()
    return [
        ngettext(
            "Medical notes and emergency contacts of a camp are erased %(days)s day after "
            "the camp ends, unless the organiser sets a different number of days for the "
            "camp (at most %(max)s).",
            "Medical notes and emergency contacts of a camp are erased %(days)s days after "
            "the camp ends, unless the organiser sets a different number of days for the "
            "camp (at most %(max)s).",
            days,
        )
        % {"days": days, "max": MAX_MEDICAL_NOTES_DAYS}
    ]
