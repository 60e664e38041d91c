"""Who may see and change what. Views and admin ask here; they never copy these rules."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from .models import Event, EventSeries, Membership, Organisation

ORGANISER_ROLES = (Membership.Role.ORGANISER_ADMIN, Membership.Role.ORGANISER_STAFF)


def organisations_for(user: User | AnonymousUser, *, roles=ORGANISER_ROLES) -> QuerySet:
    """Organisations in which the user holds one of `roles`; every one for a platform admin."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=roles
    ).distinct()


def is_organiser(user: User | AnonymousUser) -> bool:
    """True when the user organises for at least one organisation (or is a platform admin)."""
    return organisations_for(user).exists()


def is_org_admin(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """True when the user administers this organisation (or is a platform admin)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.ORGANISER_ADMIN
    ).exists()


def scope_to_organiser(
    user: User | AnonymousUser, queryset: QuerySet, *, path: str = "organisation"
) -> QuerySet:
    """Narrow `queryset` to rows of organisations the user organises for.

    `path` is the lookup from the model to its organisation (`event__organisation` …).
    """
    if user.is_authenticated and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": organisations_for(user)})


def organiser_events(user: User | AnonymousUser) -> QuerySet:
    """Events the user may manage as an organiser."""
    return scope_to_organiser(user, Event.objects.all())


def organiser_series(user: User | AnonymousUser) -> QuerySet:
    """Series the user may manage as an organiser."""
    return scope_to_organiser(user, EventSeries.objects.all())


def get_organiser_event_or_404(user: User | AnonymousUser, **lookup) -> Event:
    """The event if the user organises it; otherwise 404, so other tenants learn nothing."""
    try:
        return organiser_events(user).get(**lookup)
    except Event.DoesNotExist:
        raise Http404 from None
