"""Personal-data classification of this app's fields (see dataprotection/registry.py), and
what the privacy notice says about how long this app keeps them."""

from django.utils.translation import ngettext

from .services.retention import booking_retention_years

PERSONAL_DATA = {
    "Company": {
        "personal": ["contact_name", "contact_email", "contact_phone"],
        "none": [
            "id",
            "name",
            "slug",
            "sector",
            "size",
            "description_de",
            "description_en",
            "website",
            "street",
            "postcode",
            "town",
            "logo",
            "language",
            "email_confirmed_at",
            "created_at",
        ],
    },
    "CompanyVerification": {
        "personal": ["verified_by"],
        "none": ["id", "organisation", "company", "verified_at"],
    },
    "CompanyMember": {
        "personal": ["user"],
        "none": ["id", "company", "role", "created_at"],
    },
    "Fair": {
        "none": [
            "id",
            "event",
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_deadline",
            "setup_starts_at",
            "setup_ends_at",
            "teardown_starts_at",
            "teardown_ends_at",
            "max_exhibitors",
            "power_price",
            "table_price",
            "chair_price",
            "parking_pass_price",
            "max_staff_passes_per_stand",
        ],
    },
    "Hall": {
        "none": ["id", "fair", "name", "width_m", "depth_m", "background"],
    },
    "Stand": {
        "none": [
            "id",
            "hall",
            "label",
            "kind",
            "x_m",
            "y_m",
            "width_m",
            "depth_m",
            "price",
            "has_power",
            "has_water",
            "blocked",
        ],
    },
    "StandBooking": {
        "personal": ["day_contact_name", "day_contact_phone", "requested_by", "decided_by"],
        "none": [
            "id",
            "company",
            "stand",
            "fair",
            "group",
            "status",
            "power_connections",
            "tables",
            "chairs",
            "parking_passes",
            "staff_pass_count",
            "stand_price",
            "extras_price",
            "decision_message",
            "requested_at",
            "decided_at",
            "ended_at",
        ],
    },
    "WaitlistEntry": {
        "none": ["id", "fair", "company", "status", "note", "offered_booking", "created_at"],
    },
    "StaffPass": {
        "personal": ["name"],
        "secret": ["secret"],
        "none": ["id", "booking", "serial", "created_at", "revoked_at"],
    },
    "JobOffer": {
        "personal": ["contact"],
        "none": [
            "id",
            "company",
            "title",
            "kind",
            "field_of_work",
            "place_of_work",
            "starts_immediately",
            "start_date",
            "start_note",
            "url",
            "description",
            "created_at",
            "updated_at",
        ],
    },
}

# What a person's copy of their data shows (dataprotection/registry.py::copy_fields): every
# personal field above but those left out (a colleague who booked, the organiser who
# decided: other people), and beside them these context fields.
SUBJECT_COPY = {
    "Company": {"context": ["name", "created_at"]},
    "CompanyMember": {"context": ["company", "role", "created_at"]},
    "StandBooking": {
        "context": ["fair", "company", "stand", "status", "requested_at", "decided_at"],
        "leave_out": ["requested_by", "decided_by"],
    },
}


def retention_notice() -> list[str]:
    """The privacy notice's sentences on how long this app keeps personal data."""
    years = booking_retention_years()
    return [
        ngettext(
            "Stand bookings of exhibitors are business records: they are kept %(years)s year "
            "after the end of the year of the fair, then the people named in them are "
            "anonymised.",
            "Stand bookings of exhibitors are business records: they are kept %(years)s years "
            "after the end of the year of the fair, then the people named in them are "
            "anonymised.",
            years,
        )
        % {"years": years}
    ]
