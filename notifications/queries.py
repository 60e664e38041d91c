"""Reads of the notifications app: the organiser's messages, audiences, due reminders."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from events_platform.access import organiser_events, scope_to_organiser

from .models import Message


def organiser_messages(user: User | AnonymousUser) -> QuerySet:
    """Messages of the organisations the user organises for, newest first."""
    return scope_to_organiser(user, Message.objects.select_related("event"))


def filter_messages(
    queryset: QuerySet, *, event_id: int | None = None, state: str = "", search: str = ""
) -> QuerySet:
    """Narrow messages by event, state and a search in recipient and subject."""
    if event_id:
        queryset = queryset.filter(event_id=event_id)
    if state:
        queryset = queryset.filter(state=state)
    if search:
        queryset = queryset.filter(Q(to_email__icontains=search) | Q(subject__icontains=search))
    return queryset


def message_events(user: User | AnonymousUser) -> QuerySet:
    """Events the user organises, for the message filter."""
    return organiser_events(user).order_by("-starts_at")


def failed_messages(organisation, *, now, within: timedelta = timedelta(days=7)) -> QuerySet:
    """Messages of the organisation that could not be delivered in the last `within` (the
    organiser may need to reach those people another way)."""
    return Message.objects.filter(
        organisation=organisation, state=Message.State.FAILED, failed_at__gte=now - within
    )
