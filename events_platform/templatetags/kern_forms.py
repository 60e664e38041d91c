"""`{{ field|kern_widget }}`: a form field's widget with KERN UX's classes; `summary_label`."""

from django import template

from events_platform.forms_rendering import widget_with_kern_classes

register = template.Library()


@register.filter
def kern_widget(field) -> str:
    """The widget of a bound field, classed for KERN and described by its hint and error."""
    return widget_with_kern_classes(field)


@register.filter
def summary_label(label) -> str:
    """A field's label as the start of "label: error" in the error summary, without its own
    closing full stop or colon ("… stimmt der Datenschutzerklärung zu.: …" read twice)."""
    return str(label).rstrip().rstrip(".:")
