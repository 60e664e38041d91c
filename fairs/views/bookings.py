"""Booking stands from the floor plan (one event or several of a series), the waiting
list, a company's bookings with their documents and staff passes."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform.extensions import booking_panels
from events_platform.models import EventSeries
from infra.errors import DomainError

from .. import documents, queries, services
from ..access import company_staff_passes, get_company_booking_or_404
from ..forms import BookingForm, ExtrasForm, SeriesBookingForm, StaffPassForm, WaitlistForm
from ..models import Fair, StandBooking, WaitlistEntry
from .common import company_required, report


def _public_fair(slug: str) -> Fair:
    return get_object_or_404(queries.public_fairs(), event__slug=slug)


def _option_label(stand) -> str:
    features = ", ".join(stand.features)
    label = f"{stand.label} ({stand.hall.name}) – {documents.measure(stand.area_m2)} m², "
    label += documents.money(stand.price)
    return f"{label}, {features}" if features else label


@require_GET
def fair_list(request):
    now = timezone.now()
    fairs = list(
        queries.public_fairs().filter(event__ends_at__gte=now).order_by("event__starts_at")
    )
    for fair in fairs:
        fair.closed = services.booking_refusal(fair, now=now)
    return render(request, "fairs/fair_list.html", {"fairs": fairs})


@company_required
@require_http_methods(["GET", "POST"])
def book_stands(request, slug):
    fair = _public_fair(slug)
    company = request.member.company
    free = list(queries.free_stands(fair))
    closed = services.booking_refusal(fair, now=timezone.now())
    form = BookingForm(
        request.POST or None, stand_choices=[(stand.pk, stand.label) for stand in free]
    )
    if request.method == "POST" and closed is None and form.is_valid():
        data = form.cleaned_data
        try:
            bookings = services.request_stands(
                company=company,
                stand_ids=data["stands"],
                extras=form.extras(),
                staff_passes=data["staff_passes"],
                day_contact_name=data["day_contact_name"],
                day_contact_phone=data["day_contact_phone"],
                by=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Your request for stand %(stands)s has been sent to the organiser.")
                % {"stands": ", ".join(booking.stand.label for booking in bookings)},
            )
            return redirect("fairs:booking-detail", pk=bookings[0].pk)
    status = 409 if closed is not None and request.method == "POST" else 200
    return _book_page(request, fair, form=form, free=free, closed=closed, status=status)


def _book_page(request, fair, *, form, free, closed, waitlist_form=None, status=200):
    """The booking page of one fair; a refused form is shown again with what was typed."""
    company = request.member.company
    selected = {int(pk) for pk in request.POST.getlist("stands") if pk.isdigit()}
    if request.method == "GET":
        # A link to book again ("?stand=<id>", e.g. last edition's stand) pre-selects the
        # stand only while it is free; a taken one is left for the company to choose anew.
        free_ids = {stand.pk for stand in free}
        wanted = {int(pk) for pk in request.GET.getlist("stand") if pk.isdigit()}
        selected = wanted & free_ids
    if form.errors and not free:
        # The form gives way to the waiting list: its reason must still be read.
        for error in form.non_field_errors() + form.errors.get("stands", []):
            messages.error(request, error)
    return render(
        request,
        "fairs/book.html",
        {
            "fair": fair,
            "event": fair.event,
            "halls": [
                queries.plan(hall, company=company, bookable=closed is None)
                for hall in fair.halls.all()
            ],
            "form": form,
            "selected": selected,
            "has_free": bool(free),
            "closed": closed,
            "waitlist_form": waitlist_form or WaitlistForm(),
        },
        status=status,
    )


@company_required
@require_http_methods(["GET", "POST"])
def book_series(request, slug):
    series = get_object_or_404(EventSeries, slug=slug)
    now = timezone.now()
    fair_choices, closed_fairs = [], []
    upcoming = list(queries.series_fairs(series).filter(event__ends_at__gte=now))
    if not upcoming:
        raise Http404
    for fair in upcoming:
        # A site past its deadline is named with the deadline, never offered in the form.
        fair.closed = services.booking_refusal(fair, now=now)
        if fair.closed is not None:
            closed_fairs.append(fair)
            continue
        stands = list(queries.free_stands(fair).order_by("hall__name", "label"))
        for stand in stands:
            stand.option_label = _option_label(stand)
        fair_choices.append((fair, stands))
    form = SeriesBookingForm(request.POST or None, fairs=fair_choices)
    context = {"series": series, "form": form, "closed_fairs": closed_fairs}
    if not fair_choices:
        status = 409 if request.method == "POST" else 200
        return render(request, "fairs/book_series.html", context, status=status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bookings = services.request_stands(
                company=request.member.company,
                stand_ids=form.stand_ids(),
                extras=form.extras(),
                staff_passes=data["staff_passes"],
                day_contact_name=data["day_contact_name"],
                day_contact_phone=data["day_contact_phone"],
                by=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                ngettext(
                    "Your request for %(count)d stand has been sent to the organiser.",
                    "Your request for %(count)d stands has been sent to the organiser.",
                    len(bookings),
                )
                % {"count": len(bookings)},
            )
            return redirect("fairs:company-home")
    return render(request, "fairs/book_series.html", context)


@company_required
@require_POST
def join_waitlist(request, slug):
    fair = _public_fair(slug)
    form = WaitlistForm(request.POST)
    if form.is_valid():
        try:
            services.join_waitlist(
                company=request.member.company,
                fair=fair,
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Your company is on the waiting list. We will let you know.")
            )
            return redirect("fairs:company-home")
    # Refused: the booking page again, with the wishes that were typed and the reason.
    free = list(queries.free_stands(fair))
    return _book_page(
        request,
        fair,
        form=BookingForm(stand_choices=[(stand.pk, stand.label) for stand in free]),
        free=free,
        closed=services.booking_refusal(fair, now=timezone.now()),
        waitlist_form=form,
        status=400 if form.errors else 200,
    )


@company_required
@require_http_methods(["GET", "POST"])
def respond_to_offer(request, pk):
    entry = get_object_or_404(
        WaitlistEntry.objects.select_related("fair__event__venue", "offered_booking__stand"),
        pk=pk,
        company=request.member.company,
    )
    form = ExtrasForm(request.POST or None)
    if request.method == "POST":
        now = timezone.now()
        try:
            if request.POST.get("action") == "decline":
                services.decline_offer(entry=entry, now=now)
                messages.success(request, _("You have declined the stand."))
                return redirect("fairs:company-home")
            if form.is_valid():
                data = form.cleaned_data
                booking = services.accept_offer(
                    entry=entry,
                    extras=form.extras(),
                    staff_passes=data["staff_passes"],
                    day_contact_name=data["day_contact_name"],
                    day_contact_phone=data["day_contact_phone"],
                    now=now,
                )
                messages.success(request, _("You have accepted the stand."))
                return redirect("fairs:booking-detail", pk=booking.pk)
        except DomainError as error:
            report(request, error)
    return render(request, "fairs/offer.html", {"entry": entry, "form": form})


@company_required
@require_GET
def booking_detail(request, pk):
    booking = get_company_booking_or_404(request.member.company, pk)
    return _detail_page(request, booking, pass_form=StaffPassForm())


def _detail_page(request, booking, *, pass_form, status=200):
    passes = booking.staff_passes.order_by("revoked_at", "name")
    return render(
        request,
        "fairs/booking_detail.html",
        {
            "booking": booking,
            "passes": passes,
            "pass_form": pass_form,
            "can_issue": booking.status == StandBooking.Status.APPROVED
            and passes.filter(revoked_at__isnull=True).count() < booking.staff_pass_count,
            "can_withdraw": booking.is_active
            and (
                booking.fair.cancellation_deadline is None
                or timezone.now() < booking.fair.cancellation_deadline
            ),
            # What other apps add (events_platform.extensions.booking_panels).
            "panels": booking_panels.render(request, booking),
        },
        status=status,
    )


@company_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """GET: what a withdrawal would cost (asked first, works without JavaScript); POST: do it."""
    booking = get_company_booking_or_404(request.member.company, pk)
    if request.method == "GET":
        active_passes = booking.staff_passes.filter(revoked_at__isnull=True).count()
        return render(
            request,
            "fairs/withdraw_confirm.html",
            {"booking": booking, "active_passes": active_passes},
        )
    try:
        services.withdraw_booking(booking=booking, by=request.user, now=timezone.now())
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Your booking has been withdrawn."))
    return redirect("fairs:booking-detail", pk=pk)


def _confirmed_or_404(request, pk) -> StandBooking:
    """The confirmation PDF and the set-up .ics exist only for a confirmed booking: a request,
    a rejected, withdrawn or cancelled booking has nothing to confirm."""
    booking = get_company_booking_or_404(request.member.company, pk)
    if booking.status != StandBooking.Status.APPROVED:
        raise Http404
    return booking


@company_required
@require_GET
def booking_pdf(request, pk):
    booking = _confirmed_or_404(request, pk)
    language = translation.get_language() or "de"
    body = documents.booking_confirmation_pdf(queries.booking_sheet(booking), language=language)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="standbuchung-{booking.pk}.pdf"'
    return response


@company_required
@require_GET
def booking_ics(request, pk):
    booking = _confirmed_or_404(request, pk)
    language = translation.get_language() or "de"
    body = documents.booking_setup_ics(
        queries.booking_sheet(booking), language=language, now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aufbau-{booking.pk}.ics"'
    return response


@company_required
@require_POST
def issue_pass(request, pk):
    booking = get_company_booking_or_404(request.member.company, pk)
    form = StaffPassForm(request.POST)
    if form.is_valid():
        try:
            services.issue_staff_pass(
                booking=booking, name=form.cleaned_data["name"], now=timezone.now()
            )
        except DomainError as error:
            # At the top: the form itself is hidden once no pass may be issued.
            report(request, error)
        else:
            messages.success(request, _("The staff pass has been issued."))
            return redirect("fairs:booking-detail", pk=pk)
    # Refused: the page again with the name that was typed and the reason beside it.
    return _detail_page(request, booking, pass_form=form, status=400)


@company_required
@require_GET
def pass_qr(request, pk):
    staff_pass = get_object_or_404(company_staff_passes(request.member.company), pk=pk)
    if staff_pass.revoked_at:
        raise Http404
    response = HttpResponse(
        documents.staff_pass_qr_png(staff_pass.secret), content_type="image/png"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@company_required
@require_POST
def revoke_pass(request, pk):
    staff_pass = get_object_or_404(company_staff_passes(request.member.company), pk=pk)
    services.revoke_staff_pass(staff_pass=staff_pass, now=timezone.now())
    messages.success(request, _("The staff pass has been revoked."))
    return redirect("fairs:booking-detail", pk=staff_pass.booking_id)
