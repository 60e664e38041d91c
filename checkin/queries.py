"""Check-in reads: lists, devices, counters, the offline ticket list, search and figures."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMinute
from django.utils import timezone

from checkin.models import Attendance, CheckinList, Device, Direction, Scan, WalkIn, hash_token
from events_platform import access
from events_platform.models import Event, Membership
from fairs.models import StaffPass, StandBooking
from infra.ttl_cache import TTLCache
from ticketing.models import Registration, Ticket


def device_by_token(token: str) -> Device | None:
    """The device that holds this token (revoked ones included: check `revoked_at`)."""
    if not token:
        return None
    try:
        return (
            Device.objects.select_related("event", "entrance")
            .defer("event__description_de", "event__description_en")
            .get(token_hash=hash_token(token))
        )
    except Device.DoesNotExist:
        return None


# Devices by token hash, kept for a few minutes (then read again, with their event).
kept_devices = TTLCache(seconds=300)


def kept_device(token: str) -> Device | None:
    """The device of this token as this process read it earlier (not revoked then).

    Only for a caller that lets the redeem service confirm the device in its own read
    (`redeem_ticket(device_confirmed=False)`, which raises StaleDevice for a revoked or
    moved device; then `forget_device`): revocation still takes effect at the next scan.
    """
    token_hash = hash_token(token)
    device = kept_devices.get(token_hash)
    if device is None:
        device = device_by_token(token)
        if device is None or device.is_revoked:
            return None
        kept_devices.put(token_hash, device)
    return device


def forget_device(token: str) -> None:
    """Drop the kept device of this token (it was revoked or moved)."""
    kept_devices.forget(hash_token(token))


# Each event's check-in lists, by its id and creation time, kept for a few seconds.
kept_lists = TTLCache(seconds=30)


def _event_lists(event: Event) -> list[CheckinList]:
    """The event's lists, kept in this process for a few seconds: every scan asks for them."""
    key = (event.pk, event.created_at)
    lists = kept_lists.get(key)
    if lists is not None:
        return lists
    lists = list(CheckinList.objects.filter(event=event))
    if lists:  # an event without lists gets them on its first scan: ask again then
        kept_lists.put(key, lists)
    return lists


def list_for_moment(event: Event, moment: datetime) -> CheckinList | None:
    """The list a scan at `moment` belongs to: that day's list of a camp, else the event's."""
    lists = _event_lists(event)
    if not lists:
        return None
    if len(lists) == 1:
        return lists[0]
    today = timezone.localtime(moment).date()
    for checkin_list in lists:
        if checkin_list.day == today:
            return checkin_list
    return min(lists, key=lambda item: abs((item.opens_at - moment).total_seconds()))


def staff_events(user: User | AnonymousUser) -> QuerySet:
    """Events the user may scan for: assigned check-in staff, or the event's organisers."""
    if not user.is_authenticated:
        return Event.objects.none()
    assigned = Q(
        checkin_staff__user=user,
        organisation__memberships__user=user,
        organisation__memberships__role=Membership.Role.CHECKIN_STAFF,
    )
    organised = Q(pk__in=access.organiser_events(user).values("pk"))
    return (
        Event.objects.filter(assigned | organised)
        .exclude(status=Event.Status.DRAFT)
        .select_related("venue", "series")
        .distinct()
        .order_by("starts_at")
    )


def _start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in local time (Europe/Berlin)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


def current_staff_events(user: User | AnonymousUser, *, now: datetime) -> QuerySet:
    """The user's check-in events that end today or later, the earliest start first: those
    on today (a camp that began days ago too) come before the ones still to come."""
    return staff_events(user).filter(ends_at__gte=_start_of_day(now)).order_by("starts_at", "pk")


def past_staff_events(user: User | AnonymousUser, *, now: datetime) -> QuerySet:
    """The user's check-in events that ended before today, the latest first."""
    return staff_events(user).filter(ends_at__lt=_start_of_day(now)).order_by("-starts_at", "-pk")


def _sum(queryset: QuerySet, field: str) -> int:
    return queryset.aggregate(n=Coalesce(Sum(field), 0))["n"]


@dataclass
class Counters:
    """The live figures of one list."""

    inside: int
    checked_in: int
    registered: int
    walk_ins: int
    staff_inside: int

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def counters(checkin_list: CheckinList, *, moves: "Movements | None" = None) -> Counters:
    """Persons present now (the arrivals chart's entries, walk-ins included, minus exits),
    checked in (ticket holders), registered (valid tickets) and walk-ins of a list; `moves`
    when the caller has read the list's movements already."""
    attendance = Attendance.objects.filter(checkin_list=checkin_list)
    figures = attendance.aggregate(
        n_checked_in=Coalesce(Sum("persons", filter=Q(ticket__isnull=False)), 0),
        n_staff=Coalesce(Sum("persons", filter=Q(inside=True, staff_pass__isnull=False)), 0),
    )
    moves = moves or movements(checkin_list, per_quarter=False)
    return Counters(
        inside=moves.present,
        checked_in=figures["n_checked_in"],
        staff_inside=figures["n_staff"],
        registered=_sum(valid_tickets(checkin_list), "headcount"),
        walk_ins=moves.walk_ins,
    )


def valid_tickets(checkin_list: CheckinList) -> QuerySet:
    """The tickets a list admits (valid, confirmed, of that day's time slot where one is set)."""
    tickets = Ticket.objects.filter(
        event_id=checkin_list.event_id,
        status=Ticket.Status.VALID,
        registration__status=Registration.Status.CONFIRMED,
    )
    if checkin_list.day is not None:
        tickets = tickets.filter(
            Q(registration__time_slot__isnull=True)
            | Q(registration__time_slot__starts_at__date=checkin_list.day)
        )
    return tickets


def offline_list(checkin_list: CheckinList) -> list[dict]:
    """The minimal ticket list a scanner keeps offline: no medical or guardian data."""
    inside = dict(
        Attendance.objects.filter(checkin_list=checkin_list, ticket__isnull=False).values_list(
            "ticket__serial", "inside"
        )
    )
    rows = [
        {
            "serial": str(serial),
            "kind": 1,
            "name": name,
            "headcount": headcount,
            "status": "valid",
            "ticket_type": str(Registration.Kind(kind).label),
            "inside": inside.get(serial, False),
        }
        for serial, name, headcount, kind in valid_tickets(checkin_list).values_list(
            "serial", "registration__name", "headcount", "registration__kind"
        )
    ]
    revoked = Ticket.objects.filter(event_id=checkin_list.event_id).exclude(
        pk__in=valid_tickets(checkin_list).values("pk")
    )
    rows += [
        {"serial": str(serial), "kind": 1, "name": name, "headcount": 0, "status": "cancelled"}
        for serial, name in revoked.values_list("serial", "registration__name")
    ]
    staff_inside = set(
        Attendance.objects.filter(
            checkin_list=checkin_list, inside=True, staff_pass__isnull=False
        ).values_list("staff_pass__serial", flat=True)
    )
    rows += [
        {
            "serial": str(serial),
            "kind": 2,
            "name": name,
            "headcount": 1,
            "status": "valid",
            "ticket_type": company,
            "inside": serial in staff_inside,
        }
        for serial, name, company in staff_passes(checkin_list.event).values_list(
            "serial", "name", "booking__company__name"
        )
    ]
    return rows


def staff_passes(event: Event) -> QuerySet:
    """Valid staff passes of an event's fair."""
    return StaffPass.objects.filter(
        booking__fair__event=event,
        booking__status=StandBooking.Status.APPROVED,
        revoked_at__isnull=True,
    )


# What people type between the digits of a ticket number they read off a ticket.
_NUMBER_SEPARATORS = str.maketrans("", "", " \t-./_\u00a0\u202f")
_SERIAL_LIMIT = 2**63


def printed_serial(text: str) -> int | None:
    """The ticket number printed on a ticket, its page and its PDF, as someone types it at
    the door (spaces, dashes and dots ignored), or None when the text is no such number."""
    digits = text.translate(_NUMBER_SEPARATORS)
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = int(digits)
    return number if number < _SERIAL_LIMIT else None


def search(checkin_list: CheckinList, text: str, *, limit: int = 20) -> list[dict]:
    """Tickets of the list's event whose name, e-mail, school or serial matches `text`."""
    text = text.strip()
    if len(text) < 2:
        return []
    match = (
        Q(registration__name__icontains=text)
        | Q(registration__email__icontains=text)
        | Q(registration__school__icontains=text)
    )
    number = printed_serial(text)
    if number is not None:
        match |= Q(serial=number)
    tickets = (
        Ticket.objects.filter(event_id=checkin_list.event_id)
        .filter(match)
        .select_related("registration")
        .order_by("registration__name")[:limit]
    )
    inside = set(
        Attendance.objects.filter(
            checkin_list=checkin_list, inside=True, ticket__in=[t.pk for t in tickets]
        ).values_list("ticket_id", flat=True)
    )
    return [
        {
            "serial": str(ticket.serial),
            "name": ticket.registration.name,
            "email": ticket.registration.email,
            "ticket_type": str(ticket.registration.get_kind_display()),
            "headcount": ticket.headcount,
            "status": "valid" if ticket.is_valid else "cancelled",
            "inside": ticket.pk in inside,
        }
        for ticket in tickets
    ]


# --- Organiser figures ----------------------------------------------------------------------


def quarter_hour(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    return local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)


@dataclass
class Movements:
    """Visitors through one list's doors: persons let in (per quarter hour, local time, when
    asked for), ticket holders and walk-ins alike, and persons out. Stand staff are counted
    apart."""

    entered: int
    exits: int
    walk_ins: int
    entries: dict[datetime, int]

    @property
    def present(self) -> int:
        """Present now: everyone let in minus everyone out (walk-ins leave uncounted)."""
        return max(self.entered - self.exits, 0)

    def days(self) -> list[date]:
        """The days with entries, in order."""
        return sorted({quarter.date() for quarter in self.entries})

    def arrivals(self, day: date) -> list[tuple[str, int]]:
        """Persons let in per quarter hour of one day, from its first to its last arrival."""
        quarters = sorted(q for q in self.entries if q.date() == day)
        if not quarters:
            return []
        series = []
        quarter, last = quarters[0], quarters[-1]
        while quarter <= last:
            series.append((quarter.strftime("%H:%M"), self.entries.get(quarter, 0)))
            quarter = _next_quarter(quarter)
        return series


def _next_quarter(quarter: datetime) -> datetime:
    # In UTC: Python adds to a local time on the wall clock, which a clock change breaks.
    return timezone.localtime(quarter.astimezone(UTC) + timedelta(minutes=15))


def _persons_per_minute(queryset: QuerySet, field: str) -> QuerySet:
    """(minute, persons) rows, the minute in local time."""
    minute = TruncMinute(field, tzinfo=timezone.get_current_timezone())
    return (
        queryset.annotate(minute=minute)
        .values("minute")
        .annotate(persons=Sum("persons"))
        .values_list("minute", "persons")
    )


def movements(checkin_list: CheckinList, *, per_quarter: bool = True) -> Movements:
    """Persons in and out of a list: the one source of the arrivals chart and of the
    "present now" figure, so that the two always agree. Without `per_quarter` only the
    totals are read (the scanners ask for them after every scan)."""
    visitors = Scan.objects.filter(checkin_list=checkin_list, conflict=False, ticket__isnull=False)
    walk_ins = WalkIn.objects.filter(checkin_list=checkin_list)
    entry = Q(direction=Direction.ENTRY)
    if not per_quarter:
        totals = visitors.aggregate(
            scanned_in=Coalesce(Sum("persons", filter=entry), 0),
            exits=Coalesce(Sum("persons", filter=Q(direction=Direction.EXIT)), 0),
        )
        walked_in = _sum(walk_ins, "persons")
        return Movements(
            entered=totals["scanned_in"] + walked_in,
            exits=totals["exits"],
            walk_ins=walked_in,
            entries={},
        )
    exits = _sum(visitors.filter(direction=Direction.EXIT), "persons")
    entries: dict[datetime, int] = {}

    def add(rows) -> int:
        total = 0
        for minute, persons in rows:
            key = quarter_hour(minute)
            entries[key] = entries.get(key, 0) + persons
            total += persons
        return total

    scanned_in = add(_persons_per_minute(visitors.filter(entry), "scanned_at"))
    walked_in = add(_persons_per_minute(walk_ins, "counted_at"))
    return Movements(
        entered=scanned_in + walked_in, exits=exits, walk_ins=walked_in, entries=entries
    )


def entries_per_quarter(event_ids: list[int]) -> dict[int, dict[datetime, int]]:
    """Persons let in per quarter hour (local time) at each of these events, ticket holders
    and walk-ins alike, as `movements` counts them for one list: the arrivals chart of the
    live view and of the figures for funders. Two queries whatever the number of events."""
    out: dict[int, dict[datetime, int]] = {pk: {} for pk in event_ids}
    if not event_ids:
        return out
    minute = TruncMinute("scanned_at", tzinfo=timezone.get_current_timezone())
    scans = (
        Scan.objects.filter(
            checkin_list__event_id__in=event_ids,
            conflict=False,
            ticket__isnull=False,
            direction=Direction.ENTRY,
        )
        .annotate(minute=minute)
        .values("checkin_list__event_id", "minute")
        .annotate(persons=Sum("persons"))
        .values_list("checkin_list__event_id", "minute", "persons")
        .order_by()
    )
    counted = TruncMinute("counted_at", tzinfo=timezone.get_current_timezone())
    walk_ins = (
        WalkIn.objects.filter(checkin_list__event_id__in=event_ids)
        .annotate(minute=counted)
        .values("checkin_list__event_id", "minute")
        .annotate(persons=Sum("persons"))
        .values_list("checkin_list__event_id", "minute", "persons")
        .order_by()
    )
    for rows in (scans, walk_ins):
        for event_id, moment, persons in rows:
            key = quarter_hour(moment)
            out[event_id][key] = out[event_id].get(key, 0) + persons
    return out


@dataclass
class DoorFigures:
    """The door's totals of one list, read for many lists at once (`door_figures`): the
    same definitions as `Movements` and `Counters`, so the live view, the series overview
    and the figures for funders (figures/definitions.py) agree."""

    scanned_in: int = 0  # persons let in by ticket scans (re-entries too; conflicts not)
    exits: int = 0  # persons let out by ticket scans
    walk_ins: int = 0  # persons counted at the door without registration
    checked_in: int = 0  # persons of distinct tickets checked in at least once
    staff_inside: int = 0  # stand staff inside now (never in the visitor figures)

    @property
    def entered(self) -> int:
        return self.scanned_in + self.walk_ins

    @property
    def present(self) -> int:
        """Present now, as Movements.present: everyone let in minus everyone out."""
        return max(self.entered - self.exits, 0)


def door_figures(lists: QuerySet) -> dict[int, DoorFigures]:
    """The door totals of each of these check-in lists, by list id, in three queries
    whatever the number of lists and scans."""
    out: dict[int, DoorFigures] = {}

    def row(list_id: int) -> DoorFigures:
        return out.setdefault(list_id, DoorFigures())

    scans = (
        Scan.objects.filter(checkin_list__in=lists, conflict=False, ticket__isnull=False)
        .values("checkin_list_id")
        .annotate(
            scanned_in=Coalesce(Sum("persons", filter=Q(direction=Direction.ENTRY)), 0),
            exits=Coalesce(Sum("persons", filter=Q(direction=Direction.EXIT)), 0),
        )
        .order_by()
    )
    for item in scans:
        figures = row(item["checkin_list_id"])
        figures.scanned_in, figures.exits = item["scanned_in"], item["exits"]
    walk_ins = (
        WalkIn.objects.filter(checkin_list__in=lists)
        .values("checkin_list_id")
        .annotate(persons=Coalesce(Sum("persons"), 0))
        .order_by()
    )
    for item in walk_ins:
        row(item["checkin_list_id"]).walk_ins = item["persons"]
    attendance = (
        Attendance.objects.filter(checkin_list__in=lists)
        .values("checkin_list_id")
        .annotate(
            checked_in=Coalesce(Sum("persons", filter=Q(ticket__isnull=False)), 0),
            staff=Coalesce(Sum("persons", filter=Q(inside=True, staff_pass__isnull=False)), 0),
        )
        .order_by()
    )
    for item in attendance:
        figures = row(item["checkin_list_id"])
        figures.checked_in, figures.staff_inside = item["checked_in"], item["staff"]
    return out


@dataclass
class EventDoorFigures:
    """The door's figures of one event (a site; every day of a camp), read for many events
    at once (`event_door_figures`). The one definition of these counts: the series overview
    shows them and figures/definitions.py copies them for the funders."""

    #: Persons registered: confirmed registrations' headcounts.
    registered: int = 0
    #: Persons of distinct tickets checked in at least once; on several lists (a camp's
    #: days) a ticket counts once, with the most persons it let in on any day.
    checked_in: int = 0
    #: Persons counted at the door without registration.
    walk_ins: int = 0
    #: Persons let out at an exit scan.
    exits: int = 0
    #: Present now: everyone let in (ticket holders and walk-ins) minus everyone let out.
    present: int = 0
    #: Stand staff inside now (never in the visitor figures).
    staff_inside: int = 0
    #: Ticket holders present per day of a camp (lists with a day).
    days: dict = field(default_factory=dict)

    @property
    def visitors(self) -> int:
        """Everyone who came: checked in and walk-ins."""
        return self.checked_in + self.walk_ins


def event_door_figures(event_ids: list[int]) -> dict[int, EventDoorFigures]:
    """The door figures of each of these events, by event id, in a fixed number of queries
    whatever the number of events, lists and scans."""
    out = {pk: EventDoorFigures() for pk in event_ids}
    if not event_ids:
        return out
    registered = (
        Registration.objects.filter(event_id__in=event_ids, status=Registration.Status.CONFIRMED)
        .values("event_id")
        .annotate(persons=Coalesce(Sum("headcount"), 0))
        .order_by()
    )
    for row in registered:
        out[row["event_id"]].registered = row["persons"]
    lists = CheckinList.objects.filter(event_id__in=event_ids)
    list_rows = list(lists.values_list("pk", "event_id"))
    door = door_figures(lists)
    lists_of: dict[int, int] = {}
    for list_id, event_id in list_rows:
        lists_of[event_id] = lists_of.get(event_id, 0) + 1
        totals = door.get(list_id)
        if totals is None:
            continue
        figures = out[event_id]
        figures.checked_in += totals.checked_in
        figures.walk_ins += totals.walk_ins
        figures.exits += totals.exits
        figures.present += totals.present
        figures.staff_inside += totals.staff_inside
    multi = [event_id for event_id, n in lists_of.items() if n > 1]
    if not multi:
        return out
    # A person on several lists (a camp's days) is checked in once: the persons of distinct
    # tickets, the most each ticket let in on any day.
    for event_id in multi:
        out[event_id].checked_in = 0
    per_ticket: dict[tuple[int, int], int] = {}
    rows = (
        Attendance.objects.filter(checkin_list__event_id__in=multi, ticket__isnull=False)
        .values("checkin_list__event_id", "ticket_id", "persons")
        .distinct()
        .order_by()
    )
    for row in rows:
        key = (row["checkin_list__event_id"], row["ticket_id"])
        per_ticket[key] = max(per_ticket.get(key, 0), row["persons"])
    for (event_id, _ticket), persons in per_ticket.items():
        out[event_id].checked_in += persons
    days = (
        Attendance.objects.filter(
            checkin_list__event_id__in=multi,
            checkin_list__day__isnull=False,
            ticket__isnull=False,
        )
        .values("checkin_list__event_id", "checkin_list__day")
        .annotate(persons=Coalesce(Sum("persons"), 0))
        .order_by()
    )
    for row in days:
        if row["persons"]:
            found = out[row["checkin_list__event_id"]].days
            day = row["checkin_list__day"]
            found[day] = found.get(day, 0) + row["persons"]
    return out


def arrivals_day(moves: Movements, today: date, wanted: date | None = None) -> date | None:
    """The day the arrivals chart shows: the one asked for, else today, else the last day
    with arrivals (None when nobody has arrived)."""
    days = moves.days()
    for day in (wanted, today):
        if day in days:
            return day
    return days[-1] if days else None


def per_entrance(checkin_list: CheckinList) -> list[dict]:
    """Entries per entrance (persons and scans)."""
    return list(
        Scan.objects.filter(checkin_list=checkin_list, direction=Direction.ENTRY, conflict=False)
        .values("entrance__name")
        .annotate(persons=Coalesce(Sum("persons"), 0), scans=Count("pk"))
        .order_by("entrance__name")
    )


def no_shows(checkin_list: CheckinList) -> QuerySet:
    """Valid tickets of the list that were never checked in."""
    seen = Attendance.objects.filter(checkin_list=checkin_list, ticket__isnull=False)
    return (
        valid_tickets(checkin_list)
        .exclude(pk__in=seen.values("ticket_id"))
        .select_related("registration")
        .order_by("registration__name")
    )


def conflicts(checkin_list: CheckinList) -> QuerySet:
    """Offline admissions that clashed with another device's admission of the same ticket."""
    return (
        Scan.objects.filter(checkin_list=checkin_list, conflict=True)
        .select_related("device", "entrance", "ticket__registration", "staff_pass")
        .order_by("-scanned_at")
    )


def attendance_rows(checkin_list: CheckinList) -> list[list]:
    """One row per valid ticket: who, how many, when first in, inside now (for the CSV)."""
    seen = {
        row.ticket_id: row
        for row in Attendance.objects.filter(
            checkin_list=checkin_list, ticket__isnull=False
        ).select_related("last_entrance")
    }
    rows = []
    for ticket in valid_tickets(checkin_list).select_related("registration"):
        row = seen.get(ticket.pk)
        rows.append(
            [
                ticket.serial,
                ticket.registration.name,
                ticket.registration.get_kind_display(),
                ticket.headcount,
                timezone.localtime(row.first_entry_at).strftime("%Y-%m-%d %H:%M") if row else "",
                (row.last_entrance.name if row and row.last_entrance else ""),
                bool(row and row.inside),
            ]
        )
    return rows
