"""`{{ field|kern_widget }}`: a form field's widget with KERN UX's classes."""

from django import template

from events_platform.forms_rendering import widget_with_kern_classes

register = template.Library()


@register.filter
def kern_widget(field) -> str:
    """The widget of a bound field, classed for KERN and described by its hint and error."""
    return widget_with_kern_classes(field)
