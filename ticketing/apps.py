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
        # Register button comes in through the template ticketing/_event_actions.html,
        # which the core's event page includes in its registration section (so no
        # separate event panel, which would repeat it further down the page).
        from events_platform import queries as core_queries
        from events_platform.extensions import organiser_menu, start_pages

        from . import lifecycle
        from .queries import persons_held_by_event

        core_queries.set_places_taken_counter(persons_held_by_event)
        organiser_menu.register("ticketing", nav_items, order=40)
        start_pages.register("organiser", organiser_start_page, order=20)
        lifecycle.connect()
