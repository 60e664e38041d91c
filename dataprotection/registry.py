"""Which model fields hold personal data (GDPR), declared by each app in its `privacy.py`.

Every concrete field of every model of the project's apps is listed in exactly one class,
so that a new field cannot slip in unclassified (a test fails for it):

- `none`: no personal data (times, counts, settings, business facts);
- `personal`: identifies or describes a person (name, e-mail, phone, address, user link);
- `sensitive`: special categories (health data, GDPR Art. 9): minors' medical notes;
- `secret`: credentials and links that act as keys (tokens, signed secrets, key material).

Exports, retention and data-subject requests read this to know what to leave out or erase.
This module also holds the core app's own declaration, `PERSONAL_DATA`, at the end.
"""

from importlib import import_module

from django.apps import apps

CATEGORIES = ("none", "personal", "sensitive", "secret")
PROJECT_APPS = ("events_platform", "fairs", "ticketing", "checkin", "notifications")


def declared() -> dict[str, dict[str, str]]:
    """`{"app_label.Model": {"field": category}}` from every project app's privacy module."""
    result: dict[str, dict[str, str]] = {}
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        module = import_module(f"{config.name}.privacy")
        for model_name, classes in module.PERSONAL_DATA.items():
            fields = result.setdefault(f"{label}.{model_name}", {})
            for category, names in classes.items():
                for name in names:
                    fields[name] = category
    return result


def fields_in(category: str, model) -> list[str]:
    """The names of the model's fields declared in `category`."""
    return [
        name
        for name, declared_category in declared().get(model._meta.label, {}).items()
        if declared_category == category
    ]


PERSONAL_DATA = {
    "Organisation": {
        "personal": ["contact_email"],
        "none": [
            "id",
            "name",
            "slug",
            "district",
            "website",
            "visitor_data_retention_days",
            "created_at",
        ],
    },
    "Membership": {
        "personal": ["user"],
        "none": ["id", "organisation", "role", "created_at"],
    },
    "Venue": {
        "none": [
            "id",
            "organisation",
            "name",
            "town",
            "street",
            "postcode",
            "latitude",
            "longitude",
            "accessibility_notes_de",
            "accessibility_notes_en",
        ],
    },
    "TargetGroup": {
        "none": ["id", "slug", "name_de", "name_en"],
    },
    "EventSeries": {
        "none": [
            "id",
            "organisation",
            "slug",
            "title_de",
            "title_en",
            "description_de",
            "description_en",
            "feed_uid",
        ],
    },
    "Event": {
        "none": [
            "id",
            "organisation",
            "series",
            "kind",
            "status",
            "slug",
            "title_de",
            "title_en",
            "description_de",
            "description_en",
            "venue",
            "starts_at",
            "ends_at",
            "all_day",
            "same_hours_daily",
            "capacity",
            "registration_required",
            "walk_ins_allowed",
            "registration_opens_at",
            "registration_closes_at",
            "min_age",
            "max_age",
            "uid",
            "created_at",
            "updated_at",
        ],
    },
    "TimeSlot": {
        "none": ["id", "event", "label", "starts_at", "ends_at", "capacity"],
    },
    "Session": {
        "personal": ["speaker"],
        "none": [
            "id",
            "event",
            "title_de",
            "title_en",
            "description_de",
            "description_en",
            "room",
            "starts_at",
            "ends_at",
            "capacity",
        ],
    },
    "EventSigningKey": {
        "secret": ["private_key_encrypted"],
        "none": ["id", "event", "public_key", "created_at"],
    },
    "AuditEntry": {
        "personal": ["actor", "target_repr", "details"],
        "none": ["id", "organisation", "action", "target_type", "target_id", "created_at"],
    },
    "DataRequest": {
        "personal": ["email_hash", "requested_by"],
        "none": ["id", "kind", "channel", "organisation", "result", "created_at"],
    },
}
