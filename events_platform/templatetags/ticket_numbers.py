"""`{{ ticket.serial|ticket_number }}`: a ticket number as a person reads it (in groups)."""

from django import template

from events_platform.ticket_codes import printed_number

register = template.Library()


@register.filter
def ticket_number(serial) -> str:
    return printed_number(int(serial)) if serial not in (None, "") else ""
