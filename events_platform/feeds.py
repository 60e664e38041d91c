"""Calendar files of the public calendar: one .ics per event and subscribable feeds.

The URLs carry no language prefix, because a subscription must not change with the site's
language switch: the language comes from `?lang=en`, else the language cookie or the
Accept-Language header, else German.
"""

import hashlib
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from infra.http import request_language

from . import ical, queries
from .models import Event

# Feeds keep recent events, so a subscriber still sees what happened last month.
FEED_PAST = timedelta(days=30)
# Short enough that a cancellation reaches subscribers soon; the ETag saves the bytes.
MAX_AGE = 15 * 60


def _feed_events(*, now: datetime) -> QuerySet:
    """Public events (published or cancelled) that ended at most FEED_PAST ago."""
    return queries.public_events().filter(ends_at__gte=now - FEED_PAST).order_by("starts_at", "pk")


def _ics_response(
    request: HttpRequest, body: bytes, *, filename: str, language: str, attachment: bool
) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["Content-Language"] = language
    # The body depends only on the data (DTSTAMP is the last revision), so its hash is a
    # strong ETag and a client that polls gets 304 until something changed.
    response["ETag"] = quote_etag(hashlib.sha256(body).hexdigest()[:40])
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _feed(request: HttpRequest, events: QuerySet, *, name, filename: str) -> HttpResponse:
    language = request_language(request)
    with translation.override(language):
        body = ical.calendar_bytes(events, name=str(name))
    return _ics_response(request, body, filename=filename, language=language, attachment=False)


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One public event as an .ics file to download and import."""
    event = get_object_or_404(queries.public_events(), slug=slug)
    language = request_language(request)
    with translation.override(language):
        body = ical.event_bytes(event)
    return _ics_response(
        request, body, filename=f"{event.slug}.ics", language=language, attachment=True
    )


@require_safe
def series_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The feed of one series' public events."""
    series = get_object_or_404(queries.public_series(), slug=slug)
    events = _feed_events(now=timezone.now()).filter(series=series)
    language = request_language(request)
    with translation.override(language):
        name = series.title
    return _feed(request, events, name=name, filename=f"{series.slug}.ics")


@require_safe
def town_feed(request: HttpRequest, town: str) -> HttpResponse:
    """The feed of the public events in one town (404 for a town without any)."""
    towns = {known.casefold(): known for known in queries.public_towns()}
    known = towns.get(town.casefold())
    if known is None:
        raise Http404("No public events in this town.")
    events = _feed_events(now=timezone.now()).filter(venue__town__iexact=known)
    with translation.override(request_language(request)):
        name = _("Events in %(town)s") % {"town": known}
    return _feed(request, events, name=name, filename=f"{known}.ics")


@require_safe
def kind_feed(request: HttpRequest, kind: str) -> HttpResponse:
    """The feed of one kind of event (404 for an unknown kind)."""
    if kind not in Event.Kind.values:
        raise Http404("Unknown kind of event.")
    events = _feed_events(now=timezone.now()).filter(kind=kind)
    with translation.override(request_language(request)):
        name = _("Events: %(kind)s") % {"kind": Event.Kind(kind).label}
    return _feed(request, events, name=name, filename=f"{kind}.ics")


@require_safe
def all_feed(request: HttpRequest) -> HttpResponse:
    """The feed of all public events."""
    with translation.override(request_language(request)):
        name = _("All events")
    return _feed(request, _feed_events(now=timezone.now()), name=name, filename="alle.ics")
