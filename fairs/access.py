"""Who may see and change what on the exhibitor side. Views, API and admin ask here.

A company user sees only rows of their own company; anything else answers 404. An organiser
sees the fairs, bookings and waiting lists of their own organisations' events, and the
companies that booked or asked for a stand there, plus companies awaiting verification.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from events_platform import access as core_access

from .models import Company, CompanyMember, Fair, JobOffer, StaffPass, StandBooking, WaitlistEntry


def membership_for(user: User | AnonymousUser) -> CompanyMember | None:
    """The user's company membership, or None."""
    if not user.is_authenticated:
        return None
    return CompanyMember.objects.select_related("company").filter(user=user).first()


def company_bookings(company: Company) -> QuerySet:
    """The company's own stand bookings."""
    return StandBooking.objects.filter(company=company).select_related(
        "stand__hall", "fair__event__venue", "fair__event__series"
    )


def company_job_offers(company: Company) -> QuerySet:
    """The company's own job offers."""
    return JobOffer.objects.filter(company=company).prefetch_related("events__venue")


def company_staff_passes(company: Company) -> QuerySet:
    """Staff passes of the company's bookings."""
    return StaffPass.objects.filter(booking__company=company).select_related(
        "booking__fair__event__venue", "booking__stand"
    )


def get_company_booking_or_404(company: Company, pk: int) -> StandBooking:
    """The booking if it is the company's own; otherwise 404."""
    try:
        return company_bookings(company).get(pk=pk)
    except StandBooking.DoesNotExist:
        raise Http404 from None


def organiser_fairs(user: User | AnonymousUser) -> QuerySet:
    """Fairs of events the user organises."""
    return core_access.scope_to_organiser(
        user, Fair.objects.select_related("event__venue"), path="event__organisation"
    )


def organiser_bookings(user: User | AnonymousUser) -> QuerySet:
    """Bookings at events the user organises."""
    return core_access.scope_to_organiser(
        user,
        StandBooking.objects.select_related("company", "stand__hall", "fair__event__venue"),
        path="fair__event__organisation",
    )


def organiser_waitlist(user: User | AnonymousUser) -> QuerySet:
    """Waiting-list entries of fairs the user organises."""
    return core_access.scope_to_organiser(
        user,
        WaitlistEntry.objects.select_related("company", "fair__event__venue"),
        path="fair__event__organisation",
    )


def organiser_companies(user: User | AnonymousUser) -> QuerySet:
    """Companies an organiser may see: those at their events, and those awaiting verification."""
    if user.is_authenticated and user.is_superuser:
        return Company.objects.all()
    if not core_access.is_organiser(user):
        return Company.objects.none()
    organisations = core_access.organisations_for(user)
    return Company.objects.filter(
        Q(bookings__fair__event__organisation__in=organisations)
        | Q(waitlist__fair__event__organisation__in=organisations)
        | Q(verified_at__isnull=True, email_confirmed_at__isnull=False)
    ).distinct()


def get_organiser_booking_or_404(user: User | AnonymousUser, pk: int) -> StandBooking:
    """The booking if the user organises its event; otherwise 404."""
    try:
        return organiser_bookings(user).get(pk=pk)
    except StandBooking.DoesNotExist:
        raise Http404 from None
