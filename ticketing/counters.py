"""Places taken, one counter row per event, time slot and workshop (PlaceCounter).

A place is taken by one conditional UPDATE per counter (`taken + n <= capacity`), the event's
counter first, then the others by id, all or none; the row stays locked only from that
UPDATE to the commit, so a registration does its other writes before it. Places are given
back by a plain UPDATE. Every status change that takes or frees places goes through
services.py's `_set_status` (and the changes of a registration's slot, workshops or size
through `change_registration`), which call `take` and `give_back` here.

A counter is created the first time a part is asked for, from the registrations, with the
event row locked (`parts`); the capacity follows the event's, the slot's and the
workshop's own (receivers below). `drift()` compares every counter with the registrations:
the periodic task `ticketing.tasks.check_place_counters` reports any difference.
"""

import logging
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import post_save

from events_platform.models import Event, Session, TimeSlot
from infra.rows import RowReader, planned_cursor

from .models import PlaceCounter, Registration

logger = logging.getLogger(__name__)

HOLDING = list(Registration.HOLDING)


@dataclass
class Parts:
    """The counters one registration holds places in: its event, its time slot (if it has
    one) and its workshops."""

    event: PlaceCounter
    slot: PlaceCounter | None = None
    sessions: list[PlaceCounter] = field(default_factory=list)

    def in_order(self) -> list[PlaceCounter]:
        """The event's counter first, then the others by id: the one order every
        transaction takes them in, so two never wait for each other."""
        others = [self.slot] if self.slot is not None else []
        others += self.sessions
        return [self.event, *sorted(others, key=lambda counter: counter.pk)]

    def checked(self) -> list[PlaceCounter]:
        """The order the numbers are reported in: event, slot, workshops (as chosen)."""
        return [self.event, *([self.slot] if self.slot is not None else []), *self.sessions]


def _held_rows(event_id: int, *, time_slot_id=None, session_id=None) -> int:
    rows = Registration.objects.filter(event_id=event_id, status__in=HOLDING)
    if time_slot_id:
        rows = rows.filter(time_slot_id=time_slot_id)
    if session_id:
        rows = rows.filter(sessions=session_id)
    return rows.aggregate(n=Sum("headcount"))["n"] or 0


def _create_missing(event_id: int, time_slot_id, session_ids) -> None:
    """Create the counters a part lacks, counted from the registrations while the event row
    is locked (whoever else changes places of a part without a counter waits for it).

    A no-key lock: it waits for those that hold the event row's lock, and for another
    creation, but not for registrations under way, which hold a key-share lock
    (`hold_event`) and can only be taking places in counters that exist."""
    list(Event.objects.select_for_update(no_key=True).filter(pk=event_id).values_list("pk"))
    capacity = Event.objects.filter(pk=event_id).values_list("capacity", flat=True).get()
    new = [PlaceCounter(event_id=event_id, capacity=capacity, taken=_held_rows(event_id))]
    if time_slot_id:
        new.append(
            PlaceCounter(
                event_id=event_id,
                time_slot_id=time_slot_id,
                capacity=TimeSlot.objects.values_list("capacity", flat=True).get(pk=time_slot_id),
                taken=_held_rows(event_id, time_slot_id=time_slot_id),
            )
        )
    for session_id in session_ids:
        new.append(
            PlaceCounter(
                event_id=event_id,
                session_id=session_id,
                capacity=Session.objects.values_list("capacity", flat=True).get(pk=session_id),
                taken=_held_rows(event_id, session_id=session_id),
            )
        )
    PlaceCounter.objects.bulk_create(new, ignore_conflicts=True)


def _select(event_id: int, time_slot_id, session_ids) -> list[PlaceCounter]:
    # Plain SQL read by a RowReader: every registration reads its counters, and composing
    # the ORM's query costs several times what running it does.
    wanted, params = ["(time_slot_id IS NULL AND session_id IS NULL)"], [event_id]
    if time_slot_id:
        wanted.append("time_slot_id = %s")
        params.append(time_slot_id)
    if session_ids:
        wanted.append(f"session_id IN ({', '.join(['%s'] * len(session_ids))})")
        params.extend(session_ids)
    columns = ", ".join(ROWS.columns(connection.ops.quote_name, "c"))
    table = PlaceCounter._meta.db_table
    with planned_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} c WHERE event_id = %s AND ({' OR '.join(wanted)})",  # noqa: S608 - our table, parameters
            params,
        )
        return [ROWS.instance(row, connection.alias) for row in cursor.fetchall()]


# The counters' rows as read by plain statements (here, and with the event in queries.py).
ROWS = RowReader(PlaceCounter)


def parts(event_id: int, time_slot_id: int | None = None, session_ids=()) -> Parts:
    """The counters of an event, a time slot and workshops as they are now (one query; a
    missing counter is created first). Not locked: `take` decides."""
    session_ids = sorted(set(session_ids))
    found = _select(event_id, time_slot_id, session_ids)
    if len(found) != 1 + bool(time_slot_id) + len(session_ids):
        _create_missing(event_id, time_slot_id, session_ids)
        found = _select(event_id, time_slot_id, session_ids)
    by_session = {counter.session_id: counter for counter in found if counter.session_id}
    return Parts(
        event=next(c for c in found if not c.time_slot_id and not c.session_id),
        slot=next((c for c in found if c.time_slot_id), None),
        sessions=[by_session[pk] for pk in session_ids],
    )


def parts_of(registration: Registration, session_ids=None) -> Parts:
    """The counters `registration` holds places in (its workshops as stored, or these)."""
    if session_ids is None:
        session_ids = [s.pk for s in registration.sessions.all()]
    return parts(registration.event_id, registration.time_slot_id, session_ids)


def hold_event(event_id: int) -> None:
    """Take a key-share lock of the event row: a registration does so before it writes
    anything and before it takes its counters.

    PostgreSQL checks Django's foreign keys at the commit (they are DEFERRABLE INITIALLY
    DEFERRED), so a registration's inserts alone would lock the event row only then, after
    its counters. A cancellation or an offer locks the event row first and then changes a
    counter; the two would wait for each other, a deadlock. With this lock taken first, every
    transaction takes the event row before the counters. Key-share locks do not wait for
    one another, so registrations still only meet at the counters. SQLite has no row locks
    (there each transaction is alone)."""
    if not connection.features.has_select_for_update:
        return
    with planned_cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Event._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608
            [event_id],
        )


def _take_one(counter: PlaceCounter, n: int) -> bool:
    table = PlaceCounter._meta.db_table
    with planned_cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET taken = taken + %s "  # noqa: S608 - the table name is ours
            "WHERE id = %s AND (capacity IS NULL OR taken + %s <= capacity) "
            "RETURNING taken, capacity",
            [n, counter.pk, n],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    counter.taken, counter.capacity = row
    return True


def take(counters: Parts, n: int) -> PlaceCounter | None:
    """Take `n` places in every counter, all or none (call inside a transaction); returns
    None, or the first counter in the checking order that had no room (re-read)."""
    taken = []
    for counter in counters.in_order():
        if _take_one(counter, n):
            taken.append(counter)
            continue
        if taken:  # the rows are still locked by this transaction: the undo is exact
            give_back(taken, n)
        refresh(counters)
        short = [c for c in counters.checked() if c.capacity is not None]
        return next((c for c in short if c.taken + n > c.capacity), counter)
    return None


def give_back(counters, n: int) -> None:
    """Free `n` places in each counter (never below zero: a counter that would go below
    zero had drifted, and the drift check reports it)."""
    ids = [c.pk for c in (counters.in_order() if isinstance(counters, Parts) else counters)]
    PlaceCounter.objects.filter(pk__in=ids).update(taken=Greatest(F("taken") - n, Value(0)))


def refresh(counters: Parts) -> None:
    """Read the counters' numbers again."""
    fresh = {
        pk: (taken, capacity)
        for pk, taken, capacity in PlaceCounter.objects.filter(
            pk__in=[c.pk for c in counters.in_order()]
        ).values_list("pk", "taken", "capacity")
    }
    for counter in counters.in_order():
        counter.taken, counter.capacity = fresh[counter.pk]


def recount(event_id: int) -> None:
    """Set every counter of an event from its registrations (the caller holds the event
    row lock, so no registration of it is half-way; used where many change at once)."""
    for counter in PlaceCounter.objects.filter(event_id=event_id):
        taken = _held_rows(
            event_id, time_slot_id=counter.time_slot_id, session_id=counter.session_id
        )
        if taken != counter.taken:
            PlaceCounter.objects.filter(pk=counter.pk).update(taken=taken)


def held(event_ids) -> dict[int, int]:
    """Persons holding places per event id, from the counters (from the registrations for
    an event without a counter yet)."""
    event_ids = list(event_ids)
    found = dict(
        PlaceCounter.objects.filter(
            event_id__in=event_ids, time_slot__isnull=True, session__isnull=True
        ).values_list("event_id", "taken")
    )
    missing = [pk for pk in event_ids if pk not in found]
    if missing:
        rows = (
            Registration.objects.filter(event_id__in=missing, status__in=HOLDING)
            .values("event_id")
            .annotate(n=Sum("headcount"))
        )
        found.update({row["event_id"]: row["n"] for row in rows})
    return found


def held_per(model, event_id: int | None, part_ids) -> dict[int, int]:
    """Persons holding places per time slot or workshop id of one event (None: of any
    events; counters first, the registrations for a part without a counter yet)."""
    column = "time_slot_id" if model is TimeSlot else "session_id"
    part_ids = list(part_ids)
    of_event = {} if event_id is None else {"event_id": event_id}
    found = dict(
        PlaceCounter.objects.filter(**of_event, **{f"{column}__in": part_ids}).values_list(
            column, "taken"
        )
    )
    missing = [pk for pk in part_ids if pk not in found]
    if missing:
        relation = "time_slot" if model is TimeSlot else "sessions"
        rows = (
            Registration.objects.filter(
                **of_event, status__in=HOLDING, **{f"{relation}__in": missing}
            )
            .values(relation)
            .annotate(n=Sum("headcount"))
        )
        found.update({row[relation]: row["n"] for row in rows})
    return found


def _rows_sum(**match) -> Subquery:
    rows = (
        Registration.objects.filter(status__in=HOLDING, **match)
        .order_by()
        .values(next(iter(match)))
        .annotate(n=Sum("headcount"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def drift() -> list[tuple[PlaceCounter, int]]:
    """Every counter that differs from its registrations, with the number they give. Each
    kind is compared in one statement, so counter and rows are read at the same moment."""
    kinds = [
        (Q(time_slot__isnull=True, session__isnull=True), {"event": OuterRef("event_id")}),
        (Q(time_slot__isnull=False), {"time_slot": OuterRef("time_slot_id")}),
        (Q(session__isnull=False), {"sessions": OuterRef("session_id")}),
    ]
    found = []
    for which, match in kinds:
        differing = (
            PlaceCounter.objects.filter(which)
            .annotate(rows=_rows_sum(**match))
            .exclude(taken=F("rows"))
            .order_by("pk")
        )
        found += [(counter, counter.rows) for counter in differing]
    return found


def report_drift() -> int:
    """Log every counter that differs from its registrations (an error: it needs a look);
    returns how many differ."""
    differing = drift()
    for counter, rows in differing:
        logger.error(
            "place counter drift",
            extra={
                "counter": counter.pk,
                "event": counter.event_id,
                "part": counter.part,
                "counter_taken": counter.taken,
                "registrations_hold": rows,
            },
        )
    return len(differing)


def _follow_capacity(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """Keep a counter's capacity the same as its event's, slot's or workshop's."""
    if raw or created or (update_fields is not None and "capacity" not in update_fields):
        return
    if sender is Event:
        match = {"event_id": instance.pk, "time_slot__isnull": True, "session__isnull": True}
    elif sender is TimeSlot:
        match = {"time_slot_id": instance.pk}
    else:
        match = {"session_id": instance.pk}
    PlaceCounter.objects.filter(**match).update(capacity=instance.capacity)


def connect() -> None:
    """Connect the receivers that keep counters' capacities in step (from ready())."""
    for model in (Event, TimeSlot, Session):
        post_save.connect(
            _follow_capacity,
            sender=model,
            weak=False,
            dispatch_uid=f"ticketing.counter_capacity.{model.__name__}",
        )
