from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    """The organiser's link to messages and announcements in the organiser's menu."""
    from django.urls import reverse

    from events_platform import access

    if request.user.is_authenticated and access.is_organiser(request.user):
        return [(_("Messages"), reverse("notifications:message-list"))]
    return []


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from events_platform.extensions import cancellation_effects, organiser_menu, personal_data
        from infra.metrics import register_collector

        # The tasks are registered at start, so the outbox and announcements can queue them
        # by name (they do not import tasks.py, which imports them); the provider of a
        # person's data copy and erasure registers itself on import (subject_data).
        # reminders and announcements register how the worker composes their rows.
        from . import (  # noqa: F401
            announcements,
            lifecycle,
            metrics,
            privacy,
            receivers,
            reminders,
            subject_data,
            tasks,
        )

        receivers.connect()
        personal_data.register(self.label, privacy)
        register_collector("outbox", metrics.outbox_metrics)
        cancellation_effects.register("notifications", lifecycle.cancellation_sentences, order=90)
        organiser_menu.register("notifications", nav_items, order=60)
        from events_platform.extensions import edition_copiers

        from . import editions

        edition_copiers.register("notifications", editions.copy_edition, order=40)
