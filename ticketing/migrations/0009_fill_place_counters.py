"""Fill the place counters from the registrations: one per event that has registrations,
and one per time slot and workshop of those events. Events without registrations get
theirs when the first place is asked for (ticketing/counters.py)."""

from django.db import migrations
from django.db.models import Sum

HOLDING = ["confirmed", "pending_guardian", "offered"]


def fill(apps, schema_editor):
    Registration = apps.get_model("ticketing", "Registration")
    PlaceCounter = apps.get_model("ticketing", "PlaceCounter")
    Event = apps.get_model("events_platform", "Event")
    TimeSlot = apps.get_model("events_platform", "TimeSlot")
    Session = apps.get_model("events_platform", "Session")
    holding = Registration.objects.filter(status__in=HOLDING)

    def held(field: str) -> dict:
        rows = (
            holding.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Sum("headcount"))
        )
        return {row[field]: row["n"] for row in rows}

    by_event, by_slot, by_session = held("event"), held("time_slot"), held("sessions")
    event_ids = set(Registration.objects.values_list("event_id", flat=True).distinct())
    counters = [
        PlaceCounter(event_id=pk, capacity=capacity, taken=by_event.get(pk, 0))
        for pk, capacity in Event.objects.filter(pk__in=event_ids).values_list("pk", "capacity")
    ]
    counters += [
        PlaceCounter(
            event_id=event_id, time_slot_id=pk, capacity=capacity, taken=by_slot.get(pk, 0)
        )
        for pk, event_id, capacity in TimeSlot.objects.filter(event_id__in=event_ids).values_list(
            "pk", "event_id", "capacity"
        )
    ]
    counters += [
        PlaceCounter(
            event_id=event_id, session_id=pk, capacity=capacity, taken=by_session.get(pk, 0)
        )
        for pk, event_id, capacity in Session.objects.filter(event_id__in=event_ids).values_list(
            "pk", "event_id", "capacity"
        )
    ]
    PlaceCounter.objects.bulk_create(counters, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("ticketing", "0008_place_counters")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
