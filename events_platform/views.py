"""Public pages of the calendar, and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import queries
from .queries import EventFilter


@require_GET
def home(request):
    return render(request, "events_platform/home.html", {"events": queries.next_events()})


@require_GET
def event_list(request):
    filters = EventFilter(
        town=request.GET.get("town", ""),
        kind=request.GET.get("kind", ""),
        target_group=request.GET.get("target_group", ""),
    )
    events = queries.filter_public_events(filters)
    return render(
        request, "events_platform/event_list.html", {"events": events, "filters": filters}
    )


@require_GET
def event_detail(request, slug):
    event = get_object_or_404(queries.public_events(), slug=slug)
    return render(request, "events_platform/event_detail.html", {"event": event})


@require_GET
def series_detail(request, slug):
    series = get_object_or_404(queries.public_series(), slug=slug)
    events = queries.series_events(series)
    return render(
        request, "events_platform/series_detail.html", {"series": series, "events": events}
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_ok() -> bool:
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


@never_cache
@require_GET
def healthz(request):
    """JSON with the state of the database and the broker: 200 when both work, else 503."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"} | {
        name: "ok" if ok else "error" for name, ok in checks.items()
    }
    return JsonResponse(body, status=200 if healthy else 503)
