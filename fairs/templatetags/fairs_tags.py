"""Template helpers of the exhibitor pages."""

from django import template
from django.utils.translation import gettext, ngettext

from ..documents import money

register = template.Library()


@register.filter
def euro(amount) -> str:
    """An amount in euros in the active language's format (German: 1.234,50 €)."""
    if amount in (None, ""):
        return ""
    return money(amount)


@register.filter
def extras_summary(booking) -> str:
    """The booked extras with singular and plural right ("1 table, 4 chairs"), or "none"."""
    parts = [
        ngettext("%(n)s power connection", "%(n)s power connections", booking.power_connections)
        % {"n": booking.power_connections},
        ngettext("%(n)s table", "%(n)s tables", booking.tables) % {"n": booking.tables},
        ngettext("%(n)s chair", "%(n)s chairs", booking.chairs) % {"n": booking.chairs},
        ngettext("%(n)s parking pass", "%(n)s parking passes", booking.parking_passes)
        % {"n": booking.parking_passes},
    ]
    counts = [booking.power_connections, booking.tables, booking.chairs, booking.parking_passes]
    shown = [part for part, count in zip(parts, counts, strict=True) if count]
    return ", ".join(shown) or gettext("none")
