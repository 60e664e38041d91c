"""Every field of every model is classified for personal data, and the classes hold."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from dataprotection import registry as privacy


def _project_apps():
    """The project's own apps that have models (not Django's or a library's)."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and "site-packages" not in Path(config.path).parts
        and list(config.get_models())
    ]


def _concrete_fields():
    for config in _project_apps():
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                yield model._meta.label, field.name


def test_every_app_with_models_registers_its_privacy_module():
    registered = {label for label, _module in privacy.privacy_modules()}
    assert {config.label for config in _project_apps()} == registered


def test_every_field_is_classified_exactly_once():
    declared = privacy.declared()
    unclassified = [
        f"{model}.{name}"
        for model, name in _concrete_fields()
        if name not in declared.get(model, {})
    ]
    assert unclassified == [], "classify these fields in their app's privacy.py"


def test_no_field_is_declared_that_does_not_exist():
    existing = set(_concrete_fields())
    declared = {(model, name) for model, fields in privacy.declared().items() for name in fields}
    assert sorted(declared - existing) == []


def test_categories_are_the_known_ones():
    used = {category for fields in privacy.declared().values() for category in fields.values()}
    assert used <= set(privacy.CATEGORIES)


def test_medical_notes_are_sensitive_and_contact_data_personal():
    from ticketing.models import Registration

    assert privacy.fields_in("sensitive", Registration) == ["medical_notes"]
    assert {"name", "email", "phone", "guardian_email"} <= set(
        privacy.fields_in("personal", Registration)
    )


@pytest.mark.django_db
def test_general_export_leaves_out_every_sensitive_field():
    from tests.factories import EventFactory
    from ticketing import exports
    from ticketing.models import Registration

    event = EventFactory()
    from django.utils import timezone

    registration = Registration.objects.create(
        event=event,
        name="Mia Beispiel",
        email="mia@example.org",
        medical_notes="Erdnussallergie",
        created_at=timezone.now(),
    )
    header, rows = exports.table([registration], [], event)
    flat = " ".join(str(cell) for row in rows for cell in row) + " ".join(header)
    assert "Mia Beispiel" in flat
    assert "Erdnussallergie" not in flat


@pytest.mark.django_db
def test_the_privacy_notice_says_how_long_each_app_keeps_its_data(client, settings):
    """Ticketing and fairs state their own retention periods (their privacy.py); data
    protection reads none of their settings."""
    settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS = 1
    settings.FAIRS_BOOKING_RETENTION_YEARS = 10
    german = client.get(reverse("dataprotection:privacy-notice")).content.decode()
    assert "Notfallkontakte eines Camps werden 1 Tag nach dem Ende des Camps gelöscht" in german
    assert "bis 10 Jahre nach Ende des Messejahres aufbewahrt" in german
    english = client.get("/en/datenschutz/").content.decode()
    assert "are erased 1 day after the camp ends" in english
    assert "they are kept 10 years after the end of the year of the fair" in english
