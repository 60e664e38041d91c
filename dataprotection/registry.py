"""Which model fields hold personal data (GDPR), declared by each app in its `privacy.py`.

Every concrete field of every model of the project's apps is listed in exactly one class,
so that a new field cannot slip in unclassified (a test fails for it):

- `none`: no personal data (times, counts, settings, business facts);
- `personal`: identifies or describes a person (name, e-mail, phone, address, user link);
- `sensitive`: special categories (health data, GDPR Art. 9): minors' medical notes;
- `secret`: credentials and links that act as keys (tokens, signed secrets, key material).

Exports, retention and data-subject requests read this to know what to leave out or erase,
so their lists are derived here and never kept by hand:

- `erased_fields` / `blank` / `blank_values`: what an erasure or a retention job empties in a
  row it keeps (every `personal` and `sensitive` field);
- `copy_fields`: what a person's copy shows of a model (every `personal` and `sensitive`
  field except those the app's `SUBJECT_COPY` leaves out, beside the `context` it names).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from events_platform.extensions import personal_data

CATEGORIES = ("none", "personal", "sensitive", "secret")
# What an erasure empties and a person's copy shows.
ERASED = ("personal", "sensitive")


def privacy_modules():
    """(app label, privacy module) of every app, as each registered it in its AppConfig.ready()
    (events_platform.extensions.personal_data)."""
    yield from personal_data.items()


def retention_notice() -> list[str]:
    """The privacy notice's sentences on how long the apps keep personal data, from the
    `retention_notice()` of each app's privacy module that has one (in app-label order)."""
    return [
        sentence
        for _label, module in privacy_modules()
        if hasattr(module, "retention_notice")
        for sentence in module.retention_notice()
    ]


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


def erased_fields(model: type[models.Model]) -> list[str]:
    """The fields an erasure or a retention job empties, in the model's order: every field
    declared personal or sensitive."""
    classes = declared().get(model._meta.label, {})
    return [
        field.name for field in model._meta.concrete_fields if classes.get(field.name) in ERASED
    ]


def _empty(field: models.Field):
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ImproperlyConfigured(
        f"{field.model._meta.label}.{field.name} is personal but cannot be emptied: allow "
        "null, give it an empty default, or delete the row instead of anonymising it."
    )


def blank_values(model: type[models.Model]) -> dict[str, object]:
    """`{field: empty value}` of the erased fields, for `QuerySet.update(**…)`."""
    return {name: _empty(model._meta.get_field(name)) for name in erased_fields(model)}


def blank(obj: models.Model) -> list[str]:
    """Empty the erased fields of `obj` (not saved); returns their names for `update_fields`."""
    values = blank_values(type(obj))
    for name, value in values.items():
        setattr(obj, name, value)
    return list(values)


def subject_copy() -> dict[str, dict[str, list[str]]]:
    """`{"app_label.Model": {"context": [...], "leave_out": [...]}}` from every project app's
    privacy module (`SUBJECT_COPY`, optional)."""
    result = {}
    for label, module in privacy_modules():
        for model_name, rules in getattr(module, "SUBJECT_COPY", {}).items():
            result[f"{label}.{model_name}"] = rules
    return result


def copy_fields(model: type[models.Model]) -> list[str]:
    """The fields a person's copy of their data shows of `model`, in the model's order: every
    personal or sensitive field but those the app leaves out, and the context it names."""
    rules = subject_copy().get(model._meta.label, {})
    shown = set(rules.get("context", ())) | (
        set(erased_fields(model)) - set(rules.get("leave_out", ()))
    )
    return [field.name for field in model._meta.concrete_fields if field.name in shown]
