"""Personal-data classification of this app's fields (see dataprotection/registry.py), and
what the privacy notice says about how long stand contacts are kept."""

from django.utils.translation import gettext as _

PERSONAL_DATA = {
    "StandDevice": {
        "secret": ["token_hash"],
        "none": ["id", "booking", "staff_pass", "paired_at", "last_seen_at", "revoked_at"],
    },
    "Contact": {
        # What the visitor shared with the company (only with consent), the company's notes
        # on them, and the links to the visitor's registration and ticket.
        "personal": [
            "registration",
            "ticket",
            "name",
            "email",
            "interests",
            "note",
            "rating",
            "tags",
        ],
        "none": [
            "id",
            "event",
            "company",
            "booking",
            "shared",
            "scanned_by",
            "created_at",
            "updated_at",
            "withdrawn_at",
            "erased_at",
        ],
    },
    "Upload": {
        "none": ["id", "device", "nonce", "kind", "contact", "code", "received_at"],
    },
}


def retention_notice() -> list[str]:
    """The privacy notice's sentence on stand contacts."""
    return [
        _(
            "Contacts that exhibitors made at their stand are erased some months after the "
            "fair (six unless the organiser sets another number); only their number is kept. "
            "You can withdraw your contact from a company at any time on your ticket page."
        )
    ]
