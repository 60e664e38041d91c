"""Organiser pages: registrations per event, slot and session; add, cancel, export."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform import access
from infra.errors import DomainError

from .. import exports, queries, services
from ..forms import RegistrationFilterForm, RegistrationForm
from ..models import Registration
from .visitor import add_domain_error


@login_required
@require_GET
def overview(request):
    """The organiser's events with registrations and places per site."""
    events = access.organiser_events(request.user).filter(
        ends_at__gte=timezone.now() - timedelta(days=60)
    )
    return render(
        request, "ticketing/organiser/overview.html", {"rows": queries.counts_per_site(events)}
    )


@login_required
@require_GET
def registration_list(request, event_id):
    """Search and filter the registrations of one event."""
    event = access.get_organiser_event_or_404(request.user, pk=event_id)
    form = RegistrationFilterForm(request.GET or None, event=event)
    registrations = queries.event_registrations(event, form.filters())
    slots = queries.slot_places(event) if queries.slots_are_choices(event) else []
    sessions = queries.session_places(event)
    return render(
        request,
        "ticketing/organiser/list.html",
        {
            "event": event,
            "form": form,
            "registrations": registrations[:500],
            "total": registrations.count(),
            "places_left": queries.places_left(event),
            "held": queries.persons_held(event),
            # A camp's days are everyone's: their places are the camp's, shown above.
            "slots": slots,
            "sessions": sessions,
            # Columns for slots and workshops only where registrants choose them.
            "columns": 5 + bool(slots) + bool(sessions),
            "query_string": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_add(request, event_id):
    """Add a registration by hand (telephone, paper form); capacity still holds."""
    event = access.get_organiser_event_or_404(request.user, pk=event_id)
    school_class = request.GET.get("as") == "class" and queries.school_classes_allowed(event)
    form = RegistrationForm(
        request.POST or None, event=event, school_class=school_class, for_organiser=True
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                event=event, data=form.to_input(), now=timezone.now(), by_organiser=True
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.status
        else:
            return redirect(
                reverse("ticketing:organiser-detail", kwargs={"pk": registration.pk})
                + "?notice=added"
            )
    return render(
        request,
        "ticketing/organiser/add.html",
        {"event": event, "form": form, "school_class": school_class},
        status=status,
    )


@login_required
@require_GET
def registration_export(request, event_id, fmt):
    """The general export (CSV or XLSX) of the filtered list, without medical notes."""
    if fmt not in exports.FORMATS:
        raise Http404
    event = access.get_organiser_event_or_404(request.user, pk=event_id)
    form = RegistrationFilterForm(request.GET or None, event=event)
    export = services.export_registrations(
        event=event, filters=form.filters(), file_format=fmt, by=request.user
    )
    return export.as_attachment()


NOTICES = {
    "added": gettext_lazy("The registration has been added."),
    "cancelled": gettext_lazy("The registration has been cancelled."),
    "already_cancelled": gettext_lazy("This registration has already been cancelled."),
    "link_renewed": gettext_lazy(
        "The registration has a new link. The previous one no longer works. The visitor has "
        "been sent the new link by e-mail."
    ),
}


def _organiser_registration(request, pk) -> Registration:
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    access.get_organiser_event_or_404(request.user, pk=registration.event_id)
    return registration


@login_required
@require_GET
def registration_detail(request, pk):
    """One registration with everything, medical notes included, for this event's organiser."""
    registration = _organiser_registration(request, pk)
    questions = [
        (question.label, registration.answers.get(str(question.pk)))
        for question in queries.event_questions(registration.event)
    ]
    return render(
        request,
        "ticketing/organiser/detail.html",
        {
            "registration": registration,
            "event": registration.event,
            "questions": questions,
            "ticket": queries.valid_ticket(registration),
            "consents": _consent_history(registration),
            "notice": NOTICES.get(request.GET.get("notice", ""), ""),
        },
    )


def _consent_history(registration: Registration) -> list:
    """Every consent record, the oldest first; each marks whether a later record of its
    topic replaced it (a guardian confirms the photo consent given on the form, a visitor
    withdraws one): the latest of a topic is the one that counts."""
    records = list(registration.consents.order_by("given_at", "pk"))
    latest = {record.topic: record.pk for record in records}
    for record in records:
        record.replaced = latest[record.topic] != record.pk
    return records


@login_required
@require_POST
def registration_cancel(request, pk):
    """Cancel a registration as the organiser; the place goes to the waiting list."""
    registration = _organiser_registration(request, pk)
    notice = "cancelled"
    try:
        services.cancel_registration(
            registration=registration, now=timezone.now(), by_organiser=True
        )
    except DomainError as error:
        notice = error.code
    return redirect(
        reverse("ticketing:organiser-detail", kwargs={"pk": registration.pk}) + f"?notice={notice}"
    )
