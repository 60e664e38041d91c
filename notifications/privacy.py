"""Personal-data classification of this app's fields (see dataprotection/registry.py)."""

PERSONAL_DATA = {
    "Message": {
        "personal": [
            "to_email",
            "subject",
            "body_text",
            "body_html",
            "headers",
            "attachments",
            "last_error",
            # What the text is composed from: names, links, ids.
            "context",
        ],
        "none": [
            "id",
            "purpose",
            "dedup_key",
            "language",
            "content_type",
            "object_id",
            "organisation",
            "event",
            "announcement",
            "state",
            "attempts",
            "created_at",
            "next_attempt_at",
            "published_at",
            "claimed_at",
            "sent_at",
            "failed_at",
            "composed_at",
        ],
    },
    "Suppression": {
        "personal": ["email", "detail"],
        "none": ["id", "reason", "created_at"],
    },
    "ReminderPlan": {
        "none": ["id", "event", "offsets", "what_to_bring_de", "what_to_bring_en"],
    },
    "Announcement": {
        # written_through: the last address written while its messages are written.
        "personal": ["created_by", "written_through"],
        "none": [
            "id",
            "organisation",
            "series",
            "audiences",
            "language",
            "filters",
            "subject",
            "body_markdown",
            "state",
            "send_at",
            "recipient_count",
            "created_at",
            "started_at",
            "written_at",
        ],
    },
    # Which e-mails an organiser wants: tied to the membership, whose user is classified there.
    "OrganiserAlertSetting": {
        "none": ["id", "membership", "mode", "language", "updated_at"],
    },
    # What happened (a company's name and a stand label, never a visitor), for organisers.
    "OrganiserAlert": {
        "none": ["id", "organisation", "event", "kind", "detail", "object_key", "created_at"],
    },
}

# What a person's copy of their data shows (dataprotection/registry.py::copy_fields): of a
# message, its subject beside these context fields; the address is the person's own, and the
# text, headers, attachments and delivery errors are how it was sent, not what it said.
SUBJECT_COPY = {
    "Message": {
        "context": ["purpose", "state", "event", "created_at", "sent_at"],
        "leave_out": [
            "to_email",
            "body_text",
            "body_html",
            "headers",
            "attachments",
            "last_error",
            "context",
        ],
    },
    "Suppression": {
        "context": ["reason", "created_at"],
        "leave_out": ["detail"],
    },
}
