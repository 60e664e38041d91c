"""Personal-data classification of this app's fields (see dataprotection/registry.py)."""

PERSONAL_DATA = {
    "Entrance": {
        "none": ["id", "event", "name"],
    },
    "CheckinList": {
        "none": ["id", "event", "day", "name", "opens_at", "closes_at"],
    },
    "Assignment": {
        "personal": ["user"],
        "none": ["id", "event", "created_at"],
    },
    "Device": {
        "personal": ["paired_by"],
        "secret": ["token_hash"],
        "none": [
            "id",
            "event",
            "entrance",
            "name",
            "paired_at",
            "last_seen_at",
            "revoked_at",
            "refused_until",
        ],
    },
    "Attendance": {
        "none": [
            "id",
            "checkin_list",
            "ticket",
            "staff_pass",
            "persons",
            "inside",
            "first_entry_at",
            "last_entry_at",
            "last_exit_at",
            "last_entrance",
            "last_device",
        ],
    },
    "Scan": {
        "none": [
            "id",
            "checkin_list",
            "device",
            "entrance",
            "ticket",
            "staff_pass",
            "nonce",
            "direction",
            "persons",
            "manual",
            "offline",
            "conflict",
            "scanned_at",
            "received_at",
        ],
    },
    "WalkIn": {
        "personal": ["postcode"],
        "none": [
            "id",
            "checkin_list",
            "device",
            "entrance",
            "nonce",
            "persons",
            "interest",
            "counted_at",
        ],
    },
}
