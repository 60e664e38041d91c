"""Personal-data classification of this app's fields (see dataprotection/registry.py), and
what the privacy notice says about how long this app keeps them."""

from django.utils.translation import gettext as _

PERSONAL_DATA = {
    "Application": {
        "personal": ["name", "email", "phone", "message", "consent_text"],
        "secret": ["token"],
        "none": [
            "id",
            "job_offer",
            "company",
            "event",
            "language",
            "consent_language",
            "consent_at",
            "status",
            "created_at",
            "updated_at",
        ],
    },
    "ApplicationFile": {
        "personal": ["name", "data"],
        "none": ["id", "application", "kind", "size", "pages"],
    },
    "Answer": {
        "personal": ["body", "sent_by"],
        "none": ["id", "application", "status", "sent_at"],
    },
    "ApplicationTally": {
        "none": ["id", "event", "company", "received"],
    },
}

# A person's copy shows where they applied and what the company answered (the PDFs are
# theirs already and are downloaded from the application's own page).
SUBJECT_COPY = {
    "Application": {"context": ["job_offer", "company", "event", "status", "created_at"]},
}


def retention_notice() -> list[str]:
    """The privacy notice's sentences on how long this app keeps personal data."""
    return [
        _(
            "Applications to job offers, with their documents, are passed only to the company "
            "applied to. They are deleted when the applicant withdraws them, and otherwise "
            "some months after the event (6 unless the organiser set another number)."
        )
    ]
