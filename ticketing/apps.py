from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Registrations and tickets")

    def ready(self) -> None:
        # The core's event pages show places left; ticketing knows who holds them. The
        # Register button comes in through the template ticketing/_event_actions.html,
        # which the core's event page includes when it exists.
        from events_platform import queries as core_queries

        from .queries import persons_held_by_event

        core_queries.set_places_taken_counter(persons_held_by_event)
