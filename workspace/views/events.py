"""Workspace pages for events and series: the list, one create-and-edit page per kind, the
preview of a draft, publish and cancel (through the core's lifecycle services), and the
series page with its site events side by side."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checkin import queries as checkin_queries
from checkin.models import CheckinList
from events_platform import access, audit, services
from events_platform import queries as core_queries
from events_platform.models import Event, EventSeries
from events_platform.views import event_page_context
from fairs.models import Fair, StandBooking
from infra.errors import DomainError
from notifications.models import ReminderPlan
from ticketing import queries as ticketing_queries
from ticketing.models import Registration, RegistrationSettings
from ticketing.services import medical_notes_days

from ..forms import (
    FORMSETS,
    KIND_PARTS,
    EventFilterForm,
    EventForm,
    FairForm,
    RegistrationSettingsForm,
    ReminderForm,
    SeriesForm,
    VenueForm,
    formset_names,
)

Kind = Event.Kind


def _organisations(request) -> QuerySet:
    """The user's organisations; a user who organises for none finds no such page (404)."""
    organisations = access.organisations_for(request.user)
    if not organisations.exists():
        raise Http404
    return organisations


def _event(request, pk: int) -> Event:
    return access.get_organiser_event_or_404(request.user, pk=pk)


def _series(request, pk: int) -> EventSeries:
    return get_object_or_404(access.organiser_series(request.user), pk=pk)


# --- the list --------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    """The events of the organiser's organisations: search by name, filter by date, kind and
    status. First (and without a filter) those on today and to come, the next first; the past
    ones on their own, the latest first."""
    _organisations(request)
    form = EventFilterForm(request.GET or None)
    events = access.organiser_events(request.user).select_related("venue", "series")
    when = EventFilterForm.UPCOMING
    if form.is_valid():
        data = form.cleaned_data
        when = data["when"] or EventFilterForm.UPCOMING
        if data["q"]:
            events = events.filter(
                Q(title_de__icontains=data["q"])
                | Q(title_en__icontains=data["q"])
                | Q(venue__town__icontains=data["q"])
            )
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["status"]:
            events = events.filter(status=data["status"])
    today = core_queries.start_of_day(timezone.now())
    if when == EventFilterForm.UPCOMING:
        events = events.filter(ends_at__gte=today).order_by("starts_at", "venue__town")
    elif when == EventFilterForm.PAST:
        events = events.filter(ends_at__lt=today).order_by("-starts_at", "venue__town")
    else:
        events = events.order_by("starts_at", "venue__town")
    return render(
        request,
        "workspace/event_list.html",
        {"form": form, "events": events[:300], "kinds": Kind.choices, "when": when},
    )


@login_required
@require_GET
def event_new(request):
    """Choose the kind of the new event: each kind has its own page."""
    _organisations(request)
    return render(request, "workspace/event_new.html", {"kinds": KIND_DESCRIPTIONS})


KIND_DESCRIPTIONS = [
    (
        Kind.RETURNEE_DAY,
        Kind.RETURNEE_DAY.label,
        gettext_lazy("One site of a returnee day: exhibitors, job offers, walk-ins counted."),
    ),
    (
        Kind.APPRENTICESHIP_FAIR,
        Kind.APPRENTICESHIP_FAIR.label,
        gettext_lazy("Exhibitors with stands, school classes in time slots."),
    ),
    (
        Kind.CAMP,
        Kind.CAMP.label,
        gettext_lazy("Several days with daily hours, for children: parents confirm."),
    ),
    (
        Kind.EXCURSION,
        Kind.EXCURSION.label,
        gettext_lazy("A small group: meeting point, departure and the schools visited."),
    ),
    (
        Kind.CONFERENCE,
        Kind.CONFERENCE.label,
        gettext_lazy("Talks and workshops: each workshop has its own places."),
    ),
    (
        Kind.COMPANY_VISIT,
        Kind.COMPANY_VISIT.label,
        gettext_lazy("A small visit hosted by a company."),
    ),
    (Kind.WORKSHOP, Kind.WORKSHOP.label, gettext_lazy("A workshop with plain registration.")),
]


# --- create and edit, one page per kind ----------------------------------------------------


class EventPage:
    """The forms of one event page, bound together: the event, a new venue, the kind's
    parts (fair, registration rules), reminders and the formsets."""

    def __init__(self, request, *, kind: str, event: Event | None):
        self.kind = kind
        self.event = event
        self.organisations = access.organisations_for(request.user)
        data = request.POST if request.method == "POST" else None
        # The form edits its own copy: a refused POST must not change the event shown in
        # the page's header (its venue, title and status stay as saved).
        instance = Event.objects.get(pk=event.pk) if event else Event(kind=kind)
        self.parts = KIND_PARTS[kind]
        initial = {}
        if event is None and request.GET.get("series", "").isdigit():
            initial["series"] = int(request.GET["series"])  # "add a site" from a series page
        self.form = EventForm(
            data,
            instance=instance,
            initial=initial,
            kind=kind,
            organisations=self.organisations,
        )
        self.venue_form = VenueForm(data, prefix="new_venue")
        fair = Fair.objects.filter(event=event).first() if event else None
        self.fair_form = (
            FairForm(data, instance=fair, prefix="fair") if "fair" in self.parts else None
        )
        settings = RegistrationSettings.objects.filter(event=event).first() if event else None
        self.settings_form = RegistrationSettingsForm(
            data,
            instance=settings or RegistrationSettings(),
            parts=self.parts,
            prefix="rules",
        )
        plan = ReminderPlan.objects.filter(event=event).first() if event else None
        self.plan = plan
        self.reminder_form = ReminderForm(data, kind=kind, plan=plan, prefix="reminders")
        self.formsets = [
            (name, FORMSETS[name](data, instance=instance, prefix=name))
            for name in formset_names(kind)
        ]

    @property
    def forms(self) -> list:
        return [
            form
            for form in (self.form, self.fair_form, self.settings_form, self.reminder_form)
            if form is not None
        ]

    def is_valid(self) -> bool:
        # Every form is checked (not only up to the first invalid one): all errors show.
        results = [form.is_valid() for form in self.forms]
        results += [formset.is_valid() for _name, formset in self.formsets]
        valid = all(results)
        if self.form.is_valid() and not self.form.cleaned_data.get("venue"):
            if self.venue_form.is_empty():
                self.form.add_error("venue", _("Please pick a venue or enter a new one below."))
                valid = False
            elif not self.venue_form.is_valid():
                valid = False
        return valid

    @property
    def new_venue_shown(self) -> bool:
        """The new-venue fields are checked (and their errors shown) only when no venue
        is picked."""
        return self.form.is_bound and not self.form.cleaned_data.get("venue")

    def quiet_venue_form(self) -> VenueForm:
        """The new-venue fields as typed, without errors: they count only when no venue
        is picked."""
        if not self.venue_form.is_bound:
            return self.venue_form
        typed = {name: self.venue_form[name].data for name in self.venue_form.fields}
        return VenueForm(initial=typed, prefix="new_venue")

    @property
    def has_errors(self) -> bool:
        return (
            any(form.errors for form in self.forms)
            or any(formset.total_error_count() for _name, formset in self.formsets)
            or (self.new_venue_shown and bool(self.venue_form.errors))
        )

    @transaction.atomic
    def save(self, *, by) -> Event:
        organisation = (
            self.event.organisation
            if self.event
            else self.form.cleaned_data.get("organisation") or self.organisations.first()
        )
        event = self.form.save(commit=False)
        new_capacity = event.capacity
        if self.event is not None:
            # The capacity is changed by the core's service (it offers freed places to the
            # waiting list); everything else is saved here.
            event.capacity = Event.objects.values_list("capacity", flat=True).get(pk=event.pk)
        event.organisation = organisation
        if not self.form.cleaned_data.get("venue"):
            venue = self.venue_form.save(commit=False)
            venue.organisation = organisation
            venue.save()
            event.venue = venue
        event.save()
        self.form.save_m2m()
        if (
            self.event is not None
            and "capacity" in self.form.fields
            and (new_capacity != event.capacity)
        ):
            services.change_capacity(event=event, capacity=new_capacity, by=by, now=timezone.now())
            event.refresh_from_db()
        if self.fair_form is not None:
            fair = self.fair_form.save(commit=False)
            fair.event = event
            fair.save()
        rules = self.settings_form.save(commit=False)
        rules.event = event
        if "allow_school_classes" in self.settings_form.fields:
            rules.allow_school_classes = self.settings_form.cleaned_data["allow_school_classes"]
        rules.save()
        offsets = self.reminder_form.offsets()
        texts = {
            name: self.reminder_form.cleaned_data[name]
            for name in ("what_to_bring_de", "what_to_bring_en")
        }
        if offsets or any(texts.values()) or self.plan is not None:
            ReminderPlan.objects.update_or_create(
                event=event, defaults={"offsets": offsets, **texts}
            )
        for _name, formset in self.formsets:
            formset.instance = event
            formset.save()
        audit.record_action(
            actor=by,
            organisation=organisation,
            action="event_changed" if self.event else "event_created",
            target=event,
        )
        return event

    SECTIONS = [
        (
            gettext_lazy("Title and description"),
            ["organisation", "title_de", "title_en", "description_de", "description_en", "series"],
        ),
        (gettext_lazy("Date and time"), ["starts_at", "ends_at", "same_hours_daily"]),
        (
            gettext_lazy("Registration"),
            [
                "capacity",
                "registration_required",
                "walk_ins_allowed",
                "registration_opens_at",
                "registration_closes_at",
                "min_age",
                "max_age",
                "target_groups",
            ],
        ),
    ]

    def sections(self) -> list[tuple]:
        """(legend, bound fields) of the event form, only the fields this kind has."""
        return [
            (legend, [self.form[name] for name in names if name in self.form.fields])
            for legend, names in self.SECTIONS
        ]

    def medical_notes_days(self) -> int:
        """The camp's own days until its medical notes are erased, or the platform's."""
        own = self.settings_form.instance.medical_notes_retention_days
        return medical_notes_days() if own is None else own

    def context(self) -> dict:
        venue = self.event.venue if self.event is not None else None
        if self.form.is_bound:
            venue = getattr(self.form, "cleaned_data", {}).get("venue")
        return {
            "sections": self.sections(),
            "kind": self.kind,
            "kind_label": Kind(self.kind).label,
            "event": self.event,
            "form": self.form,
            "venue_form": self.venue_form if self.new_venue_shown else self.quiet_venue_form(),
            "venue_errors_shown": self.new_venue_shown,
            "venue": venue,
            "fair_form": self.fair_form,
            "settings_form": self.settings_form,
            "reminder_form": self.reminder_form,
            "formsets": [(formset.part_label, formset) for _name, formset in self.formsets],
            "medical_notes_days": self.medical_notes_days() if self.kind == Kind.CAMP else None,
            "has_errors": self.has_errors,
            "error_forms": [*self.forms] + ([self.venue_form] if self.new_venue_shown else []),
        }


def _event_page(request, *, kind: str, event: Event | None):
    page = EventPage(request, kind=kind, event=event)
    status = 200
    if request.method == "POST":
        if page.is_valid():
            try:
                saved = page.save(by=request.user)
            except DomainError as error:
                page.form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The event has been saved."))
                return redirect("workspace:event-edit", pk=saved.pk)
        else:
            status = 400
    return render(request, "workspace/event_form.html", page.context(), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, kind):
    """Create an event of one kind, with the fields that kind needs."""
    _organisations(request)
    if kind not in Kind.values:
        raise Http404
    return _event_page(request, kind=kind, event=None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    """Edit an event on the page of its kind."""
    event = _event(request, pk)
    return _event_page(request, kind=event.kind, event=event)


# --- preview, publish, cancel ----------------------------------------------------------


@login_required
@require_GET
def event_preview(request, pk):
    """The public event page rendered for this event, draft or not, with a preview banner:
    for its organisers only."""
    event = _event(request, pk)
    event = (
        Event.objects.select_related("venue", "series")
        .prefetch_related("time_slots", "sessions")
        .get(pk=event.pk)
    )
    # The page as the public will see it once published; this copy is never saved.
    shown = copy.copy(event)
    if shown.status == Event.Status.DRAFT:
        shown.status = Event.Status.PUBLISHED
    shown.places_left = core_queries.places_left([event])[event.pk]
    return render(
        request,
        "workspace/event_preview.html",
        {
            **event_page_context(request, shown),
            "draft": event,
        },
    )


@login_required
@require_POST
def event_publish(request, pk):
    """Publish the event through the core's lifecycle service."""
    event = _event(request, pk)
    try:
        services.publish_event(event=event, by=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The event is published. It now shows in the calendar."))
    return redirect("workspace:event-edit", pk=event.pk)


def who_is_told(event: Event) -> dict[str, int]:
    """Whom cancelling `event` tells: registrations holding a place (and their persons),
    people on the waiting list, and companies with a stand booking."""
    holding = Registration.objects.filter(event=event, status__in=Registration.HOLDING)
    return {
        "registrations": holding.count(),
        "persons": ticketing_queries.persons_held(event),
        "waiting": ticketing_queries.waiting_count(event),
        "exhibitors": StandBooking.objects.filter(fair__event=event, status__in=StandBooking.ACTIVE)
        .values("company")
        .distinct()
        .count(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, pk):
    """Confirm, then cancel the event through the core's lifecycle service (everyone holding
    a place, waiting or exhibiting is told once)."""
    event = _event(request, pk)
    if event.status == Event.Status.CANCELLED:
        messages.info(request, _("This event has already been cancelled."))
        return redirect("workspace:event-edit", pk=event.pk)
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:1000]
        result = services.cancel_event(
            event=event, by=request.user, now=timezone.now(), reason=reason
        )
        told = ngettext(
            "%(count)s person is being told.",
            "%(count)s people are being told.",
            result.people_told,
        ) % {"count": result.people_told}
        exhibitors = ngettext(
            "%(count)s exhibitor is being told.",
            "%(count)s exhibitors are being told.",
            result.exhibitors_told,
        ) % {"count": result.exhibitors_told}
        messages.success(request, " ".join([_("The event is cancelled."), told, exhibitors]))
        return redirect("workspace:event-edit", pk=event.pk)
    return render(
        request, "workspace/event_cancel.html", {"event": event, "told": who_is_told(event)}
    )


# --- series ------------------------------------------------------------------------------


@login_required
@require_GET
def series_list(request):
    """The series of the organiser's organisations."""
    _organisations(request)
    series = access.organiser_series(request.user).order_by("title_de")
    return render(request, "workspace/series_list.html", {"series_list": series})


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request):
    """Start a new series (its site events are added on the event pages)."""
    organisations = _organisations(request)
    form = SeriesForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST":
        if form.is_valid():
            series = form.save(commit=False)
            series.organisation = form.cleaned_data.get("organisation") or organisations.first()
            series.slug = _series_slug(series.title_de)
            series.save()
            audit.record_action(
                actor=request.user,
                organisation=series.organisation,
                action="series_created",
                target=series,
            )
            messages.success(request, _("The series has been created."))
            return redirect("workspace:series-edit", pk=series.pk)
    status = 400 if form.errors else 200
    return render(request, "workspace/series_form.html", {"form": form}, status=status)


def _series_slug(title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:110] or "reihe"
    slug, number = base, 2
    while EventSeries.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def site_figures(series: EventSeries) -> list[dict]:
    """Per site event of the series: registered, capacity, waiting, checked in."""
    events = Event.objects.filter(series=series)
    rows = ticketing_queries.counts_per_site(events)
    lists: dict[int, list] = {}
    for checkin_list in CheckinList.objects.filter(event__series=series):
        lists.setdefault(checkin_list.event_id, []).append(checkin_list)
    for row in rows:
        row["registered"] = row["confirmed"] + row["pending"]
        row["checked_in"] = sum(
            checkin_queries.counters(item).checked_in for item in lists.get(row["event"].pk, [])
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    """Edit the series, with its site events side by side and their numbers."""
    series = _series(request, pk)
    form = SeriesForm(request.POST if request.method == "POST" else None, instance=series)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record_action(
            actor=request.user,
            organisation=series.organisation,
            action="series_changed",
            target=series,
        )
        messages.success(request, _("The series has been saved."))
        return redirect("workspace:series-edit", pk=series.pk)
    return render(
        request,
        "workspace/series_detail.html",
        {"series": series, "form": form, "rows": site_figures(series)},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("veranstaltungen/", event_list, name="event-list"),
    path("veranstaltungen/neu/", event_new, name="event-new"),
    path("veranstaltungen/neu/<str:kind>/", event_create, name="event-create"),
    path("veranstaltungen/<int:pk>/", event_edit, name="event-edit"),
    path("veranstaltungen/<int:pk>/vorschau/", event_preview, name="event-preview"),
    path("veranstaltungen/<int:pk>/veroeffentlichen/", event_publish, name="event-publish"),
    path("veranstaltungen/<int:pk>/absagen/", event_cancel, name="event-cancel"),
    path("reihen/", series_list, name="series-list"),
    path("reihen/neu/", series_create, name="series-create"),
    path("reihen/<int:pk>/", series_edit, name="series-edit"),
]
