"""Extension points through which the apps that build on the core add to its pages,
so the core never imports them (dependencies point one way).

An app registers in its AppConfig.ready():

    from events_platform.extensions import event_panels
    event_panels.register("fairs", event_panel, order=30)

A panel is a callable `(request, event) -> str | None` that returns rendered HTML (or None
to show nothing). The event page renders every panel in `order`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.utils.safestring import SafeString, mark_safe


@dataclass
class PanelRegistry:
    """Named page fragments contributed by other apps."""

    _panels: dict[str, tuple[int, Callable]] = field(default_factory=dict)

    def register(self, name: str, render: Callable, *, order: int = 50) -> None:
        self._panels[name] = (order, render)

    def unregister(self, name: str) -> None:
        self._panels.pop(name, None)

    def render(self, request, obj) -> list[SafeString]:
        """Render every panel for `obj`, in order, leaving out those that return nothing."""
        fragments = []
        for _order, render in sorted(self._panels.values(), key=lambda item: item[0]):
            html = render(request, obj)
            if html:
                fragments.append(mark_safe(html))  # noqa: S308 - panels render templates
        return fragments


# Panels on the public event page, below its details (exhibitors, job offers …).
event_panels = PanelRegistry()
# What the event page's registration section offers (the Register button, places left):
# rendered inside that section, once, never repeated further down as a panel.
event_actions = PanelRegistry()
# Panels on the public series page.
series_panels = PanelRegistry()
# Panels on the visitor's ticket page (behind the secret link): `(request, registration) ->
# str | None` (the companies holding the visitor's contact, sharing it at a stand …).
ticket_panels = PanelRegistry()
# Panels on a company's stand booking page: `(request, booking) -> str | None` (the stand
# sign and the stand scanner's pairing links …).
booking_panels = PanelRegistry()
# What each job offer on a job wall offers beyond its text (the Apply button): `(request,
# offer) -> str | None`; the wall sets `offer.wall_event` (None on a series' wall).
job_offer_actions = PanelRegistry()


@dataclass
class NavRegistry:
    """Links other apps add to the main navigation, each shown only to whom it concerns.

    A provider is a callable `(request) -> list[tuple[label, url]]`.
    """

    _providers: dict[str, tuple[int, Callable]] = field(default_factory=dict)

    def register(self, name: str, provider: Callable, *, order: int = 50) -> None:
        self._providers[name] = (order, provider)

    def links(self, request) -> list[tuple[str, str]]:
        items = []
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            items.extend(provider(request) or [])
        return items


# The main navigation beyond the calendar (exhibitors, company area …).
nav_links = NavRegistry()
# Links in the footer of every page (the privacy notice, "your data"). The request is None on
# the error pages that Django renders without one, so a provider must not need it.
footer_links = NavRegistry()
# The organiser's menu, a second navigation shown only to organisers: every organiser page
# (start page, events, fairs, registrations, check-in, messages …), each app adding its own.
organiser_menu = NavRegistry()
# The links of a company's area beyond the exhibitor app's own (applications, contacts …),
# shown to the company's people on its start page: `(request) -> list[tuple[label, url]]`.
company_links = NavRegistry()


@dataclass
class StartPageRegistry:
    """Where each kind of user lands after signing in: apps say which of their pages is the
    start page of whom. A provider is a callable `(user) -> str | None` (a path); the
    provider with the lowest `order` that answers wins."""

    _providers: dict[str, tuple[int, Callable]] = field(default_factory=dict)

    def register(self, name: str, provider: Callable, *, order: int = 50) -> None:
        self._providers[name] = (order, provider)

    def for_user(self, user) -> str | None:
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            url = provider(user)
            if url:
                return url
        return None


# The start page after sign-in, per role (platform admin, organiser, company, door staff).
start_pages = StartPageRegistry()


@dataclass
class CountRegistry:
    """Numbers per object that only the apps above the core know, added up over every app.

    A counter is a callable `(ids: list[int]) -> dict[int, int]` (ids it has no number for
    may be left out; they count 0).
    """

    _counters: dict[str, Callable] = field(default_factory=dict)

    def register(self, name: str, counter: Callable) -> None:
        self._counters[name] = counter

    def unregister(self, name: str) -> None:
        self._counters.pop(name, None)

    def count(self, ids: list[int]) -> dict[int, int]:
        totals: dict[int, int] = {}
        for counter in self._counters.values():
            for pk, number in counter(ids).items():
                totals[pk] = totals.get(pk, 0) + number
        return totals


# Places taken per event id (ticketing: the persons its registrations hold).
places_taken = CountRegistry()
# Places taken per time slot id and per workshop (session) id.
slot_places_taken = CountRegistry()
session_places_taken = CountRegistry()


@dataclass
class SentenceRegistry:
    """Sentences the apps built on the core say about one object, for a page of the core.

    A provider is a callable `(obj) -> list[str]` (translated sentences, may be empty).
    """

    _providers: dict[str, tuple[int, Callable]] = field(default_factory=dict)

    def register(self, name: str, provider: Callable, *, order: int = 50) -> None:
        self._providers[name] = (order, provider)

    def sentences(self, obj) -> list[str]:
        found: list[str] = []
        for _order, provider in sorted(self._providers.values(), key=lambda item: item[0]):
            found.extend(provider(obj) or [])
        return found


# What cancelling an event would do (tickets revoked, waiting lists closed, bookings ended,
# who is told), said before the organiser confirms: `(event) -> list[str]`.
cancellation_effects = SentenceRegistry()


@dataclass
class PrivacyRegistry:
    """Each app's personal-data classification, registered by app label in its
    AppConfig.ready(): its `privacy` module, with `PERSONAL_DATA` (every field of its models in
    one class) and optionally `SUBJECT_COPY`. Data protection reads them (dataprotection/
    registry.py), so an app added to the project needs no edit there."""

    _modules: dict[str, ModuleType] = field(default_factory=dict)

    def register(self, app_label: str, module: ModuleType) -> None:
        self._modules[app_label] = module

    def items(self) -> list[tuple[str, ModuleType]]:
        return sorted(self._modules.items())


# The privacy module of every app that has models (the core registers its own too).
personal_data = PrivacyRegistry()


@dataclass
class EditionCopierRegistry:
    """How the apps built on the core copy their own rows of an event into its next edition.

    A copier is a callable `(source, target, shift) -> None`: `source` the earlier event,
    `target` its new draft copy, `shift` an `events_platform.editions.Shift` that moves a
    datetime or date by the edition's offset (wall-clock time in Europe/Berlin kept). Every
    copier runs inside the core's copy transaction; nothing personal may be copied.
    """

    _copiers: dict[str, tuple[int, Callable]] = field(default_factory=dict)

    def register(self, name: str, copier: Callable, *, order: int = 50) -> None:
        self._copiers[name] = (order, copier)

    def copy(self, source, target, shift) -> None:
        for _order, copier in sorted(self._copiers.values(), key=lambda item: item[0]):
            copier(source, target, shift)


# Copiers of an event's rows in other apps (questions, reminder plans, fairs and stand plans,
# entrances and check-in lists), run by events_platform/editions.py `copy_event`.
edition_copiers = EditionCopierRegistry()
