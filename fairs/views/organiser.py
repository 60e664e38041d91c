"""Organiser pages: the bookings and waiting list of one fair (confirm, reject, cancel,
offer a freed stand, verify a company) and the figures per site. Everything is scoped to
the organiser's own events; other fairs answer 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events_platform import access as core_access
from infra.errors import DomainError

from .. import queries, services
from ..access import (
    get_organiser_booking_or_404,
    organiser_bookings,
    organiser_companies,
    organiser_fairs,
    organiser_waitlist,
    verifying_organisations,
)
from ..forms import DecisionForm, OfferStandForm
from ..models import StandBooking, WaitlistEntry
from .common import organiser_required, report


@organiser_required
@require_GET
def fair_overview(request):
    fairs = organiser_fairs(request.user).order_by("event__starts_at")
    return render(
        request,
        "fairs/organiser_fairs.html",
        {"fairs": fairs, "figures": queries.figures(core_access.organiser_events(request.user))},
    )


@organiser_required
@require_GET
def fair_bookings(request, slug):
    fair = get_object_or_404(organiser_fairs(request.user), event__slug=slug)
    return _fair_page(request, fair)


def _fair_page(request, fair, *, kept=None, status=200):
    """The bookings page of one fair; `kept` = (booking pk, message, error) of a refused
    decision, so that the message the organiser typed is shown again beside the error."""
    bookings = list(
        organiser_bookings(request.user)
        .filter(fair=fair)
        .order_by("stand__hall__name", "stand__label", "-requested_at")
    )
    for booking in bookings:
        booking.kept_message, booking.kept_error = "", ""
        if kept is not None and booking.pk == kept[0]:
            booking.kept_message, booking.kept_error = kept[1], kept[2]
    free = list(queries.free_stands(fair).order_by("hall__name", "label"))
    waitlist = organiser_waitlist(request.user).filter(
        fair=fair, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    )
    return render(
        request,
        "fairs/organiser_fair.html",
        {
            "fair": fair,
            "event": fair.event,
            "halls": [queries.plan(hall) for hall in fair.halls.all()],
            "open_bookings": [b for b in bookings if b.status == StandBooking.Status.REQUESTED],
            "bookings": [b for b in bookings if b.status != StandBooking.Status.REQUESTED],
            "waitlist": waitlist,
            "offer_form": OfferStandForm(stands=free),
            "has_free": bool(free),
        },
        status=status,
    )


@organiser_required
@require_POST
def decide(request, pk):
    booking = get_organiser_booking_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if "action" in form.errors:
            raise Http404
        # A message that is too long: shown again with the error, not lost.
        error = " ".join(form.errors["message"])
        messages.error(request, error)
        kept = (booking.pk, request.POST.get("message", ""), error)
        return _fair_page(request, booking.fair, kept=kept)
    action, message = form.cleaned_data["action"], form.cleaned_data["message"]
    now = timezone.now()
    try:
        if action == "approve":
            services.approve_booking(booking=booking, by=request.user, now=now, message=message)
            messages.success(
                request,
                _("The booking of stand %(stand)s is confirmed.") % {"stand": booking.stand.label},
            )
        elif action == "reject":
            services.reject_booking(booking=booking, by=request.user, reason=message, now=now)
            messages.success(request, _("The booking has been rejected."))
        else:
            services.cancel_booking(booking=booking, by=request.user, reason=message, now=now)
            messages.success(request, _("The booking has been cancelled."))
    except DomainError as error:
        # Shown again, with what the organiser typed, instead of a redirect that loses it.
        report(request, error)
        return _fair_page(request, booking.fair, kept=(booking.pk, message, str(error.message)))
    return redirect("fairs:organiser-fair", slug=booking.fair.event.slug)


@organiser_required
@require_POST
def offer(request, pk):
    entry = get_object_or_404(organiser_waitlist(request.user), pk=pk)
    free = list(queries.free_stands(entry.fair))
    form = OfferStandForm(request.POST, stands=free)
    if form.is_valid():
        try:
            services.offer_stand(
                entry=entry,
                stand_id=form.cleaned_data["stand"],
                by=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("The stand has been offered to %(company)s.") % {"company": entry.company},
            )
    else:
        messages.error(request, _("Please choose a free stand."))
    return redirect("fairs:organiser-fair", slug=entry.fair.event.slug)


@organiser_required
@require_POST
def verify(request, pk):
    """Verify the company for the organisation named in the form (or for each of the user's
    organisations it deals with); another organisation's company answers 404."""
    company = get_object_or_404(organiser_companies(request.user), pk=pk)
    organisations = verifying_organisations(
        request.user, company, chosen=request.POST.get("organisation")
    )
    if not organisations:
        raise Http404
    now = timezone.now()
    try:
        for organisation in organisations:
            services.verify_company(
                company=company, organisation=organisation, by=request.user, now=now
            )
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("%(company)s is verified.") % {"company": company})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("fairs:organiser-fairs")
    return redirect(target)
