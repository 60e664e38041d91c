"""What the apps built on the core add to every page's frame (events_platform/extensions.py)."""

from django import template

from ..extensions import footer_links as footer_registry

register = template.Library()


@register.inclusion_tag("events_platform/_footer_links.html")
def footer_links() -> dict:
    """The footer's links (the privacy notice, "your data"); needs no request, so the error
    pages that Django renders without one show them too."""
    return {"links": footer_registry.links(None)}
