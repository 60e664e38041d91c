"""Template helpers of the exhibitor pages."""

from django import template

from ..documents import money

register = template.Library()


@register.filter
def euro(amount) -> str:
    """An amount in euros in the active language's format (German: 1.234,50 €)."""
    if amount in (None, ""):
        return ""
    return money(amount)
