"""The organiser's start page: what needs them now, per organisation (open stand requests,
companies to verify, waiting lists with free places, guardian confirmations running out,
failed messages, registration windows opening or closing, today's doors). Each item links
to the page where it is done; the items are read through each app's queries and refreshed
by htmx from a partial, so the counts change without a reload."""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET

from events_platform import access, when
from events_platform import queries as core_queries
from events_platform.models import Event, Membership, Organisation
from fairs import queries as fairs_queries
from notifications import queries as notifications_queries
from ticketing import queries as ticketing_queries
from ticketing.models import Registration

# Rows shown per item; the rest are reached through the item's overview link.
ROWS_SHOWN = 5
# How often the open page asks for fresh counts (seconds).
REFRESH_SECONDS = 30


@dataclass
class Row:
    """One line of an item: what it is about (a link to where it is done) and its detail."""

    label: str
    url: str
    detail: str = ""


@dataclass
class Item:
    """One thing that may need the organiser: its heading, its count as a sentence, rows."""

    key: str
    heading: str
    count: int
    summary: str
    rows: list[Row]
    empty: str
    more_url: str = ""
    more_label: str = ""

    @property
    def shown(self) -> list[Row]:
        return self.rows[:ROWS_SHOWN]

    @property
    def hidden_rows(self) -> int:
        return max(len(self.rows) - ROWS_SHOWN, 0)


@dataclass
class OrganisationItems:
    organisation: Organisation
    items: list[Item] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _url(name: str, *args, query: dict | None = None) -> str:
    """The address of a page, with a query string."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _nothing_open() -> str:
    return _("Nothing open.")


def _stand_requests(organisation: Organisation, now: datetime) -> Item:
    per_fair = fairs_queries.open_requests_per_fair(organisation, now=now)
    count = sum(n for _fair, n in per_fair)
    return Item(
        key="stand-requests",
        heading=_("Stand requests"),
        count=count,
        summary=ngettext("%(count)s open stand request", "%(count)s open stand requests", count)
        % {"count": count},
        rows=[
            Row(
                fair.event.title_with_town,
                _url("fairs:organiser-fair", fair.event.slug),
                ngettext("%(count)s open request", "%(count)s open requests", n) % {"count": n},
            )
            for fair, n in per_fair
        ],
        empty=_nothing_open(),
        more_url=_url("fairs:organiser-fairs"),
        more_label=_("All fairs"),
    )


def _companies_to_verify(organisation: Organisation, now: datetime) -> Item:
    pairs = fairs_queries.companies_to_verify(organisation, now=now)
    count = len(pairs)
    return Item(
        key="companies",
        heading=_("Companies to verify"),
        count=count,
        summary=ngettext(
            "%(count)s company waits for your verification",
            "%(count)s companies wait for your verification",
            count,
        )
        % {"count": count},
        rows=[
            Row(
                company.name,
                _url("fairs:organiser-fair", fair.event.slug),
                _("at %(fair)s") % {"fair": fair.event.title_with_town},
            )
            for company, fair in pairs
        ],
        empty=_nothing_open(),
        more_url=_url("fairs:organiser-fairs"),
        more_label=_("All fairs"),
    )


def _waiting_lists(organisation: Organisation, now: datetime) -> Item:
    rows = []
    for event, waiting, free in ticketing_queries.waiting_lists_with_free_places(
        organisation, now=now
    ):
        waits = ngettext("%(count)s person waits", "%(count)s persons wait", waiting) % {
            "count": waiting
        }
        if free is None:
            places = _("places without limit")
        else:
            places = ngettext("%(count)s place free", "%(count)s places free", free) % {
                "count": free
            }
        rows.append(
            Row(
                event.title_with_town,
                _url(
                    "ticketing:organiser-list",
                    event.pk,
                    query={"status": Registration.Status.WAITLISTED},
                ),
                f"{waits}, {places}",
            )
        )
    for fair, waiting, free in fairs_queries.waitlists_with_free_stands(organisation, now=now):
        waits = ngettext("%(count)s company waits", "%(count)s companies wait", waiting) % {
            "count": waiting
        }
        stands = ngettext("%(count)s stand free", "%(count)s stands free", free) % {"count": free}
        rows.append(
            Row(
                fair.event.title_with_town,
                _url("fairs:organiser-fair", fair.event.slug),
                f"{waits}, {stands}",
            )
        )
    count = len(rows)
    return Item(
        key="waiting-lists",
        heading=_("Waiting lists with free places"),
        count=count,
        summary=ngettext(
            "%(count)s waiting list with free places",
            "%(count)s waiting lists with free places",
            count,
        )
        % {"count": count},
        rows=rows,
        empty=_nothing_open(),
    )


def _guardian_confirmations(organisation: Organisation, now: datetime) -> Item:
    per_event = ticketing_queries.guardian_confirmations_running_out(organisation, now=now)
    count = sum(children for _event, children, _deadline in per_event)
    return Item(
        key="guardians",
        heading=_("Parents' confirmations running out"),
        count=count,
        summary=ngettext(
            "For %(count)s child the parents' time to confirm runs out within 24 hours",
            "For %(count)s children the parents' time to confirm runs out within 24 hours",
            count,
        )
        % {"count": count},
        rows=[
            Row(
                event.title_with_town,
                _url(
                    "ticketing:organiser-list",
                    event.pk,
                    query={"status": Registration.Status.PENDING_GUARDIAN},
                ),
                ngettext(
                    "%(count)s child; unconfirmed, the place is released on %(moment)s",
                    "%(count)s children; unconfirmed, the first place is released on %(moment)s",
                    children,
                )
                % {"count": children, "moment": when.moment(deadline)},
            )
            for event, children, deadline in per_event
        ],
        empty=_nothing_open(),
    )


def _failed_messages(organisation: Organisation, now: datetime) -> Item:
    count = notifications_queries.failed_messages(organisation, now=now).count()
    rows = []
    if count:
        rows.append(
            Row(
                _("Show the messages that were not delivered"),
                _url("notifications:message-list", query={"state": "failed"}),
            )
        )
    return Item(
        key="failed-messages",
        heading=_("Messages not delivered"),
        count=count,
        summary=ngettext(
            "%(count)s message in the last 7 days could not be delivered",
            "%(count)s messages in the last 7 days could not be delivered",
            count,
        )
        % {"count": count},
        rows=rows,
        empty=_nothing_open(),
    )


def _registration_windows(organisation: Organisation, now: datetime) -> Item:
    rows = []
    for event, change, moment in core_queries.registration_windows_soon(organisation, now=now):
        if change == "opens":
            detail = _("registration opens on %(moment)s") % {"moment": when.moment(moment)}
        else:
            detail = _("registration closes on %(moment)s") % {"moment": when.moment(moment)}
        if event.status == Event.Status.DRAFT:
            detail = _("%(detail)s (still a draft)") % {"detail": detail}
        rows.append(
            Row(
                event.title_with_town,
                _url("workspace:event-edit", event.pk),
                detail,
            )
        )
    count = len(rows)
    return Item(
        key="registration-windows",
        heading=_("Registration opens or closes soon"),
        count=count,
        summary=ngettext(
            "%(count)s event in the next 7 days", "%(count)s events in the next 7 days", count
        )
        % {"count": count},
        rows=rows,
        empty=_nothing_open(),
    )


def _doors_today(organisation: Organisation, now: datetime) -> Item:
    events = list(core_queries.events_today(organisation, now=now))
    count = len(events)
    return Item(
        key="doors-today",
        heading=_("Today's doors"),
        count=count,
        summary=ngettext("%(count)s event today", "%(count)s events today", count)
        % {"count": count},
        rows=[
            Row(
                _("Live view: %(event)s") % {"event": event.title_with_town},
                _url("checkin:event", event.pk),
                when.describe_event_time(event),
            )
            for event in events
        ],
        empty=_("No event today."),
        more_url=_url("checkin:home"),
        more_label=_("Check-in and live view"),
    )


ITEMS = (
    _stand_requests,
    _companies_to_verify,
    _waiting_lists,
    _guardian_confirmations,
    _failed_messages,
    _registration_windows,
    _doors_today,
)


def items_for(user, *, now: datetime) -> list[OrganisationItems]:
    """What needs the user now, per organisation they organise for."""
    return [
        OrganisationItems(organisation, [build(organisation, now) for build in ITEMS])
        for organisation in access.organisations_for(user).order_by("name")
    ]


def _organiser_only(request) -> None:
    if not access.is_organiser(request.user):
        raise Http404


def _context(request) -> dict:
    return {
        "sections": items_for(request.user, now=timezone.now()),
        "refresh_seconds": REFRESH_SECONDS,
    }


@require_GET
def home(request):
    """The start page: what needs the organiser now."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _organiser_only(request)
    return render(request, "workspace/home.html", _context(request))


@require_GET
def home_items(request):
    """The items of the start page alone, which the open page fetches again and again."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _organiser_only(request)
    return render(request, "workspace/_home_items.html", _context(request))


def menu_items(request) -> list[tuple[str, str]]:
    """The workspace's entries at the head of the organiser's menu: the start page, the
    events, the series and the stand plans."""
    user = request.user
    if not (user.is_authenticated and access.is_organiser(user)):
        return []
    return [
        (_("What needs doing now"), reverse("workspace:home")),
        (pgettext("organiser menu", "Events"), reverse("workspace:event-list")),
        (pgettext("organiser menu", "Series"), reverse("workspace:series-list")),
        (_("Stand plans"), reverse("workspace:plan-list")),
    ]


def admin_menu_items(request) -> list[tuple[str, str]]:
    """The audit log and the organisation's settings for its administrators, at the end of
    the organiser's menu (workspace pages)."""
    user = request.user
    if not user.is_authenticated:
        return []
    organisation = (
        access.organisations_for(user, roles=[Membership.Role.ORGANISER_ADMIN])
        .order_by("name", "pk")
        .first()
    )
    if organisation is None:
        return []
    return [
        (_("Audit log"), reverse("workspace:audit-log")),
        (
            _("Organisation settings"),
            reverse("workspace:organisation-settings", args=[organisation.pk]),
        ),
    ]


def start_page(user) -> str | None:
    """Organisers start on what needs them now."""
    return reverse("workspace:home") if access.is_organiser(user) else None


urlpatterns = [
    path("", home, name="home"),
    path("jetzt/", home_items, name="home-items"),
]
