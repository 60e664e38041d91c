"""Ticketing's part of next year's edition (events_platform/editions.py): the registration
settings, excursion stops and questions of an event. Registrations, tickets, consents and
waiting lists are people's data and stay behind."""

from events_platform.editions import copy_row

from .models import ExcursionStop, Question, RegistrationSettings


def copy_edition(source, target, shift) -> None:
    """Copy the source event's registration settings, stops and questions to its copy."""
    for settings in RegistrationSettings.objects.filter(event=source):
        copy_row(settings, shift, event=target)
    for stop in ExcursionStop.objects.filter(event=source):
        copy_row(stop, shift, event=target)
    for question in Question.objects.filter(event=source):
        copy_row(question, shift, event=target)
