"""Template helpers of the exhibitor pages."""

from django import template

from events_platform import access as core_access

from ..access import membership_for
from ..documents import money

register = template.Library()


@register.filter
def euro(amount) -> str:
    """An amount in euros in the active language's format (German: 1.234,50 €)."""
    if amount in (None, ""):
        return ""
    return money(amount)


@register.simple_tag(takes_context=True)
def company_member(context):
    """The signed-in user's company membership, or None."""
    request = context.get("request")
    return membership_for(request.user) if request is not None else None


@register.simple_tag(takes_context=True)
def is_organiser(context) -> bool:
    """True when the signed-in user organises for an organisation."""
    request = context.get("request")
    return bool(request is not None and core_access.is_organiser(request.user))
