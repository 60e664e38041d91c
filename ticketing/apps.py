from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    """The organiser's link to the registrations in the organiser's menu."""
    from django.urls import reverse

    from events_platform import access

    if request.user.is_authenticated and access.is_organiser(request.user):
        return [(_("Registrations"), reverse("ticketing:organiser-overview"))]
    return []


def organiser_start_page(user) -> str | None:
    """Organisers start at their events' registrations."""
    from django.urls import reverse

    from events_platform import access

    return reverse("ticketing:organiser-overview") if access.is_organiser(user) else None


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Registrations and tickets")

    def ready(self) -> None:
        # The core's event pages show places left; ticketing knows who holds them. The
        # Register button goes into the event page's registration section (an action, not a
        # panel, which would repeat it further down the page).
        from events_platform.extensions import (
            event_actions,
            organiser_menu,
            personal_data,
            places_taken,
            session_places_taken,
            slot_places_taken,
            start_pages,
        )

        # The provider of a person's data copy and erasure registers itself on import.
        from . import counters, lifecycle, privacy, subject_data  # noqa: F401
        from .queries import persons_held_by_event, persons_held_by_session, persons_held_by_slot
        from .views.visitor import registration_actions

        places_taken.register("ticketing", persons_held_by_event)
        slot_places_taken.register("ticketing", persons_held_by_slot)
        session_places_taken.register("ticketing", persons_held_by_session)
        from events_platform.extensions import edition_copiers

        from . import editions

        edition_copiers.register("ticketing", editions.copy_edition, order=20)
        event_actions.register("ticketing", registration_actions)
        organiser_menu.register("ticketing", nav_items, order=40)
        start_pages.register("organiser", organiser_start_page, order=20)
        lifecycle.connect()
        counters.connect()
        personal_data.register(self.label, privacy)
