"""Personal-data classification of this app's fields (see dataprotection/registry.py), and
what the privacy notice says about how long this app keeps them."""

from django.conf import settings
from django.utils.translation import ngettext

PERSONAL_DATA = {
    "Programme": {
        "none": [
            "id",
            "organisation",
            "slug",
            "status",
            "title_de",
            "title_en",
            "title_plain",
            "offer_de",
            "offer_en",
            "offer_plain",
            "audience_de",
            "audience_en",
            "audience_plain",
            "starts_on",
            "ends_on",
            "partners",
            "survey",
            "signup_open",
            "created_at",
            "updated_at",
        ],
    },
    "ProgrammeEvent": {"none": ["id", "programme", "event", "role"]},
    "Signup": {
        "personal": ["contact_name", "contact_email", "contact_phone", "signed_up_by"],
        "none": [
            "id",
            "programme",
            "company",
            "status",
            "international_employees",
            "needs",
            "needs_text",
            "language",
            "signed_up_at",
            "withdrawn_at",
        ],
    },
    "Participant": {
        "personal": ["name", "email", "job", "languages", "entered_by"],
        "none": [
            "id",
            "signup",
            "role",
            "consent_text",
            "consent_language",
            "consent_version",
            "consent_given_at",
        ],
    },
    "Pair": {
        "personal": ["paired_by"],
        "none": ["id", "programme", "mentor", "mentee", "paired_at"],
    },
    "ProgrammeMessage": {
        "personal": ["written_by"],
        "none": ["id", "programme", "subject", "body", "created_at", "sent_at", "recipients"],
    },
}


def retention_notice() -> list[str]:
    months = settings.PROGRAMMES_RETENTION_MONTHS
    return [
        ngettext(
            "Mentors, mentees and the contacts of companies in a programme are erased %(months)s "
            "month after the programme ends, or at once when the person withdraws consent.",
            "Mentors, mentees and the contacts of companies in a programme are erased %(months)s "
            "months after the programme ends, or at once when the person withdraws consent.",
            months,
        )
        % {"months": months}
    ]
