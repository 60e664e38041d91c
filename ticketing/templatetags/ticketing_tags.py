"""The Register button and places on the core's event page (see _event_actions.html)."""

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("ticketing/_registration_actions.html")
def registration_actions(event, registration_state: str) -> dict:
    """Register / waiting-list buttons, places left and the waiting-list note of `event`."""
    places_left = queries.places_left(event)
    return {
        "event": event,
        "state": registration_state,
        "places_left": places_left,
        "waiting": queries.waiting_count(event) if places_left == 0 else 0,
        "school_classes": queries.school_classes_allowed(event),
        "settings": queries.settings_for(event),
        "stops": list(event.excursion_stops.all()),
    }
