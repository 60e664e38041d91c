"""The access-control matrix of every HTML route (everything outside `api/`) x every role.

HOW TO ADD A ROW (a new route without one makes `test_every_route_has_a_row` fail):
1. Find the route's key: its name with namespace ("fairs:booking-detail"), or, for an
   unnamed pattern, its full pattern ("admin/fairs/hall/<path:object_id>/"). Add
   "@something" to try a route once more with other objects ("checkin:event@event_y").
2. Add `"key": Row(kwargs, get=..., post=...)` to ROWS below (admin routes of a new
   ModelAdmin are generated from ADMIN_OBJECTS: add the model's A-owned world object there).
   - kwargs fill the URL from the world (tests/security/world.py), always with objects of A:
     "id:booking_a" -> world.ids["booking_a"]; "slug:event_x" -> world.slugs["event_x"];
     "vtok:manage" -> the visitor link the role holds (visitor: visitor A's, visitor_b:
     visitor B's, every other role a made-up token); "ctok:confirm" -> company A's mailed
     link for company_a, a made-up one for the others; "tok:pairing_x" -> world.tokens[...]
     for everyone; anything else is used as it is.
   - get / post: one outcome per role (use the helpers: `everyone("200")`, `organisers()`,
     `company_pages()` ...; None = that method is not tried). Outcomes: "200", "302" (a
     redirect that is not to a login page), "login" (redirect to the site's or admin's
     login), "signup" (a logged-in user without a company is sent to the company sign-up),
     "403", "404", "405". A POST goes with `post_data` (default: empty).
   - Every response is searched for A's private strings (world.secrets_a) the role is not
     entitled to (ENTITLED; a row may add to it with `entitled=`): none may appear.
   - A POST that a role is denied (400/403/404/405/login/signup), or made by a role in
     the row's `keeps`, must not change A's data (`fingerprint`, before and after).
3. Run `.venv/bin/pytest tests/security/test_access_matrix.py -q`.

Pages under the language prefix (`/en/...`) are the same patterns; they are requested
without a prefix (German, the default), and a few IDOR-prone ones once more in English
(rows "...@en" with `language="en"`).
"""

import functools
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.security import world as world_module
from tests.security.world import MADE_UP_TOKEN, ROLES

world = world_module.world  # the fixture

VISITORS = ("anonymous", "visitor", "visitor_b")  # anonymous clients
LOGGED_IN = ("company_a", "company_b", "organiser_a", "organiser_b", "checkin_x", "platform_admin")
COMPANIES = ("company_a", "company_b")
NO_COMPANY = ("organiser_a", "organiser_b", "checkin_x", "platform_admin")
ORGANISERS_OF_A = ("organiser_a", "platform_admin")

# Whose private data of A each role may see (keys of world.secrets_a).
ENTITLED = {
    "visitor": {"visitor", "contact_note"},
    "company_a": {"company", "contact_note"},
    "organiser_a": {"visitor", "company", "org"},
    "platform_admin": {"visitor", "company", "org", "contact_note"},
}
DENIED = {"400", "403", "404", "405", "login", "signup"}


@dataclass
class Row:
    kwargs: dict = field(default_factory=dict)
    get: dict | None = None
    post: dict | None = None
    post_data: dict = field(default_factory=dict)
    entitled: dict = field(default_factory=dict)  # role -> extra secret groups it may see
    echoed: tuple = ()  # what the role itself typed into the form (not a leak if shown back)
    keeps: tuple = ()  # roles whose POST must leave A's data alone though not "denied"
    shows: dict = field(default_factory=dict)  # role -> text its (allowed) answer must show
    language: str = ""  # "en": the English URL (/en/...) of a language-prefixed route
    debug_only: bool = False  # a route that exists only with DEBUG (its absence is fine)
    path: str = ""  # a fixed path instead of reversing the route (catch-all patterns)
    admin: str = ""  # the model label of a generated admin row


def everyone(outcome: str, **overrides) -> dict:
    cells = dict.fromkeys(ROLES, outcome)
    cells.update(overrides)
    return cells


def roles(default: str, groups: dict) -> dict:
    """`default` for every role, then `{("role", ...): outcome}` on top."""
    cells = everyone(default)
    for names, outcome in groups.items():
        for name in (names,) if isinstance(names, str) else names:
            cells[name] = outcome
    return cells


def company_pages(own: str = "200", other: str = "404") -> dict:
    """A company-only page about an object of company A."""
    return roles("login", {"company_a": own, "company_b": other, NO_COMPANY: "signup"})


def company_home(ok: str = "200") -> dict:
    """A company-only page about the user's own company (no object in the URL)."""
    return roles("login", {COMPANIES: ok, NO_COMPANY: "signup"})


def organisers(own: str = "200", other: str = "404", outsider: str = "404") -> dict:
    """An organiser page about an object of organisation A."""
    return roles(
        "login",
        {
            ORGANISERS_OF_A: own,
            "organiser_b": other,
            ("company_a", "company_b", "checkin_x"): outsider,
        },
    )


def secret_link(own: str = "200", made_up: str = "404", visitor_b: str | None = None) -> dict:
    """A page reached by a visitor's secret link (other roles hold a made-up token)."""
    return roles(made_up, {"visitor": own, "visitor_b": visitor_b or own})


def seen_by_a(text: str) -> dict:
    """`shows` for organisation A's organisers (and the platform admin)."""
    return {"organiser_a": text, "platform_admin": text}


ROWS: dict[str, Row] = {
    # --- core: health, metrics, language, feeds, public pages, sign-in ------------------
    "healthz": Row(get=everyone("200")),
    "favicon": Row(get=everyone("200")),
    "metrics": Row(get=everyone("404")),
    "set_language": Row(post=everyone("302"), post_data={"language": "de", "next": "/"}),
    "ical-all": Row(get=everyone("200")),
    "ical-event": Row({"slug": "slug:event_x"}, get=everyone("200")),
    "ical-series": Row({"slug": "slug:series_a"}, get=everyone("200")),
    "ical-town": Row({"town": "slug:town_a"}, get=everyone("200")),
    "ical-kind": Row({"kind": "returnee_day"}, get=everyone("200")),
    "login": Row(get=everyone("200"), post=everyone("200")),
    "logout": Row(get=everyone("405"), post=everyone("302")),
    "events_platform:home": Row(get=everyone("200")),
    # Uploaded files, served by Django only with DEBUG (urls.py); production: Caddy.
    "^media/(?P<path>.*)$": Row(
        path="/media/nicht-vorhanden.txt", get=everyone("404"), debug_only=True
    ),
    # Password reset: company_a holds a real reset link for its user (as if mailed), the
    # others a made-up token (Django shows "invalid link").
    "password_reset": Row(get=everyone("200"), post=everyone("200")),
    "password_reset_done": Row(get=everyone("200")),
    "password_reset_confirm": Row(
        {"uidb64": "uid:company_a", "token": "prtok:company_a"},
        get=roles("200", {"company_a": "302"}),
    ),
    "password_reset_complete": Row(get=everyone("200")),
    "events_platform:event-list": Row(get=everyone("200")),
    "events_platform:event-detail": Row({"slug": "slug:event_x"}, get=everyone("200")),
    "events_platform:series-detail": Row({"slug": "slug:series_a"}, get=everyone("200")),
    # Data-subject requests: the e-mailed link ("dtok:") is visitor A's for the visitor.
    "dataprotection:privacy-notice": Row(get=everyone("200")),
    "dataprotection:data-request": Row(get=everyone("200"), post=everyone("400")),
    "dataprotection:data-overview": Row({"token": "dtok:"}, get=secret_link()),
    "dataprotection:data-download": Row({"token": "dtok:"}, get=secret_link()),
    # An empty POST lacks the confirmation: the page again with the error (400).
    "dataprotection:data-erase": Row(
        {"token": "dtok:"}, get=everyone("405"), post=secret_link("400")
    ),
    # --- fairs: companies ----------------------------------------------------------------
    "fairs:company-signup": Row(
        get=roles("200", {COMPANIES: "302"}), post=roles("200", {COMPANIES: "302"})
    ),
    "fairs:company-confirm": Row({"token": "ctok:confirm"}, get=roles("400", {"company_a": "200"})),
    "fairs:company-resend": Row(
        get=roles("login", {COMPANIES: "405", NO_COMPANY: "signup"}), post=company_home("302")
    ),
    "fairs:company-home": Row(get=company_home()),
    "fairs:company-bookings": Row(get=company_home()),
    "fairs:company-profile": Row(get=company_home(), post=company_home()),
    "fairs:company-members": Row(get=company_home(), post=company_home()),
    "fairs:company-member-remove": Row(
        {"pk": "id:colleague_a"},
        get=roles("login", {COMPANIES: "405", NO_COMPANY: "signup"}),
        post=company_pages("302"),
    ),
    "fairs:invite-accept": Row(
        {"token": "ctok:invite"},
        get=roles("400", {"company_a": "200"}),
        post=roles("400", {"company_a": "200"}),
    ),
    "fairs:company-logo": Row({"slug": "slug:company_a"}, get=everyone("404")),
    # hall_a has no background image: nothing to serve to anyone.
    "fairs:hall-background": Row({"pk": "id:hall_a"}, get=everyone("404")),
    # --- fairs: bookings -----------------------------------------------------------------
    "fairs:fair-list": Row(get=everyone("200")),
    "fairs:stand-book": Row({"slug": "slug:fair_event_a"}, get=company_home(), post=company_home()),
    "fairs:waitlist-join": Row(
        {"slug": "slug:fair_event_a"},
        get=roles("login", {COMPANIES: "405", NO_COMPANY: "signup"}),
        # Refused (free stands left): the booking page again with the wishes kept.
        post=company_home("400"),
    ),
    "fairs:series-book": Row({"slug": "slug:series_a"}, get=company_home(), post=company_home()),
    "fairs:offer-respond": Row({"pk": "id:waitlist_a"}, get=company_pages(), post=company_pages()),
    "fairs:booking-detail": Row(
        {"pk": "id:booking_a"}, get=company_pages(), shows={"company_a": "Ausbildungsmesse Alpha"}
    ),
    "fairs:booking-detail@en": Row({"pk": "id:booking_a"}, get=company_pages(), language="en"),
    "fairs:booking-withdraw": Row(
        {"pk": "id:booking_a"}, get=company_pages(), post=company_pages("302")
    ),
    "fairs:booking-pdf": Row({"pk": "id:booking_a"}, get=company_pages()),
    "fairs:booking-ics": Row({"pk": "id:booking_a"}, get=company_pages()),
    "fairs:staff-pass-create": Row(
        # Without a name: the booking page again with the error beside the field.
        {"pk": "id:booking_a"},
        get=company_pages("405", "405"),
        post=company_pages("400"),
    ),
    "fairs:staff-pass-qr": Row({"pk": "id:staff_pass_a"}, get=company_pages()),
    "fairs:staff-pass-revoke": Row(
        {"pk": "id:staff_pass_a"}, get=company_pages("405", "405"), post=company_pages("302")
    ),
    # --- fairs: job offers ---------------------------------------------------------------
    "fairs:job-offer-list": Row(get=company_home()),
    "fairs:job-offer-create": Row(get=company_home(), post=company_home()),
    "fairs:job-offer-edit": Row(
        {"pk": "id:job_a"},
        get=company_pages(),
        post=company_pages(),
        shows={"company_a": "Ausbildung Alphawerk Landwirt/in"},
    ),
    "fairs:job-offer-delete": Row(
        {"pk": "id:job_a"}, get=company_pages("405", "405"), post=company_pages("302")
    ),
    # --- fairs: public directory and job wall -------------------------------------------
    "fairs:exhibitors-event": Row({"slug": "slug:fair_event_a"}, get=everyone("200")),
    "fairs:exhibitors-series": Row({"slug": "slug:series_a"}, get=everyone("200")),
    "fairs:jobs-event": Row({"slug": "slug:fair_event_a"}, get=everyone("200")),
    "fairs:jobs-series": Row({"slug": "slug:series_a"}, get=everyone("200")),
    # --- fairs: organisers ---------------------------------------------------------------
    "fairs:organiser-fairs": Row(get=organisers(other="200")),
    "fairs:organiser-fair": Row(
        {"slug": "slug:fair_event_a"},
        get=organisers(),
        shows=seen_by_a("Alphawerk Agrar GmbH"),
    ),
    "fairs:organiser-decide": Row(
        {"pk": "id:booking_a"},
        get=organisers("405", "405", "404"),
        post=organisers("302"),
        post_data={"action": "cancel", "message": "Matrix"},
    ),
    "fairs:organiser-offer": Row(
        {"pk": "id:waitlist_a"}, get=organisers("405", "405", "404"), post=organisers("302")
    ),
    # Verification is per organisation (fairs/models.py): A's organisers verify the pending
    # company (it asked for a stand at A's fair) for A; organiser B, whose events it never
    # dealt with, finds no such company (404) and changes nothing.
    "fairs:organiser-verify": Row(
        {"pk": "id:pending_company"},
        get=organisers("405", "405", "404"),
        post=organisers("302"),
        post_data={"organisation": "id:org_a"},
    ),
    # Naming organisation B: nobody may verify for B a company with no dealings with B.
    "fairs:organiser-verify@for_b": Row(
        {"pk": "id:pending_company"},
        post=organisers("404", "404", "404"),
        post_data={"organisation": "id:org_b"},
    ),
    # --- ticketing: visitors' secret links -----------------------------------------------
    "ticketing:register": Row({"slug": "slug:event_x"}, get=everyone("200"), post=everyone("400")),
    "ticketing:ticket": Row(
        {"token": "vtok:manage"},
        get=secret_link(),
        shows={"visitor": "Amalia Alphabesucherin", "visitor_b": "Boris Betabesucher"},
    ),
    "ticketing:ticket@en": Row({"token": "vtok:manage"}, get=secret_link(), language="en"),
    "ticketing:ticket-pdf": Row({"token": "vtok:manage"}, get=secret_link()),
    "ticketing:ticket-edit": Row({"token": "vtok:manage"}, get=secret_link(), post=secret_link()),
    # Visitor A's registration (event X, on now) has no slot or workshop to choose and its
    # registration is closed: the page says so; an empty POST is refused and changes nothing.
    "ticketing:ticket-change": Row(
        {"token": "vtok:manage"}, get=secret_link(), post=secret_link("400")
    ),
    "ticketing:ticket-cancel": Row(
        {"token": "vtok:manage"}, get=secret_link(), post=secret_link("302")
    ),
    "ticketing:offer-accept": Row(
        {"token": "vtok:manage"}, get=everyone("405"), post=secret_link("302")
    ),
    # No offer is open: the holder is sent back to the page with a notice.
    "ticketing:offer-decline": Row(
        {"token": "vtok:manage"}, get=everyone("405"), post=secret_link("302")
    ),
    "ticketing:personal-feed": Row({"token": "vtok:feed"}, get=secret_link()),
    "ticketing:guardian-confirm": Row(
        {"token": "vtok:guardian"},
        get=secret_link(visitor_b="404"),
        post=secret_link(visitor_b="404"),
    ),
    "ticketing:ticket-renew-link": Row(
        {"token": "vtok:manage"}, get=everyone("405"), post=secret_link("302")
    ),
    "ticketing:feed-renew": Row(
        {"token": "vtok:manage"}, get=everyone("405"), post=secret_link("302")
    ),
    # --- ticketing: organisers -----------------------------------------------------------
    # Any signed-in user gets the overview, listing only events they organise (none).
    "ticketing:organiser-overview": Row(get=organisers(other="200", outsider="200")),
    "ticketing:organiser-list": Row(
        {"event_id": "id:event_x"},
        get=organisers(),
        shows=seen_by_a("Amalia Alphabesucherin"),
    ),
    "ticketing:organiser-add": Row({"event_id": "id:event_x"}, get=organisers(), post=organisers()),
    "ticketing:organiser-export": Row({"event_id": "id:event_x", "fmt": "csv"}, get=organisers()),
    "ticketing:organiser-detail": Row(
        {"pk": "id:registration_a"},
        get=organisers(),
        shows=seen_by_a("amalia.alpha@visitor-a.example"),
    ),
    "ticketing:organiser-cancel": Row(
        {"pk": "id:registration_a"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "ticketing:organiser-renew-link": Row(
        {"pk": "id:registration_a"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    # --- check-in (door and organiser) ---------------------------------------------------
    "checkin:home": Row(get=roles("login", {LOGGED_IN: "200"})),
    "checkin:past": Row(get=roles("login", {LOGGED_IN: "200"})),
    # --- leads: stand contacts (company A holds visitor A's contact from fair A) ----------
    "leads:company-contacts": Row(get=company_home(), entitled={"company_a": {"visitor"}}),
    "leads:company-contacts-export": Row(
        {"fmt": "csv"}, get=company_home(), entitled={"company_a": {"visitor"}}
    ),
    "leads:company-contacts-export@vcf": Row(
        {"fmt": "vcf"}, get=company_home(), entitled={"company_a": {"visitor"}}
    ),
    "leads:stand-sign": Row({"pk": "id:booking_a"}, get=company_pages()),
    "leads:staff-passes": Row({"pk": "id:booking_a"}, get=company_pages()),
    "leads:pair": Row(get=everyone("200"), post=everyone("400")),
    # A pairing link from company A's booking page: whoever holds it pairs a phone.
    "leads:pair-link": Row(
        {"token": "tok:stand_pair_a"}, get=everyone("200"), post=everyone("302")
    ),
    "leads:scanner": Row(get=everyone("200")),
    "leads:service-worker": Row(get=everyone("200")),
    # The phone's calls: without a device token of a paired stand phone, nothing.
    "leads:device-info": Row(get=everyone("403")),
    "leads:device-upload": Row(get=everyone("405"), post=everyone("403")),
    # The stand's QR code: without the visitor's ticket opened on the phone, nothing to share.
    "leads:share": Row({"code": "tok:stand_a"}, get=everyone("200"), post=everyone("200")),
    "leads:withdraw": Row(
        {"token": "vtok:manage", "pk": "id:contact_a"},
        get=everyone("405"),
        post=secret_link("302", visitor_b="404"),
    ),
    # From "Ihre Daten": withdraw one contact by the e-mailed data link (visitor B's link
    # does not reach visitor A's contact).
    "leads:data-withdraw": Row(
        {"token": "dtok:", "pk": "id:contact_a"},
        get=secret_link(visitor_b="404"),
        post=secret_link(visitor_b="404"),
    ),
    "leads:organiser-fairs": Row(get=organisers(other="200")),
    "leads:organiser-counts": Row({"pk": "id:fair_a"}, get=organisers()),
    "checkin:scanner": Row(get=everyone("200")),
    "checkin:service-worker": Row(get=everyone("200")),
    "checkin:pair": Row(
        {"token": "tok:pairing_x"},
        get=everyone("200"),
        post=everyone("302"),
        post_data={"name": "Tür Nord"},
    ),
    "checkin:use-device": Row(
        {"pk": "id:event_x"},
        get=roles("login", {LOGGED_IN: "405"}),
        post=organisers("302", outsider="404") | {"checkin_x": "302"},
    ),
    "checkin:door-register": Row(
        {"pk": "id:event_x"},
        get=organisers(outsider="404") | {"checkin_x": "200"},
        post=organisers(outsider="404") | {"checkin_x": "200"},
        entitled={"checkin_x": {"visitor"}},
    ),
    # Variants ("route@what"): the same routes on event Y of A, where checkin_x is not assigned.
    "checkin:use-device@event_y": Row(
        {"pk": "id:event_y"},
        get=roles("login", {LOGGED_IN: "405"}),
        post=organisers("302", outsider="404"),
    ),
    "checkin:door-register@event_y": Row(
        {"pk": "id:event_y"}, get=organisers(outsider="404"), post=organisers(outsider="404")
    ),
    "checkin:event@event_y": Row({"pk": "id:event_y"}, get=organisers()),
    "checkin:series": Row({"pk": "id:series_a"}, get=organisers()),
    "checkin:event": Row(
        {"pk": "id:event_x"},
        get=organisers(),
        shows=seen_by_a("Rückkehrertag Alpha X"),
    ),
    "checkin:event@en": Row({"pk": "id:event_x"}, get=organisers(), language="en"),
    "ticketing:organiser-detail@en": Row(
        {"pk": "id:registration_a"}, get=organisers(), language="en"
    ),
    "checkin:event-figures": Row({"pk": "id:event_x"}, get=organisers()),
    "checkin:attendance-csv": Row({"pk": "id:event_x"}, get=organisers()),
    "checkin:pairing": Row(
        {"pk": "id:event_x"}, get=organisers(), post=roles("login", {LOGGED_IN: "405"})
    ),
    "checkin:entrance-add": Row(
        {"pk": "id:event_x"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "checkin:staff-assign": Row(
        {"pk": "id:event_x"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "checkin:device-revoke": Row(
        {"pk": "id:event_x", "device_pk": "id:device_a"},
        get=organisers("405", "405", "405"),
        post=organisers("302"),
    ),
    # --- messages and announcements ------------------------------------------------------
    "notifications:message-list": Row(get=organisers(other="200")),
    "notifications:message-detail": Row(
        {"pk": "id:message_a"},
        get=organisers(),
        shows=seen_by_a("amalia.alpha@visitor-a.example"),
    ),
    "notifications:message-attachment": Row(
        {"pk": "id:message_a", "index": 0}, get=organisers(), shows=seen_by_a("BEGIN:VCALENDAR")
    ),
    "notifications:message-attachment@missing": Row(
        {"pk": "id:message_a", "index": 5}, get=organisers("404")
    ),
    "notifications:announcement-list": Row(get=organisers(other="200")),
    "notifications:announcement-create": Row(
        get=organisers(other="200"), post=organisers(other="200")
    ),
    "notifications:announcement-detail": Row({"pk": "id:announcement_a"}, get=organisers()),
    "notifications:announcement-test": Row(
        {"pk": "id:announcement_a"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "notifications:announcement-send": Row(
        {"pk": "id:announcement_a"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "notifications:announcement-progress": Row({"pk": "id:announcement_a"}, get=organisers()),
    "notifications:unsubscribe": Row(
        {"token": "vtok:unsubscribe"}, get=secret_link(), post=secret_link()
    ),
    # Each organiser's own choice per membership; no membership (a platform admin, a
    # company, door staff): nothing to choose. An empty POST is shown again with errors.
    "notifications:alert-settings": Row(
        get=roles(
            "login",
            {
                ("organiser_a", "organiser_b"): "200",
                ("company_a", "company_b", "checkin_x", "platform_admin"): "404",
            },
        ),
        post=roles(
            "login",
            {
                ("organiser_a", "organiser_b"): "200",
                ("company_a", "company_b", "checkin_x", "platform_admin"): "404",
            },
        ),
        keeps=("organiser_a", "organiser_b"),
        shows={"organiser_a": "E-Mails zu Ihren Veranstaltungen"},
    ),
    # --- workspace: the start page (what needs the organiser now) and its polled items -----
    # Every organiser gets it about their own organisations: A's shows Gammawerk awaiting
    # verification at A's fair, B's none of A's items (the secrets check), others nothing.
    "workspace:home": Row(get=organisers(other="200"), shows=seen_by_a("Gammawerk Handwerk")),
    "workspace:home@en": Row(
        get=organisers(other="200"), shows=seen_by_a("What needs doing now"), language="en"
    ),
    "workspace:home-items": Row(get=organisers(other="200"), shows=seen_by_a("Gammawerk Handwerk")),
    # --- workspace: events and series -----------------------------------------------------
    # Lists and new-object pages: every organiser sees their own (B an empty list); a user
    # who organises for no organisation finds no such page. An empty POST is shown again.
    "workspace:event-list": Row(get=organisers(other="200")),
    "workspace:event-new": Row(get=organisers(other="200")),
    "workspace:event-create": Row(
        {"kind": "camp"}, get=organisers(other="200"), post=organisers("400", "400")
    ),
    "workspace:event-edit": Row(
        {"pk": "id:draft_a"},
        get=organisers(),
        post=organisers("400"),
        shows=seen_by_a("Geheimer Entwurf Alpha"),
    ),
    "workspace:event-preview": Row(
        {"pk": "id:draft_a"}, get=organisers(), shows=seen_by_a("Geheimer Entwurf Alpha")
    ),
    "workspace:event-publish": Row(
        {"pk": "id:draft_a"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "workspace:event-cancel": Row({"pk": "id:event_y"}, get=organisers(), post=organisers("302")),
    "workspace:series-list": Row(get=organisers(other="200")),
    "workspace:series-create": Row(get=organisers(other="200"), post=organisers("400", "400")),
    "workspace:series-edit": Row({"pk": "id:series_a"}, get=organisers(), post=organisers("400")),
    # --- workspace: the hall editor (an empty POST is shown again with its errors) ---------
    "workspace:plan-list": Row(get=organisers(other="200")),
    "workspace:plan-edit": Row({"pk": "id:hall_a"}, get=organisers(), post=organisers("400")),
    "workspace:plan-export": Row({"pk": "id:hall_a"}, get=organisers()),
    # --- workspace: the audit log and the organisation's settings (organiser admins only;
    # an empty POST is shown again with its errors, nothing changed) ----------------------
    "workspace:audit-log": Row(get=organisers(other="200")),
    "workspace:organisation-settings": Row(
        {"pk": "id:org_a"},
        get=organisers(),
        post=organisers("400"),
        shows=seen_by_a("Landkreis Alpha Wirtschaftsförderung"),
    ),
    # --- workspace: next year's edition (an empty POST is shown again, nothing copied) -----
    "workspace:event-copy": Row(
        {"pk": "id:draft_a"},
        get=organisers(),
        post=organisers("400"),
        shows=seen_by_a("Geheimer Entwurf Alpha"),
    ),
    "workspace:series-copy": Row(
        {"pk": "id:series_a"},
        get=organisers(),
        post=organisers("400"),
        shows=seen_by_a("Rückkehrertag Alpha X"),
    ),
    # --- workspace: inviting last edition's exhibitors (none here: nothing is written) ----
    "workspace:edition-invite": Row(
        {"pk": "id:draft_a"},
        get=organisers(),
        post=organisers("302"),
        shows=seen_by_a("Geheimer Entwurf Alpha"),
    ),
    "workspace:series-invite": Row({"pk": "id:series_a"}, get=organisers(), post=organisers("302")),
    # --- figures: an edition's figures, charts and tables, each table as CSV and XLSX -----
    "figures:index": Row(get=organisers(other="200")),
    "figures:series-latest": Row({"pk": "id:series_a"}, get=organisers("302")),
    "figures:series": Row({"pk": "id:series_a", "year": 2026}, get=organisers()),
    "figures:report-edit": Row({"pk": "id:series_a", "year": 2026}, post=organisers("302")),
    "figures:report": Row({"pk": "id:series_a", "year": 2026}, get=organisers()),
    "figures:table-export": Row(
        {"pk": "id:series_a", "year": 2026, "table": "sites", "fmt": "csv"}, get=organisers()
    ),
    # --- applications: anyone applies on the job wall; the applicant by the receipt's
    # link; company A's people read and answer; company B and organisers see none of it ----
    "applications:apply": Row(
        {"pk": "id:job_a", "slug": "slug:fair_event_a"}, get=everyone("200"), post=everyone("400")
    ),
    "applications:mine": Row(
        {"token": "vtok:application"},
        get=secret_link(visitor_b="404"),
        shows={"visitor": "Alpha-Einladung"},
    ),
    "applications:mine-file": Row(
        {"token": "vtok:application", "kind": "cv"}, get=secret_link(visitor_b="404")
    ),
    "applications:mine-withdraw": Row(
        {"token": "vtok:application"}, get=everyone("405"), post=secret_link(visitor_b="404")
    ),
    "applications:company-offers": Row(get=company_home()),
    "applications:company-list": Row(
        {"pk": "id:job_a"},
        get=company_pages(),
        entitled={"company_a": {"visitor"}},
        shows={"company_a": "Anja Alphabewerberin"},
    ),
    "applications:company-detail": Row(
        {"pk": "id:application_a"},
        get=company_pages(),
        post=company_pages("400"),
        entitled={"company_a": {"visitor"}},
        shows={"company_a": "Alpha-Bewerbungstext"},
    ),
    "applications:company-file": Row(
        {"pk": "id:application_a", "kind": "cv"},
        get=company_pages(),
        entitled={"company_a": {"visitor"}},
    ),
    # Organisers: how many applications per company at their events, never who applied.
    "applications:organiser-counts": Row(get=organisers(other="200")),
    # --- surveys: the organiser's pages (an empty POST is shown again with its errors or
    # changes nothing: the survey is open), the answering page by its link ----------------
    "surveys:list": Row(get=organisers(other="200"), post=organisers("400", "400")),
    "surveys:edit": Row({"pk": "id:survey_a"}, get=organisers(), post=organisers("400")),
    "surveys:section-add": Row(
        {"pk": "id:survey_a"}, get=organisers("405", "405", "405"), post=organisers("400")
    ),
    "surveys:section-edit": Row(
        {"pk": "id:survey_a", "section_pk": "id:survey_section_a"},
        get=organisers(),
        post=organisers("400"),
    ),
    "surveys:question-add": Row(
        {"pk": "id:survey_a", "section_pk": "id:survey_section_a"},
        get=organisers(),
        post=organisers("400"),
    ),
    "surveys:question-edit": Row(
        {
            "pk": "id:survey_a",
            "section_pk": "id:survey_section_a",
            "question_pk": "id:survey_question_a",
        },
        get=organisers(),
        post=organisers("400"),
    ),
    "surveys:preview": Row({"pk": "id:survey_a"}, get=organisers()),
    "surveys:state": Row(
        {"pk": "id:survey_a"}, get=organisers("405", "405", "405"), post=organisers("302")
    ),
    "surveys:invitations": Row(
        {"pk": "id:survey_a"},
        get=organisers(),
        post=organisers("302"),
        shows=seen_by_a("alpha-umfrageliste@alphawerk.example"),
    ),
    "surveys:results": Row({"pk": "id:survey_a"}, get=organisers()),
    "surveys:export": Row({"pk": "id:survey_a", "fmt": "csv"}, get=organisers()),
    # The public link: anyone may start (each start is a link of its own).
    "surveys:public": Row(
        {"token": "tok:survey_public"}, get=everyone("200"), post=everyone("302")
    ),
    # The invitation link is company A's mailed secret; an empty POST misses the required
    # answer. Held by everyone here, it shows only the survey's questions.
    "surveys:answer": Row({"token": "tok:survey_a"}, get=everyone("200"), post=everyone("400")),
    # --- programmes: public pages, a company's part, the organiser's pages ---------------
    "programmes:list": Row(get=everyone("200")),
    "programmes:detail": Row({"slug": "slug:programme_a"}, get=everyone("200")),
    "programmes:plain": Row({"slug": "slug:programme_a"}, get=everyone("200")),
    # Company A is signed up (its details in the form), company B may sign up.
    "programmes:signup": Row(
        {"slug": "slug:programme_a"}, get=company_home(), post=company_home("400")
    ),
    "programmes:company": Row(
        {"slug": "slug:programme_a"},
        get=roles("login", {"company_a": "200", "company_b": "302", NO_COMPANY: "signup"}),
        post=roles("login", {"company_a": "400", "company_b": "302", NO_COMPANY: "signup"}),
        shows={"company_a": "Mehmet Mentee"},
    ),
    "programmes:withdraw": Row(
        {"slug": "slug:programme_a"}, get=company_pages(), post=company_pages("302")
    ),
    "programmes:participant-remove": Row(
        {"slug": "slug:programme_a", "pk": "id:mentee_a"},
        get=company_pages(),
        post=company_pages("302"),
    ),
    "programmes:organiser-list": Row(get=organisers(other="200")),
    "programmes:organiser-new": Row(get=organisers(other="200"), post=organisers("400", "400")),
    "programmes:organiser-edit": Row(
        {"slug": "slug:programme_a"}, get=organisers(), post=organisers("400")
    ),
    "programmes:organiser-event-add": Row(
        {"slug": "slug:programme_a"},
        get=organisers("405", "405", "404"),
        post=organisers("302"),
        keeps=ORGANISERS_OF_A,
    ),
    "programmes:organiser-event-remove": Row(
        {"slug": "slug:programme_a", "pk": "id:programme_event_a"},
        get=organisers("405", "405", "404"),
        post=organisers("302"),
    ),
    "programmes:organiser-participants": Row(
        {"slug": "slug:programme_a"},
        get=organisers(),
        post=organisers("400"),
        shows=seen_by_a("Mehmet Mentee"),
    ),
    "programmes:organiser-unpair": Row(
        {"slug": "slug:programme_a", "pk": "id:pair_a"},
        get=organisers("405", "405", "404"),
        post=organisers("302"),
    ),
    "programmes:organiser-messages": Row(
        {"slug": "slug:programme_a"}, get=organisers(), post=organisers("400")
    ),
    "programmes:organiser-message": Row(
        {"slug": "slug:programme_a", "pk": "id:programme_message_a"},
        get=organisers(),
        post=organisers("302"),
    ),
}


# --- the Django admin: rows generated per registered ModelAdmin ---------------------------

# The A-owned world object of each registered model (its change/delete/history pages).
ADMIN_OBJECTS = {
    "events_platform.organisation": "org_a",
    "events_platform.membership": "membership_a",
    "events_platform.venue": "venue_a",
    "events_platform.targetgroup": "target_group",  # platform-wide vocabulary
    "events_platform.eventseries": "series_a",
    "events_platform.event": "event_x",
    "events_platform.auditentry": "audit_a",
    "auth.group": "group",
    "auth.user": "company_a",  # company A's user (see admin_object_pk)
    "authtoken.tokenproxy": "company_a",  # company A's user's API token
    "fairs.company": "company_a",
    "fairs.fair": "fair_a",
    "fairs.stand": "stand_a",
    "fairs.hall": "hall_a",
    "fairs.standbooking": "booking_a",
    "fairs.waitlistentry": "waitlist_a",
    "fairs.joboffer": "job_a",
    "fairs.staffpass": "staff_pass_a",
    "ticketing.registration": "registration_a",
    "ticketing.ticket": "ticket_a",
    "ticketing.registrationsettings": "registration_settings_a",
    "ticketing.question": "question_a",
    "checkin.entrance": "entrance_a",
    "checkin.checkinlist": "checkin_list_a",
    "checkin.assignment": "assignment_x",
    "checkin.device": "device_a",
    "checkin.scan": "scan_a",
    "checkin.walkin": "walk_in_a",
    "notifications.reminderplan": "reminder_plan_a",
    "notifications.message": "message_a",
    "notifications.suppression": "suppression_a",
    "ticketing.excursionstop": "excursion_stop_a",
    "events_platform.datarequest": "data_request_a",  # made on first use (admin_object_pk)
}


def admin_object_pk(world, label: str):
    name = ADMIN_OBJECTS[label]
    if label in ("auth.user", "authtoken.tokenproxy"):  # a token's admin page is its user's
        return world.users["company_a"].pk
    if label == "events_platform.datarequest":  # made inside the test's savepoint
        from django.utils import timezone

        from events_platform.models import DataRequest

        return DataRequest.objects.create(
            kind="export",
            channel="organiser",
            email_hash="a" * 64,
            organisation=world.objects["org_a"],
            requested_by=world.users["organiser_a"],
            created_at=timezone.now(),
        ).pk
    return world.objects[name].pk


# How the back office treats each model (a rule per role, below):
#   scoped     organisers list, add, change and delete their organisations' rows
#   no_add     as scoped, but nobody adds rows by hand (they come from the services)
#   read_only  nobody adds or deletes; organisers see their organisations' rows
#   own_org    organisers see and change their own organisation; only the platform adds
#   vocabulary platform-wide lists every organiser reads; only the platform changes them
#   platform   the platform admin's alone (users, groups, API tokens, suppressions)
ADMIN_POLICY = {
    "events_platform.organisation": "own_org",
    "events_platform.membership": "scoped",
    "events_platform.venue": "scoped",
    "events_platform.targetgroup": "vocabulary",
    "events_platform.eventseries": "scoped",
    "events_platform.event": "scoped",
    "events_platform.auditentry": "read_only",
    "auth.group": "platform",
    "auth.user": "platform",
    "authtoken.tokenproxy": "platform",
    "fairs.company": "read_only",
    "fairs.fair": "scoped",
    "fairs.stand": "scoped",
    "fairs.hall": "scoped",
    "fairs.standbooking": "read_only",
    "fairs.waitlistentry": "no_add",
    "fairs.joboffer": "read_only",
    "fairs.staffpass": "read_only",
    "ticketing.registration": "read_only",
    "ticketing.ticket": "read_only",
    "ticketing.registrationsettings": "scoped",
    "ticketing.question": "scoped",
    "checkin.entrance": "scoped",
    "checkin.checkinlist": "scoped",
    "checkin.assignment": "scoped",
    "checkin.device": "scoped",
    "checkin.scan": "no_add",
    "checkin.walkin": "scoped",
    "notifications.reminderplan": "scoped",
    "notifications.message": "no_add",
    "notifications.suppression": "platform",
    "events_platform.datarequest": "read_only",
    "ticketing.excursionstop": "scoped",
}
# An empty POST to the A row's change page, for those who may open it: 200 (the form with
# its errors) unless listed. 302: every field is read-only, so "saved" changes nothing;
# 403: no change permission at all (organiser B then gets 403 too, before the lookup).
CHANGE_POST = {
    "events_platform.auditentry": "403",
    "events_platform.datarequest": "403",
    "checkin.scan": "403",
    "notifications.message": "403",
    "fairs.joboffer": "302",
    "fairs.staffpass": "302",
    "fairs.standbooking": "302",
    "fairs.waitlistentry": "302",
    "ticketing.ticket": "302",
}
# What an allowed change page must show (proof that it is A's row, not an empty form).
ADMIN_SHOWS = {
    "ticketing.registration": seen_by_a("amalia.alpha@visitor-a.example"),
    "fairs.standbooking": seen_by_a("Alphawerk Agrar GmbH"),
    "events_platform.event": seen_by_a("alpha-tag-x"),
}
# Rows whose deletion the admin refuses while other rows point to them (200: the
# "cannot delete" page) instead of deleting (302).
DELETE_PROTECTED = {
    "events_platform.organisation",
    "events_platform.venue",
    "events_platform.event",
    "fairs.fair",
    "fairs.hall",
    "fairs.stand",
}
NOT_STAFF = ("anonymous", "visitor", "visitor_b", "company_a", "company_b", "checkin_x")


def admin_cells(page: str, label: str) -> dict:
    """The outcome per role of one admin page of a model, from the model's policy."""
    policy = ADMIN_POLICY[label]
    platform, a, b = "200", "200", "200"
    if page == "redirect":
        return roles("login", {("organiser_a", "organiser_b", "platform_admin"): "302"})
    if policy == "platform":
        done = "302" if page == "delete-post" else "200"
        return roles("login", {("organiser_a", "organiser_b"): "403", "platform_admin": done})
    if page == "add":
        if policy != "scoped":
            a = b = "403"
        if policy in ("read_only", "no_add"):
            platform = "403"
    elif page in ("change", "history"):
        b = "200" if policy == "vocabulary" else "302"  # A's row "does not exist" for B
    elif page == "change-post":  # an empty form
        a = platform = CHANGE_POST.get(label, "200")
        if policy == "vocabulary":
            a = "403"
        b = "403" if a == "403" else "302"
    elif page in ("delete", "delete-post"):
        if policy in ("scoped", "no_add"):
            b = "302"
        else:
            a = b = "403"
        if policy == "read_only":
            platform = "403"
        if page == "delete-post":
            done = "200" if label in DELETE_PROTECTED else "302"
            a = done if a == "200" else a
            platform = done if platform == "200" else platform
    return roles("login", {"organiser_a": a, "organiser_b": b, "platform_admin": platform})


def admin_rows() -> dict[str, Row]:
    rows = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in ADMIN_POLICY:
            continue  # its routes show up as routes without a row
        app, name = model._meta.app_label, model._meta.model_name
        info = f"admin:{app}_{name}"
        obj = {"object_id": f"admin:{label}"}
        rows[f"{info}_changelist"] = Row(get=admin_cells("changelist", label), admin=label)
        rows[f"{info}_add"] = Row(get=admin_cells("add", label), admin=label)
        rows[f"{info}_change"] = Row(
            obj,
            get=admin_cells("change", label),
            post=admin_cells("change-post", label),
            admin=label,
            shows=ADMIN_SHOWS.get(label, {}),
        )
        rows[f"{info}_history"] = Row(obj, get=admin_cells("history", label), admin=label)
        rows[f"{info}_delete"] = Row(
            obj,
            get=admin_cells("delete", label),
            post=admin_cells("delete-post", label),
            post_data={"post": "yes"},
            admin=label,
        )
        rows[f"admin/{app}/{name}/<path:object_id>/"] = Row(
            obj, get=admin_cells("redirect", label), admin=label
        )
    return rows


def admin_site_rows() -> dict[str, Row]:
    staff = roles("login", {("organiser_a", "organiser_b", "platform_admin"): "200"})
    return {
        "admin:index": Row(get=staff),
        "admin:login": Row(
            get=roles("200", {("organiser_a", "organiser_b", "platform_admin"): "302"}),
            post=everyone("200"),  # empty form: errors
        ),
        # Not staff: back to the admin index (-> login); staff: POST only.
        "admin:logout": Row(
            get=roles("302", {("organiser_a", "organiser_b", "platform_admin"): "405"}),
            post=everyone("302"),
        ),
        "admin:password_change": Row(get=staff, post=staff),
        "admin:password_change_done": Row(get=staff),
        "admin:autocomplete": Row(
            get=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "403"})
        ),
        "admin:jsi18n": Row(get=staff),
        "admin:view_on_site": Row(
            {"content_type_id": "ct:events_platform.event", "object_id": "id:event_x"},
            get=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "302"}),
        ),
        "admin:app_list": Row({"app_label": "fairs"}, get=staff),
        "admin/(?P<url>.*)$": Row(
            path="/admin/nicht-vorhanden/",
            get=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "404"}),
        ),
        "admin:auth_user_password_change": Row(
            {"id": "admin:auth.user"},
            get=roles("login", {("organiser_a", "organiser_b"): "403", "platform_admin": "200"}),
        ),
        # Organisers run an export/erasure only for an organisation they administer.
        "admin:events_platform_datarequest_run": Row(
            get=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "200"}),
            post=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "200"}),
            post_data={
                "email": "amalia.alpha@visitor-a.example",
                "organisation": "id:org_a",
                "action": "export",
            },
            echoed=("amalia.alpha@visitor-a.example",),
        ),
        # Bulk actions name rows by id: B's organiser naming A's rows must change nothing.
        "admin:ticketing_registration_changelist@cancel": Row(
            post=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "302"}),
            post_data={"action": "cancel_selected", "_selected_action": ["id:registration_a"]},
            keeps=("organiser_b",),
        ),
        "admin:fairs_company_changelist@verify": Row(
            post=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "302"}),
            post_data={"action": "verify", "_selected_action": ["id:pending_company"]},
            keeps=("organiser_b",),
        ),
        "admin:events_platform_event_changelist@delete": Row(
            post=roles("login", {("organiser_a", "organiser_b", "platform_admin"): "302"}),
            post_data={
                "action": "delete_selected",
                "_selected_action": ["id:draft_a"],
                "post": "yes",
            },
            keeps=("organiser_b",),
        ),
        "admin:fairs_hall_import": Row(
            {"pk": "id:hall_a"},
            get=organisers(outsider="login") | {"organiser_b": "404", "checkin_x": "login"},
            post=organisers(outsider="login") | {"organiser_b": "404", "checkin_x": "login"},
        ),
    }


ROWS.update(admin_rows())
ROWS.update(admin_site_rows())


# --- the resolver ------------------------------------------------------------------------


def walk(resolver=None, prefix: str = "", namespace: str = ""):
    """(key, pattern) of every URL pattern; key = namespaced name, else the full pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from walk(entry, pattern, joined)
        elif isinstance(entry, URLPattern):
            if entry.name:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), pattern
            else:
                yield pattern, pattern


@functools.cache
def html_routes() -> dict[str, str]:
    routes = {}
    for key, pattern in walk():
        if pattern.startswith("api/"):
            continue
        routes[key] = pattern
    return routes


# --- filling URLs, asking, judging -------------------------------------------------------


def fill(world, role: str, spec):
    if isinstance(spec, list):
        return [fill(world, role, item) for item in spec]
    if not isinstance(spec, str):
        return spec
    kind, _, name = spec.partition(":")
    if kind == "id":
        return world.ids[name]
    if kind == "slug":
        return world.slugs[name]
    if kind == "tok":
        return world.tokens[name]
    if kind == "vtok":
        held = world.tokens.get(role, {}) if role in ("visitor", "visitor_b") else {}
        return held.get(name) or MADE_UP_TOKEN
    if kind == "ctok":
        return world.tokens["company_a"][name] if role == "company_a" else MADE_UP_TOKEN
    if kind == "admin":
        return admin_object_pk(world, name)
    if kind == "dtok":  # a data-subject link for the visitor's own e-mail address
        from django.utils import timezone

        from dataprotection import subject_requests

        email = {
            "visitor": "amalia.alpha@visitor-a.example",
            "visitor_b": "boris.beta@visitor-b.example",
        }
        if role not in email:
            return MADE_UP_TOKEN
        return subject_requests.link_token(email[role], now=timezone.now())
    if kind == "uid":
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        return urlsafe_base64_encode(force_bytes(world.users[name].pk))
    if kind == "prtok":
        from django.contrib.auth.tokens import default_token_generator

        if role != name:
            return MADE_UP_TOKEN
        return default_token_generator.make_token(world.users[name])
    if kind == "ct":
        from django.contrib.contenttypes.models import ContentType

        app_label, model = name.split(".")
        return ContentType.objects.get(app_label=app_label, model=model).pk
    return spec


def route_of(key: str) -> str:
    """The route of a row; "route@variant" rows try the route with other objects."""
    return key.split("@", 1)[0]


def url_for(world, role: str, key: str, row: Row, pattern: str) -> str:
    key = route_of(key)
    kwargs = {name: fill(world, role, spec) for name, spec in row.kwargs.items()}
    if row.path:
        return row.path
    if key == pattern:  # unnamed: put the kwargs into the pattern
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), pattern)
        return "/" + path
    with translation.override(row.language or "de"):
        return reverse(key, kwargs=kwargs)


def outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if "/login/" in location:
            return "login"
        if location.rstrip("/").endswith(reverse("fairs:company-signup").rstrip("/")):
            return "signup"
        return "302"
    return str(response.status_code)


def fingerprint(world) -> dict:
    """A's data a denied POST must leave alone (and the row counts of what it could add)."""
    from django.contrib.auth import get_user_model

    from applications.models import Answer as ApplicationAnswer
    from applications.models import Application
    from checkin.models import Assignment, Device, Entrance
    from events_platform.models import AuditEntry, Event, Membership, Organisation
    from fairs.models import (
        Company,
        CompanyMember,
        CompanyVerification,
        JobOffer,
        StaffPass,
        StandBooking,
        WaitlistEntry,
    )
    from notifications.models import Announcement, Message, Suppression
    from ticketing.models import Registration, Ticket

    o = world.objects
    return {
        "booking": StandBooking.objects.filter(pk=o["booking_a"].pk).values().first(),
        "pass": StaffPass.objects.filter(pk=o["staff_pass_a"].pk).values().first(),
        "waitlist": WaitlistEntry.objects.filter(pk=o["waitlist_a"].pk).values().first(),
        "job": JobOffer.objects.filter(pk=o["job_a"].pk).values().first(),
        "application": Application.objects.filter(pk=o["application_a"].pk)
        .values("status", "name")
        .first(),
        "application_answers": ApplicationAnswer.objects.count(),
        "company": Company.objects.filter(pk=o["company_a"].pk).values().first(),
        "pending": Company.objects.filter(pk=o["pending_company"].pk).values().first(),
        "registration": Registration.objects.filter(pk=o["registration_a"].pk).values().first(),
        "camp": Registration.objects.filter(pk=o["camp_registration_a"].pk).values().first(),
        "device": Device.objects.filter(pk=o["device_a"].pk).values().first(),
        "announcement": Announcement.objects.filter(pk=o["announcement_a"].pk).values().first(),
        "event": Event.objects.filter(pk=o["event_x"].pk).values().first(),
        "org": Organisation.objects.filter(pk=o["org_a"].pk).values().first(),
        "counts": world_module.row_counts(
            (
                get_user_model(),
                Event,
                Membership,
                CompanyMember,
                Company,
                CompanyVerification,
                AuditEntry,
                StandBooking,
                StaffPass,
                WaitlistEntry,
                JobOffer,
                Registration,
                Ticket,
                Entrance,
                Assignment,
                Device,
                Message,
                Suppression,
                Announcement,
            )
        ),
    }


BASELINE: dict[int, dict] = {}  # the world's fingerprint, taken once per world


def leaked(world, role: str, row: Row, body: str) -> list[str]:
    allowed = set(ENTITLED.get(role, set())) | set(row.entitled.get(role, set()))
    return [
        secret
        for group, secrets in world.secrets_a.items()
        if group not in allowed
        for secret in secrets
        if secret and secret in body and secret not in row.echoed
    ]


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def ask(world, role: str, method: str, url: str, data: dict):
    client = world.clients[role]
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    try:
        if method == "GET":
            return client.get(url)
        return client.post(url, {name: fill(world, role, value) for name, value in data.items()})
    finally:
        client.cookies = cookies  # a logout or a language switch must not stick


def cells():
    for key, row in ROWS.items():
        for method, expected in (("GET", row.get), ("POST", row.post)):
            if expected is None:
                continue
            for role in ROLES:
                yield pytest.param(key, method, role, id=f"{key}|{method}|{role}")


# --- the tests ---------------------------------------------------------------------------


def test_every_route_has_a_row_and_every_row_a_route():
    """A new route without a row fails here, and so does a row for a route that is gone."""
    routes = html_routes()
    rows = {route_of(key) for key in ROWS}
    missing = sorted(set(routes) - rows)
    stale = sorted(rows - set(routes) - {key for key, row in ROWS.items() if row.debug_only})
    assert not missing, f"routes without a row in ROWS: {missing}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_row_states_every_role():
    for key, row in ROWS.items():
        assert row.get is not None or row.post is not None, key
        for expected in (row.get, row.post):
            if expected is not None:
                assert set(expected) == set(ROLES), key


@pytest.mark.django_db  # a savepoint in the world's transaction, rolled back after the cell
@pytest.mark.parametrize("key,method,role", list(cells()))
def test_access(world, key, method, role):
    row = ROWS[key]
    expected = (row.get if method == "GET" else row.post)[role]
    pattern = html_routes().get(route_of(key), "")  # "" only for an absent debug_only route
    url = url_for(world, role, key, row, pattern)
    before = None
    if method == "POST" and (expected in DENIED or role in row.keeps):
        # Every cell starts from the same world (the previous one was rolled back).
        before = BASELINE.get(id(world)) or BASELINE.setdefault(id(world), fingerprint(world))

    response = ask(world, role, method, url, row.post_data)

    got = outcome(response)
    assert got == expected, f"{method} {url} as {role}: {got}, expected {expected}"
    assert response.status_code < 500
    body = body_of(response)
    if role in row.shows and method == "GET":
        assert row.shows[role] in body, f"{method} {url} as {role} lacks {row.shows[role]!r}"
    leaks = leaked(world, role, row, body)
    assert not leaks, f"{method} {url} as {role} shows A's private data: {leaks}"
    if before is not None:
        assert fingerprint(world) == before, f"denied {method} {url} as {role} changed data"
