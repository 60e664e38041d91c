"""Public pages of the calendar, and the health check."""

from itertools import groupby
from pathlib import Path

from celery import current_app
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from infra import heartbeat

from . import queries
from .extensions import event_actions, event_panels, series_panels
from .forms import EventFilterForm

EVENTS_PER_PAGE = 30
FAVICON = Path(__file__).resolve().parent / "static" / "events_platform" / "favicon.ico"


def _with_places_left(events) -> list:
    events = list(events)
    left = queries.places_left(events)
    for event in events:
        event.places_left = left[event.pk]
    return events


@require_GET
def home(request):
    series = queries.next_series()
    series_events = _with_places_left(queries.series_events(series)) if series else []
    return render(
        request,
        "events_platform/home.html",
        {
            "events": _with_places_left(queries.next_events()),
            "series": series,
            "series_events": series_events,
        },
    )


def _by_month(events) -> list[tuple]:
    def month(event):
        local = timezone.localtime(event.starts_at)
        return local.year, local.month

    return [
        (timezone.localtime(group[0].starts_at), group)
        for group in (list(items) for _key, items in groupby(events, key=month))
    ]


@require_GET
def event_list(request):
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid filters still apply
    filters = form.to_filter()
    page = Paginator(queries.filter_public_events(filters), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    events = _with_places_left(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events_platform/event_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "events": events,
            "months": _by_month(events),
            "filtered": any(query.values()),
            "query_string": query.urlencode(),
        },
    )


@require_GET
def event_detail(request, slug):
    event = get_object_or_404(
        queries.public_events().prefetch_related("time_slots", "sessions"), slug=slug
    )
    _with_places_left([event])
    queries.mark_part_places_left(event)
    return render(request, "events_platform/event_detail.html", event_page_context(request, event))


def event_page_context(request, event) -> dict:
    """The event page's context: the event, its registration state, what other apps offer in
    the registration section (the Register button) and their panels below the details."""
    return {
        "event": event,
        "registration_state": queries.registration_state(event),
        "actions": event_actions.render(request, event),
        "panels": event_panels.render(request, event),
    }


@require_GET
def series_detail(request, slug):
    series = get_object_or_404(queries.public_series(), slug=slug)
    events = _with_places_left(queries.series_events(series))
    return render(
        request,
        "events_platform/series_detail.html",
        {"series": series, "events": events, "panels": series_panels.render(request, series)},
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_ok() -> bool:
    # The project's Celery app (config/celery.py), reached without importing the wiring.
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


@require_GET
def favicon(request):
    """The site icon at /favicon.ico, for browsers and tools that do not read the page's link."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
@require_GET
def healthz(request):
    """JSON with the state of the database and the broker: 200 when both work, else 503.

    With `?deep=1` (the readiness check for operators and compose) it also requires a Celery
    worker heartbeat younger than READINESS_WORKER_MAX_AGE seconds and a beat tick younger
    than READINESS_BEAT_MAX_AGE (infra.heartbeat); "worker" and "beat" then say
    "ok", "stale" (with the age in seconds) or "missing" (never seen).
    """
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    healthy = all(checks.values())
    if request.GET.get("deep") == "1":
        for name, key, max_age in (
            ("worker", heartbeat.WORKER_KEY, heartbeat.worker_max_age()),
            ("beat", heartbeat.BEAT_KEY, heartbeat.beat_max_age()),
        ):
            try:
                age = heartbeat.age_seconds(key)
            except Exception:  # noqa: BLE001 - the cache is Redis: away means unknown
                age = None
            if age is None:
                body[name] = "missing"
            elif age > max_age:
                body[name] = "stale"
                body[f"{name}_age_seconds"] = round(age)
            else:
                body[name] = "ok"
            healthy = healthy and body[name] == "ok"
    body = {"status": "ok" if healthy else "error"} | body
    return JsonResponse(body, status=200 if healthy else 503)
