"""Visitor pages: register, the ticket and its self-service, the guardian's confirmation."""

import base64

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform import queries as core_queries
from events_platform.extensions import ticket_panels
from events_platform.models import Event
from events_platform.templatetags.event_dates import event_when
from events_platform.ticket_codes import printed_number
from infra.errors import DomainError

from .. import queries, rendering, services
from ..errors import ErrorCode
from ..forms import (
    AnswersForm,
    GuardianConsentForm,
    RegistrationChangeForm,
    RegistrationForm,
    collected_answers,
)
from ..models import Registration, Ticket, VisitorFeed
from ..ratelimit import check_registration_rate, client_ip

# Fields a DomainError code belongs to, so the message appears next to the right field.
ERROR_FIELDS = {
    ErrorCode.SLOT_FULL: "time_slot",
    ErrorCode.SLOT_REQUIRED: "time_slot",
    ErrorCode.SLOT_INVALID: "time_slot",
    ErrorCode.SESSION_FULL: "sessions",
    ErrorCode.EVENT_FULL: "pupils",
    ErrorCode.GROUP_TOO_LARGE: "pupils",
    ErrorCode.ALREADY_CHECKED_IN: "pupils",
    ErrorCode.PUPILS_REQUIRED: "pupils",
    ErrorCode.SESSIONS_OVERLAP: "sessions",
    ErrorCode.SESSION_INVALID: "sessions",
    ErrorCode.AGE_OUT_OF_RANGE: "birth_date",
    ErrorCode.BIRTH_DATE_REQUIRED: "birth_date",
    ErrorCode.PRIVACY_CONSENT_REQUIRED: "privacy_consent",
}


def add_domain_error(form, error: DomainError) -> None:
    """Show a refused use case on the form, beside its field when there is one."""
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, str(error.message))


def ical_event_url(event: Event) -> str:
    """The core's add-to-calendar file of one event, when the core provides it."""
    try:
        return reverse("ical-event", kwargs={"slug": event.slug})
    except NoReverseMatch:
        return ""


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, slug):
    """The registration form of one public event; on success, on to the ticket page."""
    event = get_object_or_404(core_queries.public_events().select_related("venue"), slug=slug)
    school_class = request.GET.get("as") == "class" and queries.school_classes_allowed(event)
    form = RegistrationForm(request.POST or None, event=event, school_class=school_class)
    state = queries.registration_state(event)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            check_registration_rate(ip=client_ip(request), email=form.cleaned_data["email"])
            registration = services.register(event=event, data=form.to_input(), now=timezone.now())
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            return _to_ticket(registration.manage_token, "registered")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "ticketing/register.html",
        {
            "event": event,
            "form": form,
            "state": state,
            "places_left": queries.places_left(event),
            "school_class": school_class,
            "school_classes": queries.school_classes_allowed(event),
            # An excursion's meeting point, departure and stops, as on its public page.
            "settings": queries.settings_for(event),
            "stops": event.excursion_stops.all(),
        },
        status=status,
    )


# Notices shown on the ticket page after an action (through ?notice=, not the session's
# message framework: the page must read the same after a reload, and holds no cookies).
NOTICES = {
    "registered": None,  # the status banner says it
    "saved": gettext_lazy("Your changes have been saved."),
    "changed": gettext_lazy("Your registration has been changed. We have sent you an e-mail."),
    "unchanged": gettext_lazy("You have not changed anything."),
    "cancelled": gettext_lazy("Your registration has been cancelled."),
    "already_cancelled": gettext_lazy("This registration has already been cancelled."),
    "offer_expired": gettext_lazy("This offer has expired."),
    "offer_declined": gettext_lazy(
        "You have declined the place. It goes to the next person on the waiting list."
    ),
    "no_offer": gettext_lazy("There is no open offer for this registration."),
    "link_renewed": gettext_lazy(
        "This is your new link. The previous link no longer works. We have sent the new link "
        "to you by e-mail."
    ),
    "renew_limited": gettext_lazy(
        "You have asked for a new link several times in a short while. Please try again in an hour."
    ),
    "feed_renewed": gettext_lazy(
        "Your calendar link is new. Calendars subscribed with the previous link are no longer "
        "updated: please subscribe again with the new link."
    ),
}


# Notices that say what the status box of an ended registration says, by the status they
# tell of: on such a page the notice takes the status box's place, so the page reads one
# message, not a green one above a red one. Any other notice on an ended registration (or
# one of another status) leads its status box.
ENDING_NOTICES = {
    "cancelled": Registration.Status.CANCELLED,
    "already_cancelled": Registration.Status.CANCELLED,
    "offer_declined": Registration.Status.RELEASED,
}


def _to_ticket(token: str, notice: str):
    return redirect(reverse("ticketing:ticket", kwargs={"token": token}) + f"?notice={notice}")


def status_message(registration: Registration) -> str:
    """What a visitor (or the parent who registered a child) is told right after registering.

    Nothing for a registration awaiting the guardian: the page's status box already says
    who confirms, by when and how, and saying it twice reads as two different steps.
    """
    if queries.for_child(registration):
        return {
            Registration.Status.CONFIRMED: _(
                "Your child is registered. The ticket is below and in your e-mail."
            ),
            Registration.Status.WAITLISTED: _(
                "The event is full. Your child is on the waiting list; you will hear from us "
                "by e-mail."
            ),
            Registration.Status.OFFERED: _(
                "A place is free for your child. Please accept or decline it below."
            ),
        }.get(registration.status, "")
    return {
        Registration.Status.CONFIRMED: _("You are registered. Your ticket is below."),
        Registration.Status.WAITLISTED: _(
            "The event is full. You are on the waiting list and will hear from us."
        ),
        Registration.Status.OFFERED: _(
            "A place is free for you. Please accept or decline it below."
        ),
    }.get(registration.status, "")


def _registration_or_404(token: str) -> Registration:
    registration = queries.registration_by_token(token)
    if registration is None:
        raise Http404
    return registration


def _ticket_context(registration: Registration) -> dict:
    ticket = queries.valid_ticket(registration)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "ticket": ticket,
        "when": event_when(event),
        "ical_url": ical_event_url(event),
        "map_url": event.venue.map_url,
        "settings": queries.settings_for(event),
        "stops": event.excursion_stops.all(),
        "sessions": registration.sessions.all(),
        "feed": queries.feed_for_email(registration.email),
        "change_parts": queries.changeable_parts(registration),
        "for_child": queries.for_child(registration),
        "had_ticket": ticket is not None or registration.tickets.exists(),
    }
    if ticket:
        png = rendering.qr_png(ticket.secret)
        context["qr_data_uri"] = "data:image/png;base64," + base64.b64encode(png).decode()
    if registration.status == Registration.Status.WAITLISTED:
        context["position"] = (
            Registration.objects.filter(
                event=event,
                status=Registration.Status.WAITLISTED,
                waitlisted_at__lte=registration.waitlisted_at,
            )
            .exclude(waitlisted_at=registration.waitlisted_at, pk__gt=registration.pk)
            .count()
        )
    return context


@never_cache
@require_GET
def ticket(request, token):
    """The mobile ticket page behind the secret link: QR code, details, self-service."""
    registration = _registration_or_404(token)
    context = _ticket_context(registration)
    notice = request.GET.get("notice", "")
    text = NOTICES.get(notice) or (status_message(registration) if notice == "registered" else "")
    if registration.is_active:
        context["notice"] = text
    else:
        # One box for an ended registration: the notice goes into its status box.
        context["status_notice"] = text
        context["notice_says_status"] = ENDING_NOTICES.get(notice) == registration.status
        context.update(_after_the_end(registration))
    # What other apps add (the stand contacts the visitor shared …): events_platform.extensions.
    context["panels"] = ticket_panels.render(request, registration)
    # Referrer-Policy: no-referrer, noindex and no-store come from SecretLinkMiddleware.
    return render(request, "ticketing/ticket.html", context)


def _after_the_end(registration: Registration) -> dict:
    """Where a cancelled or released registration's page leads: back to the event's public
    page, and to its registration form while registration is open."""
    event = registration.event
    if event.status not in Event.PUBLIC_STATUSES:
        return {}
    context = {"event_url": event.get_absolute_url()}
    if queries.registration_state(event) == core_queries.RegistrationState.OPEN:
        url = reverse("ticketing:register", kwargs={"slug": event.slug})
        if registration.kind == Registration.Kind.SCHOOL_CLASS and (
            queries.school_classes_allowed(event)
        ):
            url += "?as=class"
        context["register_url"] = url
    return context


def _ticket_print(ticket: Ticket) -> rendering.TicketPrint:
    event = ticket.event
    registration = ticket.registration
    return rendering.TicketPrint(
        heading=_("Ticket"),
        event_title=event.title,
        when=event_when(event),
        venue=f"{event.venue.name}, {event.venue.address}",
        holder=registration.school or registration.name,
        admits=ngettext("Admits %(count)s person", "Admits %(count)s persons", ticket.headcount)
        % {"count": ticket.headcount},
        serial=_("Ticket number %(serial)s") % {"serial": printed_number(ticket.serial)},
        secret=ticket.secret,
        footer=settings.SITE_URL,
    )


@never_cache
@require_GET
def ticket_pdf(request, token):
    """The printable PDF ticket."""
    registration = _registration_or_404(token)
    valid = queries.valid_ticket(registration)
    if valid is None:
        raise Http404
    response = HttpResponse(
        rendering.ticket_pdf(_ticket_print(valid)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="ticket-{registration.event.slug}.pdf"'
    return response


@csrf_exempt  # the token in the address authorises (secret_links.py)
@never_cache
@require_http_methods(["GET", "POST"])
def ticket_edit(request, token):
    """Self-service: change the answers, contact details and consents of a registration."""
    registration = _registration_or_404(token)
    if not registration.is_active:
        return _to_ticket(token, "already_cancelled")
    form = AnswersForm(request.POST or None, registration=registration, now=timezone.now())
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_answers(
                registration=registration,
                answers=collected_answers(form.cleaned_data),
                phone=form.cleaned_data["phone"],
                postcode=form.cleaned_data.get("postcode"),
                emergency_contact=form.cleaned_data.get("emergency_contact"),
                medical_notes=form.cleaned_data.get("medical_notes"),
                share_contact_consent=form.cleaned_data.get(
                    "share_contact_consent", registration.share_contact_consent
                ),
                # None where the form does not ask (the guardian decided): left as it is.
                photo_consent=form.cleaned_data.get("photo_consent"),
                now=timezone.now(),
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            return _to_ticket(token, "saved")
    return render(
        request,
        "ticketing/ticket_edit.html",
        {"registration": registration, "event": registration.event, "form": form},
        status=status,
    )


def _parts(registration: Registration) -> tuple:
    return (
        registration.time_slot_id,
        sorted(registration.sessions.values_list("pk", flat=True)),
        registration.pupils,
        registration.adults,
    )


@csrf_exempt  # the token in the address authorises (secret_links.py)
@never_cache
@require_http_methods(["GET", "POST"])
def ticket_change(request, token):
    """Self-service: a teacher changes the class size or the slot; a visitor the slot or the
    workshops. Whatever was typed stays on the form when the change does not fit."""
    registration = _registration_or_404(token)
    if not registration.is_active:
        return _to_ticket(token, "already_cancelled")
    form = RegistrationChangeForm(request.POST or None, registration=registration)
    status = 200
    if request.method == "POST" and form.is_valid():
        before = _parts(registration)
        try:
            changed = services.change_registration(
                registration=registration, now=timezone.now(), **form.change()
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            return _to_ticket(token, "changed" if _parts(changed) != before else "unchanged")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "ticketing/ticket_change.html",
        {
            "registration": registration,
            "event": registration.event,
            "form": form,
            "state": queries.registration_state(registration.event),
            "parts": queries.changeable_parts(registration),
        },
        status=status,
    )


@csrf_exempt  # the token in the address authorises (secret_links.py)
@never_cache
@require_http_methods(["GET", "POST"])
def ticket_cancel(request, token):
    """Self-service: cancel; the place goes to the waiting list."""
    registration = _registration_or_404(token)
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration, now=timezone.now())
        except DomainError as error:
            return _to_ticket(token, error.code)
        return _to_ticket(token, "cancelled")
    return render(
        request,
        "ticketing/ticket_cancel.html",
        {"registration": registration, "event": registration.event},
    )


@csrf_exempt  # the token in the address authorises (secret_links.py)
@require_POST
def offer_accept(request, token):
    """Take up a waiting-list offer."""
    registration = _registration_or_404(token)
    try:
        services.accept_offer(registration=registration, now=timezone.now())
    except DomainError as error:
        return _to_ticket(token, error.code)
    return _to_ticket(token, "registered")


@csrf_exempt  # the token in the address authorises (secret_links.py)
@require_POST
def offer_decline(request, token):
    """Turn down a waiting-list offer; the place goes to the next person waiting."""
    registration = _registration_or_404(token)
    try:
        services.decline_offer(registration=registration, now=timezone.now())
    except DomainError as error:
        return _to_ticket(token, error.code)
    return _to_ticket(token, "offer_declined")


@require_GET
def personal_feed(request, token):
    """The personal iCalendar feed of every event an e-mail address is registered for."""
    feed = get_object_or_404(VisitorFeed, token=token)
    entries = [
        rendering.CalendarEntry(
            uid=rendering.calendar_uid(str(registration.event.uid), settings.SITE_URL),
            title=registration.event.title,
            starts_at=registration.event.starts_at,
            ends_at=registration.event.ends_at,
            all_day=registration.event.all_day,
            daily=registration.event.has_daily_hours,
            location=f"{registration.event.venue.name}, {registration.event.venue.address}",
            url=settings.SITE_URL
            + reverse("ticketing:ticket", kwargs={"token": registration.manage_token}),
            description=_("Your ticket: %(url)s")
            % {
                "url": settings.SITE_URL
                + reverse("ticketing:ticket", kwargs={"token": registration.manage_token})
            },
            updated_at=registration.event.updated_at,
        )
        for registration in queries.feed_registrations(feed)
    ]
    body = rendering.personal_calendar(
        entries, name=_("My events"), reminder=_("Tomorrow: your event")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meine-veranstaltungen.ics"'
    return response


@csrf_exempt  # the token in the address authorises (secret_links.py)
@never_cache
@require_http_methods(["GET", "POST"])
def guardian_confirm(request, token):
    """A parent or guardian confirms a minor's camp place (link from the e-mail)."""
    registration = Registration.objects.filter(guardian_token=token).first() if token else None
    initial = {}
    if registration:
        initial = {
            "guardian_name": registration.guardian_name,
            "photo_consent": registration.photo_consent,
        }
    form = GuardianConsentForm(request.POST or None, initial=initial)
    done = declined = False
    status = 200 if registration else 404
    if registration and request.method == "POST" and "decline" in request.POST:
        # Declining needs no ticked box: the form's fields are for confirming.
        form = GuardianConsentForm(initial=initial)
        try:
            registration = services.decline_guardian_consent(token=token, now=timezone.now())
            declined = True
        except DomainError as error:
            form.add_error(None, str(error.message))
            registration.refresh_from_db()
            status = error.status
    elif registration and request.method == "POST" and form.is_valid():
        try:
            registration = services.confirm_guardian_consent(
                token=token,
                photo_consent=form.cleaned_data["photo_consent"],
                guardian_name=form.cleaned_data["guardian_name"],
                now=timezone.now(),
            )
            done = True
        except DomainError as error:
            form.add_error(None, str(error.message))
            registration.refresh_from_db()
            status = error.status
    return render(
        request,
        "ticketing/guardian_confirm.html",
        {
            "registration": registration,
            "form": form,
            "done": done,
            "declined": declined,
            "for_child": registration is not None and queries.for_child(registration),
            # The confirmed place's ticket page, for a guardian who already has its link.
            "ticket_link": registration is not None
            and queries.guardian_holds_manage_link(registration),
        },
        status=status,
    )


def registration_actions(request, event) -> str:
    """The event page's registration section: Register (or waiting-list) buttons, places left,
    the waiting-list note and an excursion's facts (events_platform.extensions.event_actions)."""
    places_left = queries.places_left(event)
    return render_to_string(
        "ticketing/_registration_actions.html",
        {
            "event": event,
            "state": core_queries.registration_state(event),
            "places_left": places_left,
            "waiting": queries.waiting_count(event) if places_left == 0 else 0,
            "school_classes": queries.school_classes_allowed(event),
            "settings": queries.settings_for(event),
            "stops": list(event.excursion_stops.all()),
        },
        request=request,
    )
