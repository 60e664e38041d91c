from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value):
    """A whole number with the language's grouping (1.234 in German, 1,234 in English);
    text stays as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return value
