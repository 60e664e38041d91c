"""Next year's edition in the workspace: "Copy this edition" for a series (all its sites) or a
single event, with a date picker for the new first day, a suggested title and a summary of
what is copied; the copy itself is the core's service (events_platform/editions.py)."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from checkin.models import CheckinList, Entrance
from events_platform import access, editions
from events_platform.models import Event, Session, TimeSlot
from fairs.models import Hall, Stand
from infra.dates import years_after
from infra.errors import DomainError
from notifications import invitations
from notifications.models import ReminderPlan
from ticketing.models import Question


class EditionForm(forms.Form):
    starts_on = forms.DateField(
        label=gettext_lazy("First day of the new edition"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    title_de = forms.CharField(label=gettext_lazy("Title (German)"), max_length=200)

    def clean_starts_on(self) -> date:
        starts_on = self.cleaned_data["starts_on"]
        if not 2000 <= starts_on.year <= 2100:
            raise forms.ValidationError(_("Please choose a date between 2000 and 2100."))
        return starts_on


def copied_counts(events) -> list[tuple[str, int]]:
    """What the copy carries, counted: sites, slots, workshops, questions, reminder plans,
    halls, stands, entrances, check-in lists (rows with a count of 0 left out)."""
    ids = [event.pk for event in events]
    rows = [
        (_("Events (sites)"), len(ids)),
        (_("Time slots"), TimeSlot.objects.filter(event__in=ids).count()),
        (_("Workshops"), Session.objects.filter(event__in=ids).count()),
        (_("Questions"), Question.objects.filter(event__in=ids).count()),
        (_("Reminder plans"), ReminderPlan.objects.filter(event__in=ids).count()),
        (_("Halls"), Hall.objects.filter(fair__event__in=ids).count()),
        (_("Stands"), Stand.objects.filter(hall__fair__event__in=ids).count()),
        (_("Entrances"), Entrance.objects.filter(event__in=ids).count()),
        (_("Check-in lists"), CheckinList.objects.filter(event__in=ids).count()),
    ]
    return [(label, count) for label, count in rows if count]


def _copy_page(request, *, source, events, copy):
    """The shared page: the form on GET, the copy and a redirect to the new draft on POST."""
    first = min((event.starts_at for event in events), default=None)
    first_day = editions.first_day(events[0]) if first else timezone.localdate()
    initial = {
        "starts_on": years_after(first_day, 1),
        "title_de": editions.next_title(source.title_de, year=first_day.year + 1),
    }
    form = EditionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = copy(
                starts_on=form.cleaned_data["starts_on"],
                title_de=form.cleaned_data["title_de"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The new edition has been created as a draft. Check it, then publish.")
            )
            if isinstance(new, Event):
                return redirect("workspace:event-edit", pk=new.pk)
            return redirect("workspace:series-edit", pk=new.pk)
    return render(
        request,
        "workspace/edition_copy.html",
        {
            "form": form,
            "source": source,
            "events": events,
            "counts": copied_counts(events),
            "is_series": not isinstance(source, Event),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_copy(request, pk):
    """Copy a series with all its site events as next year's draft edition."""
    series = get_object_or_404(access.organiser_series(request.user), pk=pk)
    events = list(
        series.events.exclude(status=Event.Status.CANCELLED)
        .select_related("venue")
        .order_by("starts_at", "pk")
    )

    def copy(**data):
        return editions.copy_series(series=series, by=request.user, now=timezone.now(), **data)

    return _copy_page(request, source=series, events=events, copy=copy)


@login_required
@require_http_methods(["GET", "POST"])
def event_copy(request, pk):
    """Copy a single event as a new draft on a chosen date."""
    event = access.get_organiser_event_or_404(request.user, pk=pk)

    def copy(**data):
        return editions.copy_event(event=event, by=request.user, now=timezone.now(), **data)

    return _copy_page(request, source=event, events=[event], copy=copy)


def _invite_page(request, *, source, events):
    """Invite last edition's exhibitors of `events` (each copied from an earlier edition):
    GET lists the companies (the confirmation), who was invited when and who has rebooked;
    POST writes the invitations (once per company and event) and comes back here."""
    sites = []
    for event in events:
        rows = invitations.exhibitors(event)
        if rows:
            sites.append({"event": event, "rows": rows, "earlier": event.copied_from})
    errors = []
    if request.method == "POST":
        written = 0
        for site in sites:
            try:
                written += invitations.invite_exhibitors(
                    new_event=site["event"], by=request.user, now=timezone.now()
                )
            except DomainError as error:
                errors.append(f"{site['event'].title_with_town}: {error.message}")
        if not errors and sites:
            messages.success(
                request,
                ngettext(
                    "%(count)d invitation has been queued for sending.",
                    "%(count)d invitations have been queued for sending.",
                    written,
                )
                % {"count": written},
            )
        if not errors:
            return redirect(request.path)
    pending = sum(1 for site in sites for row in site["rows"] if row.invited_at is None)
    return render(
        request,
        "workspace/edition_invite.html",
        {
            "source": source,
            "is_series": not isinstance(source, Event),
            "sites": sites,
            "pending": pending,
            "errors": errors,
        },
        status=409 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_invite(request, pk):
    """Invite the exhibitors of the earlier edition of every site of a copied series."""
    series = get_object_or_404(access.organiser_series(request.user), pk=pk)
    events = list(
        series.events.exclude(status=Event.Status.CANCELLED)
        .select_related("venue", "copied_from__venue")
        .order_by("starts_at", "pk")
    )
    return _invite_page(request, source=series, events=events)


@login_required
@require_http_methods(["GET", "POST"])
def event_invite(request, pk):
    """Invite the exhibitors of the edition this event was copied from."""
    event = access.get_organiser_event_or_404(request.user, pk=pk)
    return _invite_page(request, source=event, events=[event])


urlpatterns = [
    path("veranstaltungen/<int:pk>/kopieren/", event_copy, name="event-copy"),
    path("reihen/<int:pk>/kopieren/", series_copy, name="series-copy"),
    path("veranstaltungen/<int:pk>/aussteller-einladen/", event_invite, name="edition-invite"),
    path("reihen/<int:pk>/aussteller-einladen/", series_invite, name="series-invite"),
]
