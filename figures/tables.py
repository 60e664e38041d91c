"""The tables of an edition's figures, as the page, the exports and the API show them.

Every number comes from figures/definitions.py (arrivals over the day from the door's own
`checkin.queries.entries_per_quarter`, counted as the live view's chart counts them); this
module only lays them out as tables with translated headings. A table is plain data
(`Table`), so the page, the CSV and XLSX files and the API read the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from checkin.queries import entries_per_quarter
from events_platform.models import EventSeries

from . import definitions
from .definitions import Figures

# The key figures, in the order funders read them: (field, label).
KEY_FIGURES = (
    ("visitors", gettext_lazy("Visitors (checked in and walk-ins)")),
    ("registered", gettext_lazy("Persons registered")),
    ("checked_in", gettext_lazy("Registered persons checked in")),
    ("walk_ins", gettext_lazy("Walk-ins counted at the door")),
    ("no_shows", gettext_lazy("Registered but not come")),
    ("present_now", gettext_lazy("Present now")),
    ("waiting_list", gettext_lazy("On the waiting list")),
    ("cancelled", gettext_lazy("Registrations cancelled")),
    ("registered_classes", gettext_lazy("School classes")),
    ("registered_pupils", gettext_lazy("Pupils in classes")),
    ("young_people", gettext_lazy("Young people reached")),
    ("exhibitors", gettext_lazy("Exhibitors (companies)")),
    ("first_time_companies", gettext_lazy("Companies for the first time")),
    ("returning_companies", gettext_lazy("Returning companies")),
    ("offers_total", gettext_lazy("Offers presented (all kinds)")),
    ("job_offers", gettext_lazy("Job offers")),
    ("apprenticeships", gettext_lazy("Apprenticeship and dual-study places")),
    ("staff_passes", gettext_lazy("Staff passes issued")),
    ("stand_contacts", gettext_lazy("Contacts made at the stands")),
)
# The columns of the per-site table.
SITE_COLUMNS = (
    "registered",
    "checked_in",
    "walk_ins",
    "visitors",
    "no_shows",
    "exhibitors",
    "offers_total",
    "young_people",
)
# The columns of "this year against earlier editions".
HISTORY_COLUMNS = ("visitors", "registered", "walk_ins", "exhibitors", "offers_total")
TABLE_NAMES = ("key", "sites", "arrivals", "history", "areas", "contacts")


def label(name: str) -> str:
    return str(dict(KEY_FIGURES)[name])


@dataclass
class Table:
    """One table: a name for files and anchors, a caption, a header row, data rows (the
    first cell a text, the others whole numbers) and a one-sentence summary."""

    name: str
    caption: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    summary: str = ""


@dataclass
class Edition:
    """Everything shown about one edition (a series in one year)."""

    series: EventSeries
    year: int
    total: Figures
    sites: list  # [(Event, Figures)]
    tables: dict[str, Table]


def site_name(event) -> str:
    return event.venue.town if event.venue_id and event.venue.town else event.title


def _hourly_arrivals(events) -> tuple[list[str], dict[int, dict[str, int]]]:
    """Persons let in per hour of the day (local time) at each site, from the door's
    entries per quarter hour (the live view's source)."""
    per_site: dict[int, dict[str, int]] = {}
    hours: set[str] = set()
    entries = entries_per_quarter([event.pk for event in events])
    for event_id, quarters in entries.items():
        counts = per_site.setdefault(event_id, {})
        for quarter, persons in quarters.items():
            hour = timezone.localtime(quarter).strftime("%H:00")
            counts[hour] = counts.get(hour, 0) + persons
            hours.add(hour)
    return sorted(hours), per_site


def _history(series: EventSeries, year: int, total: Figures) -> list[tuple[str, Figures]]:
    rows = []
    for other in definitions.earlier_editions(series):
        for other_year in definitions.years_of_series(other):
            rows.append(
                (
                    f"{other.title} {other_year}",
                    definitions.series_figures(other, other_year),
                )
            )
    for other_year in definitions.years_of_series(series):
        if other_year < year:
            rows.append(
                (f"{series.title} {other_year}", definitions.series_figures(series, other_year))
            )
    rows.append((f"{series.title} {year}", total))
    return rows


def edition(series: EventSeries, year: int) -> Edition:
    """The figures of a series in one year, laid out as the four tables."""
    total, sites = definitions.edition_figures(series, year)
    tables: dict[str, Table] = {}

    key = Table(
        name="key",
        caption=_("Key figures of the edition"),
        header=[_("Figure"), _("Persons or number")],
        rows=[[str(text), getattr(total, name)] for name, text in KEY_FIGURES],
    )
    key.summary = " ".join(
        (
            ngettext(
                "%(visitors)s person came: %(checked_in)s with a registration and "
                "%(walk_ins)s without.",
                "%(visitors)s people came: %(checked_in)s with a registration and "
                "%(walk_ins)s without.",
                total.visitors,
            )
            % {
                "visitors": _number(total.visitors),
                "checked_in": _number(total.checked_in),
                "walk_ins": _number(total.walk_ins),
            },
            ngettext(
                "%(exhibitors)s company took part.",
                "%(exhibitors)s companies took part.",
                total.exhibitors,
            )
            % {"exhibitors": _number(total.exhibitors)},
            ngettext(
                "%(offers)s offer was presented.",
                "%(offers)s offers were presented.",
                total.offers_total,
            )
            % {"offers": _number(total.offers_total)},
        )
    )
    tables["key"] = key

    site_table = Table(
        name="sites",
        caption=_("Sites side by side"),
        header=[_("Site")] + [label(name) for name in SITE_COLUMNS],
        rows=[
            [site_name(event)] + [getattr(figures, name) for name in SITE_COLUMNS]
            for event, figures in sites
        ],
    )
    if sites:
        busiest_event, busiest = max(sites, key=lambda item: item[1].visitors)
        site_table.summary = ngettext(
            "%(count)s site; most visitors at %(site)s (%(visitors)s).",
            "%(count)s sites; most visitors at %(site)s (%(visitors)s).",
            len(sites),
        ) % {
            "count": _number(len(sites)),
            "site": site_name(busiest_event),
            "visitors": _number(busiest.visitors),
        }
    else:
        site_table.summary = _("This edition has no sites in this year.")
    tables["sites"] = site_table

    hours, per_site = _hourly_arrivals([event for event, _figures in sites])
    arrivals = Table(
        name="arrivals",
        caption=_("Arrivals over the day per site (persons let in per hour)"),
        header=[_("Hour")] + [site_name(event) for event, _figures in sites],
        rows=[
            [hour] + [per_site.get(event.pk, {}).get(hour, 0) for event, _figures in sites]
            for hour in hours
        ],
    )
    if hours:
        peak = max(arrivals.rows, key=lambda row: sum(row[1:]))
        arrivals.summary = _("The busiest hour began at %(hour)s.") % {"hour": peak[0]}
    else:
        arrivals.summary = _("Nobody has been let in yet.")
    tables["arrivals"] = arrivals

    history_rows = _history(series, year, total)
    history = Table(
        name="history",
        caption=_("This year against earlier editions"),
        header=[_("Edition")] + [label(name) for name in HISTORY_COLUMNS],
        rows=[
            [name] + [getattr(figures, column) for column in HISTORY_COLUMNS]
            for name, figures in history_rows
        ],
    )
    if len(history_rows) > 1:
        before = history_rows[-2][1].visitors
        history.summary = _(
            "Visitors this year: %(visitors)s; at the edition before: %(before)s."
        ) % {"visitors": _number(total.visitors), "before": _number(before)}
    else:
        history.summary = _("There is no earlier edition to compare with.")
    tables["history"] = history
    tables["areas"] = _per_site_table(
        "areas",
        caption=_("Where visitors came from (postcode areas, first two digits)"),
        first=_("Postcode area"),
        field="postcode_areas",
        total=total,
        sites=sites,
        name_of=lambda area: area or _("not given"),
    )
    tables["areas"].summary = (
        ngettext(
            "%(count)s postcode area named.",
            "%(count)s postcode areas named.",
            len([area for area in total.postcode_areas if area]),
        )
        % {"count": _number(len([area for area in total.postcode_areas if area]))}
        + " "
        + ngettext(
            "%(count)s visitor gave no postcode.",
            "%(count)s visitors gave no postcode.",
            total.postcode_areas.get("", 0),
        )
        % {"count": _number(total.postcode_areas.get("", 0))}
    )
    tables["contacts"] = _per_site_table(
        "contacts",
        caption=_("Contacts made per company and site (counts only)"),
        first=pgettext("figures table heading", "Company"),
        field="contacts_by_company",
        total=total,
        sites=sites,
        name_of=str,
    )
    tables["contacts"].summary = (
        ngettext(
            "%(count)s contact was made at the stands.",
            "%(count)s contacts were made at the stands.",
            total.stand_contacts,
        )
        % {"count": _number(total.stand_contacts)}
        + " "
        + ngettext(
            "%(companies)s company made contacts.",
            "%(companies)s companies made contacts.",
            len(total.contacts_by_company),
        )
        % {"companies": _number(len(total.contacts_by_company))}
    )
    return Edition(series=series, year=year, total=total, sites=sites, tables=tables)


def _per_site_table(name, *, caption, first, field, total, sites, name_of) -> Table:
    """A count by key (area, company) per site with the edition's total in the last column."""
    keys = sorted(getattr(total, field), key=lambda key: (key == "", key))  # "" last
    return Table(
        name=name,
        caption=caption,
        header=[first] + [site_name(event) for event, _figures in sites] + [_("Total")],
        rows=[
            [name_of(key)]
            + [getattr(figures, field).get(key, 0) for _event, figures in sites]
            + [getattr(total, field)[key]]
            for key in keys
        ],
    )


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)
