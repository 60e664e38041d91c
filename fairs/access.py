"""Who may see and change what on the exhibitor side. Views, API and admin ask here.

A company user sees only rows of their own company; anything else answers 404. An organiser
sees the fairs, bookings and waiting lists of their own organisations' events, and a company
only once it has dealings with one of those events (a stand booking or request, a place on
the waiting list, a job offer shown there) or their organisation has verified it. A company
awaiting verification is no exception: another organisation learns nothing of it.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from events_platform import access as core_access
from events_platform.models import Organisation

from .models import (
    Company,
    CompanyMember,
    CompanyVerification,
    Fair,
    JobOffer,
    StaffPass,
    StandBooking,
    WaitlistEntry,
)


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
    """Bookings at events the user organises, each with `company_verified` (by the event's
    organisation)."""
    verified = CompanyVerification.objects.filter(
        company=OuterRef("company"), organisation=OuterRef("fair__event__organisation")
    )
    return core_access.scope_to_organiser(
        user,
        StandBooking.objects.select_related(
            "company", "stand__hall", "fair__event__venue"
        ).annotate(company_verified=Exists(verified)),
        path="fair__event__organisation",
    )


def organiser_waitlist(user: User | AnonymousUser) -> QuerySet:
    """Waiting-list entries of fairs the user organises."""
    return core_access.scope_to_organiser(
        user,
        WaitlistEntry.objects.select_related("company", "fair__event__venue"),
        path="fair__event__organisation",
    )


def _dealings(organisations) -> Q:
    """Companies with dealings with events of `organisations`, or verified by one of them."""
    return Q(
        Q(bookings__fair__event__organisation__in=organisations)
        | Q(waitlist__fair__event__organisation__in=organisations)
        | Q(job_offers__events__organisation__in=organisations)
        | Q(verifications__organisation__in=organisations)
    )


def organiser_companies(user: User | AnonymousUser) -> QuerySet:
    """Companies an organiser may see: those with dealings with their organisations' events
    (or verified by one of them), each with `verified_here` (verified by one of them)."""
    if user.is_authenticated and user.is_superuser:
        return Company.objects.annotate(
            verified_here=Exists(CompanyVerification.objects.filter(company=OuterRef("pk")))
        )
    organisations = core_access.organisations_for(user)
    # A subquery of ids, not joins: the joins would repeat each company (and `distinct`
    # would not go with the admin's ordering by any column).
    ids = Company.objects.filter(_dealings(organisations)).values("pk")
    verified = CompanyVerification.objects.filter(
        company=OuterRef("pk"), organisation__in=organisations
    )
    return Company.objects.filter(pk__in=ids).annotate(verified_here=Exists(verified))


def verifying_organisations(
    user: User | AnonymousUser, company: Company, *, chosen: str | int | None = None
) -> list[Organisation]:
    """The organisations for which the user may verify the company: their own ones whose
    events the company has dealings with; only `chosen` (an organisation id) when given."""
    organisations = core_access.organisations_for(user).filter(
        Q(events__fair__bookings__company=company)
        | Q(events__fair__waitlist__company=company)
        | Q(events__job_offers__company=company)
    )
    if chosen not in (None, ""):
        if not str(chosen).isdigit():
            return []
        organisations = organisations.filter(pk=int(chosen))
    return list(organisations.distinct().order_by("name"))


def get_organiser_booking_or_404(user: User | AnonymousUser, pk: int) -> StandBooking:
    """The booking if the user organises its event; otherwise 404."""
    try:
        return organiser_bookings(user).get(pk=pk)
    except StandBooking.DoesNotExist:
        raise Http404 from None
