"""The organiser's live check-in view per series and site: figures, arrivals per quarter
hour, entrances, no-shows, conflicts, devices and their pairing, attendance export.
Scoped with events_platform.access: another organisation's event answers 404."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from checkin.forms import AssignStaffForm, EntranceForm, PairingForm
from checkin.models import Assignment, CheckinList
from checkin.qr import qr_data_uri
from events_platform import access, audit
from events_platform.models import Event, Membership
from infra import exports
from infra.errors import DomainError
from infra.input_limits import EARLIEST, LATEST

from . import queries, services


def _event(request, pk):
    return access.get_organiser_event_or_404(request.user, pk=pk)


def _list(event, request) -> CheckinList:
    lists = services.ensure_checkin_lists(event=event)
    wanted = request.GET.get("list", "")
    for item in lists:
        if str(item.pk) == wanted:
            return item
    return queries.list_for_moment(event, timezone.now()) or lists[0]


def _wanted_day(request) -> date | None:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _figures(checkin_list: CheckinList, request) -> dict:
    """The counters and one day's arrivals (the chart shows a day at a time, so it stays one
    screen high however many days the list spans), from the same movements."""
    moves = queries.movements(checkin_list)
    today = timezone.localdate()
    day = queries.arrivals_day(moves, today, _wanted_day(request))
    arrivals = moves.arrivals(day) if day else []
    return {
        "counters": queries.counters(checkin_list, moves=moves).as_dict(),
        "day": day.isoformat() if day else None,
        "days": [item.isoformat() for item in moves.days()],
        "arrivals": {"labels": [t for t, _n in arrivals], "values": [n for _t, n in arrivals]},
        "entered": moves.entered,
        "exits": moves.exits,
        "rows": arrivals,
        "moves": moves,
    }


@login_required
@require_GET
def series_overview(request, pk):
    """Every site of a series with its live figures."""
    series = get_object_or_404(access.organiser_series(request.user), pk=pk)
    events = list(
        series.events.exclude(status=Event.Status.DRAFT)
        .select_related("venue")
        .order_by("starts_at", "venue__town", "pk")
    )
    # The same counts as the figures for funders (figures/definitions.py reads them).
    door = queries.event_door_figures([event.pk for event in events])
    sites = [{"event": event, "counters": door[event.pk]} for event in events]
    return render(request, "checkin/series.html", {"series": series, "sites": sites})


@login_required
@require_GET
def event_overview(request, pk):
    """The live check-in view of one site event (one day of a camp)."""
    event = _event(request, pk)
    checkin_list = _list(event, request)
    no_shows = queries.no_shows(checkin_list)
    figures = _figures(checkin_list, request)
    return render(
        request,
        "checkin/event.html",
        {
            "event": event,
            "checkin_list": checkin_list,
            "lists": event.checkin_lists.all(),
            "figures": _json_figures(figures),
            "arrivals": figures["rows"],
            "arrival_day": date.fromisoformat(figures["day"]) if figures["day"] else None,
            "arrival_days": figures["moves"].days(),
            "per_entrance": queries.per_entrance(checkin_list),
            # Before the start everyone is simply expected, not a no-show.
            "no_show_count": no_shows.count() if timezone.now() >= checkin_list.begins_at else None,
            "no_shows": no_shows[:100],
            "conflicts": queries.conflicts(checkin_list)[:100],
            "devices": event.checkin_devices.select_related("entrance", "paired_by"),
            "now": timezone.now(),
            "entrances": event.entrances.all(),
            "staff": Assignment.objects.filter(event=event).select_related("user"),
            "pairing_form": PairingForm(event=event),
            "entrance_form": EntranceForm(),
            "staff_form": AssignStaffForm(),
        },
    )


@login_required
@require_GET
def event_figures(request, pk):
    """The live figures as JSON, for the view's chart and counters to refresh."""
    event = _event(request, pk)
    return JsonResponse(_json_figures(_figures(_list(event, request), request)))


JSON_FIGURES = ("counters", "day", "days", "arrivals", "entered", "exits")


def _json_figures(figures: dict) -> dict:
    """What the page's script reads (its first figures, and every refresh)."""
    return {key: figures[key] for key in JSON_FIGURES}


@login_required
@require_GET
def attendance_csv(request, pk):
    """Attendance of one list (one day of a camp) as CSV."""
    event = _event(request, pk)
    checkin_list = _list(event, request)
    day = checkin_list.day.isoformat() if checkin_list.day else "event"
    header = [
        _("Ticket number"),
        _("Name"),
        _("Kind"),
        _("Persons"),
        _("First entry"),
        _("Entrance"),
        _("Inside"),
    ]
    rows = queries.attendance_rows(checkin_list)
    body = exports.csv_bytes(header, [row[:6] + [_("yes") if row[6] else _("no")] for row in rows])
    response = HttpResponse(body, content_type=exports.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.slug}-{day}.csv"'
    audit.record_action(
        actor=request.user,
        organisation=event.organisation,
        action="attendance_exported",
        target=checkin_list,
        details={"rows": len(rows)},
    )
    return response


@login_required
@require_GET
def pairing(request, pk):
    """A pairing QR code: a phone scans it and becomes a scanner for this event."""
    event = _event(request, pk)
    form = PairingForm(request.GET or None, event=event)
    entrance = form.cleaned_data["entrance"] if form.is_valid() else None
    token = services.pairing_token(event=event, entrance=entrance)
    link = settings.SITE_URL + reverse("checkin:pair", kwargs={"token": token})
    return render(
        request,
        "checkin/pairing.html",
        {
            "event": event,
            "entrance": entrance,
            "link": link,
            "qr": qr_data_uri(link),
            "minutes": services.PAIRING_SECONDS // 60,
        },
    )


def _back(event):
    return redirect("checkin:event", pk=event.pk)


@login_required
@require_POST
def add_entrance(request, pk):
    event = _event(request, pk)
    form = EntranceForm(request.POST)
    if form.is_valid():
        try:
            services.add_entrance(event=event, name=form.cleaned_data["name"])
            messages.success(request, _("The entrance was added."))
        except DomainError as error:
            messages.error(request, error.message)
    return _back(event)


@login_required
@require_POST
def assign_staff(request, pk):
    event = _event(request, pk)
    form = AssignStaffForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("username", [])))
        return _back(event)
    user = form.cleaned_data["username"]
    member = Membership.objects.filter(
        user=user, organisation=event.organisation, role=Membership.Role.CHECKIN_STAFF
    ).exists()
    if not member:
        messages.error(request, _("This person is not check-in staff of your organisation."))
        return _back(event)
    services.assign_staff(event=event, user=user)
    messages.success(request, _("The staff member may now check people in for this event."))
    return _back(event)


@login_required
@require_POST
def revoke_device(request, pk, device_pk):
    event = _event(request, pk)
    device = get_object_or_404(event.checkin_devices, pk=device_pk)
    services.revoke_device(device=device, now=timezone.now())
    audit.record_action(
        actor=request.user, organisation=event.organisation, action="device_revoked", target=device
    )
    messages.success(request, _("The device was revoked: it can no longer scan."))
    return _back(event)
