"""Which model fields hold personal data (GDPR), declared by each app in its `privacy.py`.

Every concrete field of every model of the project's apps is listed in exactly one class,
so that a new field cannot slip in unclassified (a test fails for it):

- `none`: no personal data (times, counts, settings, business facts);
- `personal`: identifies or describes a person (name, e-mail, phone, address, user link);
- `sensitive`: special categories (health data, GDPR Art. 9): minors' medical notes;
- `secret`: credentials and links that act as keys (tokens, signed secrets, key material).

Exports, retention and data-subject requests read this to know what to leave out or erase.
"""

from events_platform.extensions import personal_data

CATEGORIES = ("none", "personal", "sensitive", "secret")


def privacy_modules():
    """(app label, privacy module) of every app, as each registered it in its AppConfig.ready()
    (events_platform.extensions.personal_data)."""
    yield from personal_data.items()


def declared() -> dict[str, dict[str, str]]:
    """`{"app_label.Model": {"field": category}}` from every project app's privacy module."""
    result: dict[str, dict[str, str]] = {}
    for label, module in privacy_modules():
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
