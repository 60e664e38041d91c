"""Public pages: the exhibitor directory and the job wall, per event and per series, and
the panels the core shows on its event and series pages, and a hall's background image."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from events_platform import access as core_access
from events_platform import queries as core_queries
from events_platform.extensions import job_offer_actions
from events_platform.models import Event

from .. import queries, services
from ..access import membership_for, organiser_bookings, organiser_fairs
from ..forms import DirectoryFilterForm
from ..models import Fair, Hall, StandBooking


def _filters(request, sites) -> tuple[DirectoryFilterForm, queries.DirectoryFilter]:
    form = DirectoryFilterForm(request.GET or None, sites=sites)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, queries.DirectoryFilter(
            query=data["q"].strip(),
            sector=data["sector"],
            kind=data["kind"],
            site=data.get("site", ""),
        )
    return form, queries.DirectoryFilter()


def _scope(kind: str, slug: str) -> dict:
    if kind == "event":
        event = get_object_or_404(core_queries.public_events(), slug=slug)
        return {"event": event, "series": None, "title": event.title_with_town}
    series = get_object_or_404(core_queries.public_series(), slug=slug)
    return {"event": None, "series": series, "title": series.title}


@require_GET
def exhibitors(request, slug, scope="event"):
    context = _scope(scope, slug)
    sites = queries.sites(event=context["event"], series=context["series"])
    form, filters = _filters(request, sites)
    companies = queries.exhibitors(
        event=context["event"], series=context["series"], filters=filters
    )
    page = Paginator(companies, 30).get_page(request.GET.get("page"))
    events = [context["event"]] if context["event"] else list(context["series"].events.published())
    for company in page:
        company.sites = queries.exhibitor_sites(company, events)
    return render(
        request,
        "fairs/exhibitors.html",
        context | {"form": form, "page": page, "show_sites": scope == "series"},
    )


@require_GET
def job_wall(request, slug, scope="event"):
    context = _scope(scope, slug)
    sites = queries.sites(event=context["event"], series=context["series"])
    form, filters = _filters(request, sites)
    offers = queries.job_wall(event=context["event"], series=context["series"], filters=filters)
    page = Paginator(offers, 30).get_page(request.GET.get("page"))
    if context["series"] is not None:
        for offer in page:
            offer.sites = sorted(
                {e.venue.town for e in offer.events.all() if e.series_id == context["series"].pk}
            )
    for offer in page:
        offer.wall_event = context["event"]
        offer.actions = job_offer_actions.render(request, offer)
    return render(
        request,
        "fairs/job_wall.html",
        context | {"form": form, "page": page, "show_sites": scope == "series"},
    )


def event_panel(request, event) -> str | None:
    """The exhibitor panel of the public event page: counts and links; None without a fair."""
    fair = Fair.objects.filter(event=event).first()
    if fair is None:
        return None
    confirmed = StandBooking.objects.filter(fair=fair, status=StandBooking.Status.APPROVED)
    return render_to_string(
        "fairs/_event_panel.html",
        {
            "event": event,
            "fair": fair,
            "exhibitor_count": confirmed.values("company").distinct().count(),
            "offer_count": queries.job_wall(event=event, filters=queries.DirectoryFilter()).count(),
            "has_free": queries.fair_has_free_stand(fair),
            "closed": services.booking_refusal(fair, now=timezone.now()),
        },
        request=request,
    )


def series_panel(request, series) -> str | None:
    """The exhibitor panel of the public series page; None when no event has a fair."""
    fairs = list(queries.series_fairs(series))
    if not fairs:
        return None
    now = timezone.now()
    return render_to_string(
        "fairs/_series_panel.html",
        {
            "series": series,
            "fairs": fairs,
            "booking_open": any(services.booking_refusal(fair, now=now) is None for fair in fairs),
            "offer_count": queries.job_wall(
                series=series, filters=queries.DirectoryFilter()
            ).count(),
        },
        request=request,
    )


def nav_items(request) -> list[tuple[str, str]]:
    """The exhibitor links of the main navigation: for everyone, and for companies."""
    items = [(_("Exhibitors"), reverse("fairs:fair-list"))]
    if request.user.is_authenticated and membership_for(request.user) is not None:
        items.append((_("Company area"), reverse("fairs:company-home")))
    return items


def organiser_menu_items(request) -> list[tuple[str, str]]:
    """The organiser's link to fairs, stand plans and bookings, with the open requests."""
    if not (request.user.is_authenticated and core_access.is_organiser(request.user)):
        return []
    # The open requests waiting for a decision, counted in the menu on every page.
    open_requests = (
        organiser_bookings(request.user).filter(status=StandBooking.Status.REQUESTED).count()
    )
    label = _("Stand bookings")
    if open_requests:
        label = ngettext(
            "Stand bookings (%(count)s open request)",
            "Stand bookings (%(count)s open requests)",
            open_requests,
        ) % {"count": open_requests}
    return [(label, reverse("fairs:organiser-fairs"))]


@require_GET
def hall_background(request, pk):
    """A hall's background image (always a PNG re-encoded on upload, never HTML): for
    everyone once its event is out, before that only for the event's organisers."""
    hall = get_object_or_404(Hall.objects.select_related("fair__event"), pk=pk)
    event = hall.fair.event
    public = event.status != Event.Status.DRAFT
    if not hall.background or not (
        public or organiser_fairs(request.user).filter(pk=hall.fair_id).exists()
    ):
        raise Http404
    response = FileResponse(hall.background.open("rb"), content_type="image/png")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = ("public" if public else "private") + ", max-age=3600"
    return response
