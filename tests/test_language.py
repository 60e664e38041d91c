"""No page and no message shows a leftover of the other language.

Every HTML page of the access matrix (tests/security/test_access_matrix.py: a row per route,
so a new page is covered as soon as it has its row; the admin is left out) is rendered in
German and in English for a role that may see it, and every message purpose is rendered in
both languages. The data's own strings (names, titles, addresses: whatever is stored in the
database) are taken out first; what remains is the platform's own text, and it must not
contain a German marker in English or an English marker in German.

The message files are checked too: no "Person(en)" plural hack, and every msgid that counts
something has a plural form (ngettext / blocktranslate count).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from tests.security import test_access_matrix as matrix
from tests.security import world as world_module

world = world_module.world  # the fixture

ROOT = Path(__file__).resolve().parent.parent

# Words that give German away in English output, and English in German output. Whole words,
# case-sensitive where the other language has the same letters in another role.
GERMAN_MARKERS = re.compile(
    r"\b(Uhr|Tag \d+|Hallo|Guten|Anmeldung\w*|Veranstaltung\w*|[Bb]itte|und|Sie|Ihre?[nmrs]?|"
    r"nicht|für|mit|oder|der|die|das|ein|eine[nmrs]?|Speichern|Abbrechen|Zurück|Weiter|Suchen|"
    r"täglich|Stellenangebot\w*|Aussteller\w*|Besucher\w*|Personen)\b"
    r"|[äöüÄÖÜß]"
    # "1 persons": a count without its singular (ngettext or blocktranslate count).
    r"|\b1 (persons|people|places|tables|chairs|stands|passes|registrations|bookings|messages|"
    r"offers|exhibitors|events|sites|recipients|pupils|adults|days|companies|entries)\b"
    # American dates and times in English: British style is wanted (4 December 2026, 17:30).
    r"|\b[ap]\.m\.|\b(Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\. \d"
)
# In German output also the words the issue named as jargon or clumsy (plain words instead).
ENGLISH_MARKERS = re.compile(
    r"\b(the|The|and|your|Your|you|You|with|of|is|are|Please|please|Registration|Save|"
    r"Cancel|Back|Search|Sign in|Log in|daily|Day \d+|persons|people|Exhibitors?|Visitors?|"
    r"Job offers?|Events?|Stand booking|Show|Choose|Send|Delete|Edit|Close|Open|Yes|No)\b"
    r"|\b\d{1,2}(:\d\d)? ?(am|pm)\b"
    r"|\b(Sichern|Kalender eine neue Adresse)\b"
    r"|\b1 (Personen|Plätze|Tische|Stühle|Stromanschlüsse|Parkausweise|Ausweise|Standplätze|"
    r"Anmeldungen|Buchungen|Nachrichten|Angebote|Stellenangebote|Veranstaltungen|Standorte|"
    r"Begleitpersonen|Tage|Firmen|Einträge)\b"
)
MARKERS = {"en": GERMAN_MARKERS, "de": ENGLISH_MARKERS}

# Whom a page is rendered for: the first role of these the matrix lets see it.
ROLE_PREFERENCE = ("organiser_a", "company_a", "visitor", "checkin_x", "anonymous")
# Text that is the same in both languages and may hold a marker (brand and language names).
NEUTRAL = (
    "Deutsch",
    "English",
    "Englisch",
    # The Saxon data protection authority's name, given as it is called.
    "Sächsische Datenschutz- und Transparenzbeauftragte",
)


class _Text(HTMLParser):
    """The text a person reads (and hears: labels, titles, alt texts), without scripts."""

    SKIP = {"script", "style", "template"}
    READ = ("title", "alt", "aria-label", "placeholder")

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.skipping = 0
        self.open: list[bool] = []  # per open element: does it skip its content?

    def handle_starttag(self, tag, attrs):
        # Content marked as another language (lang="de" on a mail preview) is not the page's.
        other = tag != "html" and dict(attrs).get("lang", self.language)[:2] != self.language
        skip = tag in self.SKIP or other
        if tag not in self.VOID:
            self.open.append(skip)
            self.skipping += skip
        if self.skipping:
            return
        for name, value in attrs:
            if name in self.READ and value:
                self.parts.append(value)
        if tag == "input":
            values = dict(attrs)
            if values.get("type") in ("submit", "button") and values.get("value"):
                self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.skipping -= self.open.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def visible_text(html: str, language: str) -> str:
    parser = _Text(language)
    parser.feed(html)
    return "\n".join(" ".join(part.split()) for part in parser.parts)


DATA_APPS = {
    "events_platform",
    "fairs",
    "ticketing",
    "checkin",
    "notifications",
    "programmes",
    "surveys",
    "leads",
    "applications",
}


@pytest.fixture(scope="module")
def data(world, django_db_blocker) -> list[str]:
    """The world's own strings, read once before any test renders (and writes) a message."""
    with django_db_blocker.unblock():
        return _read_data_strings()


def _read_data_strings() -> list[str]:
    found: set[str] = set()
    for model in apps.get_models():
        # The project's own data and people's names, not Django's tables of model names
        # (content types, permissions), which hold words such as "ticket" and "event".
        if model._meta.app_label not in DATA_APPS and model._meta.label != "auth.User":
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            # A stored mail's text is the platform's own wording (its subject is shown as data).
            and f.attname not in ("body_text", "body_html")
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str):
                    for line in value.splitlines():
                        line = " ".join(line.split())
                        if len(line) > 2:
                            found.add(line)
    return sorted(found, key=len, reverse=True)


def without_data(text: str, strings: list[str]) -> str:
    """The text with the data's own strings, e-mail and web addresses and names taken out."""
    for value in strings:
        if value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    text = re.sub(r"\S+@\S+|https?://\S+|/\S+/", " ", text)
    for word in NEUTRAL:
        text = text.replace(word, " ")
    return text


def leftovers(text: str, language: str) -> list[str]:
    """The lines of `text` with a marker of the other language (marker in [brackets])."""
    found = []
    for line in text.splitlines():
        match = MARKERS[language].search(line)
        if match:
            found.append(f"{line[: match.start()]}[{match.group(0)}]{line[match.end() :]}")
    return found


# --- pages ---------------------------------------------------------------------------------


def page_rows():
    for key, row in matrix.ROWS.items():
        if row.admin or key.startswith("admin") or row.debug_only or not row.get:
            continue
        route = matrix.html_routes().get(matrix.route_of(key), "")
        if route.startswith("admin/"):
            continue
        role = next((r for r in ROLE_PREFERENCE if row.get.get(r) == "200"), None)
        if role is None:
            continue
        yield key, role


PAGES = list(page_rows())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("key,role", PAGES, ids=[key for key, _ in PAGES])
def test_page_has_no_leftover_of_the_other_language(world, data, key, role, language):
    row = matrix.ROWS[key]
    pattern = matrix.html_routes()[matrix.route_of(key)]
    row = matrix.Row(**{**row.__dict__, "language": language})
    url = matrix.url_for(world, role, key, row, pattern)
    if language == "en" and not url.startswith("/en/"):
        return  # not a page in a language (a health check, a calendar feed)
    response = matrix.ask(world, role, "GET", url, {})
    assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return  # a PDF, calendar file or image: checked by their own tests
    html = matrix.body_of(response)
    if "<html" in html:  # a whole page, not a fragment that htmx swaps in
        assert f'<html lang="{language}"' in html, f"{url} is not marked as {language}"
    found = leftovers(without_data(visible_text(html, language), data), language)
    assert not found, f"{url} as {role} in {language}:\n" + "\n".join(found)
    faults = structural_faults(html)
    assert not faults, f"{url} as {role} in {language}: " + "; ".join(faults)


def structural_faults(html: str) -> list[str]:
    """What a block pasted twice or left open leaves in a page: an id used twice, markup
    inside <title>."""
    ids = re.findall(r'\sid="([^"]+)"', html)
    faults = [f"id {name!r} used twice" for name in sorted({i for i in ids if ids.count(i) > 1})]
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    if title and "<" in title.group(1):
        faults.append("markup inside <title>")
    return faults


def test_the_structure_check_finds_a_pasted_block():
    page = '<title>Zahlen <section id="a"></section></title><h2 id="a">x</h2>'
    assert structural_faults(page) == ["id 'a' used twice", "markup inside <title>"]
    assert structural_faults('<title>Zahlen</title><h2 id="a">x</h2><p id="b"></p>') == []


def test_the_pages_cover_every_area():
    """The list is the matrix's, so it grows with it; make sure it did not shrink to nothing."""
    keys = {key.split(":")[0] for key, _ in PAGES}
    assert {"events_platform", "fairs", "ticketing", "checkin", "notifications"} <= keys
    assert len(PAGES) > 60


def test_the_check_finds_a_leftover():
    assert leftovers("Beginn 10 Uhr\nDay 1", "en") == ["Beginn 10 [Uhr]"]
    assert leftovers("Bitte wählen\nPlease choose", "de") == ["[Please] choose"]
    assert leftovers("1 Parkausweise\n2 Parkausweise\nSichern", "de") == [
        "[1 Parkausweise]",
        "[Sichern]",
    ]
    assert leftovers("1 persons", "en") == ["[1 persons]"]
    assert leftovers("Dec. 24, 2026, 5:16 p.m.", "en") == ["[Dec. 2]4, 2026, 5:16 p.m."]
    assert leftovers(without_data("Anmeldung Alpha", ["Anmeldung Alpha"]), "en") == []


# --- messages ------------------------------------------------------------------------------


def _in(language: str, *objects):
    """The objects as people who chose `language` (in memory: the message reads it there),
    with addresses of their own, so that no message of the world is found as already sent."""
    for obj in objects:
        obj.language = language
        for field in ("email", "contact_email", "guardian_email"):
            if getattr(obj, field, ""):
                setattr(obj, field, f"{field}.{language}@language-check.example")
    return objects[0]


def _rendered(message) -> str:
    from notifications.outbox import composed

    message = composed(message)  # a row written uncomposed is composed at send time
    return "\n".join([message.subject, message.body_text, visible_text(message.body_html, "")])


def _visitor(world, language):
    return _in(language, world.objects["registration_a"])


def _camp(world, language):
    return _in(language, world.objects["camp_registration_a"])


def _booking(world, language):
    booking = world.objects["booking_a"]
    _in(language, booking.company)
    return booking


def _contact_withdrawn(world, language, now):
    """The company is told that a visitor withdrew their contact (leads)."""
    from leads.messages import contact_withdrawn
    from leads.models import Contact

    booking = _booking(world, language)
    contact = Contact.objects.get_or_create(
        booking=booking,
        company=booking.company,
        event=booking.fair.event,
        defaults={"created_at": now, "updated_at": now},
    )[0]
    contact.company = booking.company  # in the language of this walk (_booking)
    return contact_withdrawn(contact=contact, now=now)


def _application_mail(world, language, purpose):
    """Visitor A's application to company A's offer: receipt, received, answered, withdrawn."""
    from applications import mails
    from applications.models import Application

    application = Application.objects.select_related("job_offer", "event").get(
        pk=world.objects["application_a"].pk
    )
    _in(language, application)
    application.company = _in(language, world.objects["company_a"])
    if purpose == "application_sent":
        return mails.application_sent(application=application)
    if purpose == "application_received":
        return mails.application_received(application=application)
    if purpose == "application_answered":
        return mails.application_answered(
            application=application, answer=application.answers.first()
        )
    return mails.application_withdrawn(application=application)


def _reminder(world, language, audience):
    from notifications import reminders

    if audience == reminders.EXHIBITORS:
        related = _booking(world, language)
        person = reminders.Recipient(related.company.contact_email, language, "", related)
        event = related.fair.event
    else:
        related = _camp(world, language) if audience == reminders.GUARDIANS else None
        related = related or _visitor(world, language)
        person = reminders.Recipient(related.email, language, related.name, related)
        event = related.event
    rendered = reminders.render_reminder(event, audience, person)
    return "\n".join([rendered.subject, rendered.text, visible_text(rendered.html, "")])


def _announcement(world, language, reason):
    from notifications import announcements

    announcement = world.objects["announcement_a"]
    event = world.objects["event_x"]
    person = announcements.AnnouncementRecipient(
        "person@example.org",
        language,
        "",
        reason,
        event,
        participant="Kim",
        company=world.objects["company_a"].name,
    )
    rendered = announcements.render_announcement(
        announcement, language=language, person=person, email=person.email
    )
    return "\n".join([rendered.subject, rendered.text, visible_text(rendered.html, "")])


def message_texts(world, purpose: str, language: str) -> list[str]:
    """Every variant of a message purpose, rendered in `language` (subject, text, HTML)."""
    from types import SimpleNamespace

    from django.utils import timezone

    from notifications import announcements, reminders, rendering, transactional
    from notifications.models import Purpose

    now = timezone.now()
    t = transactional
    one = {
        Purpose.REGISTRATION_CONFIRMED: lambda: t.registration_confirmed(
            registration=_visitor(world, language)
        ),
        Purpose.WAITLIST_JOINED: lambda: t.waitlist_joined(registration=_visitor(world, language)),
        Purpose.WAITLIST_OFFER: lambda: t.waitlist_offer(
            registration=_visitor(world, language), expires_at=now
        ),
        Purpose.GUARDIAN_CONFIRMATION: lambda: t.guardian_confirmation(
            registration=_camp(world, language), confirm_url="https://example.org/c/"
        ),
        Purpose.PLACE_RELEASED: lambda: t.place_released(
            registration=_visitor(world, language), reason="offer_expired"
        ),
        Purpose.REGISTRATION_CANCELLED: lambda: t.registration_cancelled(
            registration=_visitor(world, language), by_organiser=True
        ),
        Purpose.MANAGE_LINK_RENEWED: lambda: t.manage_link_renewed(
            registration=_visitor(world, language), by_organiser=True, ticket_reissued=True
        ),
        Purpose.BOOKING_REQUESTED: lambda: t.booking_requested(booking=_booking(world, language)),
        Purpose.BOOKING_APPROVED: lambda: t.booking_approved(booking=_booking(world, language)),
        Purpose.BOOKING_REJECTED: lambda: t.booking_rejected(
            booking=_booking(world, language), reason=""
        ),
        Purpose.BOOKING_CANCELLED: lambda: t.booking_cancelled(
            booking=_booking(world, language), by_organiser=True, reason=""
        ),
        Purpose.STAND_OFFER: lambda: t.stand_offer(
            entry=_stand_offer_entry(world, language), stand=world.objects["stands_a"][1]
        ),
        Purpose.COMPANY_EMAIL_CONFIRMATION: lambda: t.company_email_confirmation(
            company=_in(language, world.objects["company_a"]),
            user=world.objects["member_a"].user,
            confirm_url="https://example.org/c/",
        ),
        Purpose.COMPANY_MEMBER_INVITED: lambda: t.company_member_invited(
            company=_in(language, world.objects["company_a"]),
            email="new@example.org",
            invite_url="https://example.org/i/",
        ),
        Purpose.ANNOUNCEMENT_TEST: lambda: announcements.send_test_announcement(
            announcement=_in_announcement(world, language), to_email="o@example.org", now=now
        ),
        Purpose.DATA_ACCESS_LINK: lambda: t.data_access_link(
            email="person@example.org",
            url="https://example.org/d/",
            expires_at=now,
            language=language,
        ),
    }
    if hasattr(Purpose, "REGISTRATION_CHANGED"):
        previous = SimpleNamespace(time_slot=None, sessions=[], pupils=None, adults=None)
        one[Purpose.REGISTRATION_CHANGED] = lambda: t.registration_changed(
            registration=_visitor(world, language), previous=previous, ticket_reissued=False
        )
    if purpose in one:
        return [_rendered(one[purpose]())]
    if purpose in ("event_cancelled", "event_cancelled_exhibitor"):
        return _event_cancelled(world, language, purpose)
    if purpose in ("programme_signup", "programme_message"):
        return _programme_mail(world, language, purpose, now)
    if purpose in ("survey_invitation", "survey_reminder"):
        return _survey_mail(world, language, purpose, now)
    if purpose == "exhibitors_invited":
        return _exhibitors_invited(world, language)
    if purpose in ("organiser_alert", "organiser_digest"):
        return _organiser_mails(world, language, purpose, now)
    if purpose.startswith("application_"):
        return [_rendered(_application_mail(world, language, purpose))]
    if purpose == Purpose.CONTACT_WITHDRAWN:
        return [_rendered(_contact_withdrawn(world, language, now))]
    if purpose == Purpose.REMINDER:
        audiences = (reminders.VISITORS, reminders.EXHIBITORS, reminders.GUARDIANS)
        return [_reminder(world, language, audience) for audience in audiences]
    if purpose == Purpose.ANNOUNCEMENT:
        reasons = (
            rendering.VISITOR,
            rendering.WAITING_LIST,
            rendering.GUARDIAN,
            rendering.EXHIBITOR,
        )
        return [_announcement(world, language, reason) for reason in reasons]
    raise AssertionError(f"no way to render the purpose {purpose!r}: add it to message_texts()")


def _exhibitors_invited(world, language) -> list[str]:
    """The invitation to book again: with the previous stand free (pre-selected) and taken."""
    from notifications.invitations import exhibitor_invitation

    company = _in(language, world.objects["company_a"])
    stand = world.objects["stands_a"][1]
    return [
        _rendered(
            exhibitor_invitation(company=company, labels=[stand.label], new_event=event, free=free)
        )
        for event, free in (
            (stand.hall.fair.event, {stand.label: stand.pk}),
            (_visitor(world, language).event, {}),
        )
    ]


def _event_cancelled(world, language, purpose) -> list[str]:
    """The cancellation mails: a registrant with a ticket and a parent whose child waits (with
    the organiser's message), or a company with a stand booking and a waiting-list place."""
    from notifications import lifecycle
    from notifications.models import Message

    if purpose == "event_cancelled":
        written = []
        for registration, previous in (
            (_visitor(world, language), "confirmed"),
            (_camp(world, language), "waitlisted"),
        ):
            lifecycle.event_cancelled_visitors(
                event=registration.event,
                registrations=[registration],
                previous={registration.pk: previous},
                reason="Sturm",
            )
            written.append(registration.event)
    else:
        booking = _booking(world, language)
        entry = _stand_offer_entry(world, language)
        entry.company = booking.company
        lifecycle.event_cancelled_exhibitors(
            event=booking.fair.event, bookings=[booking], entries=[entry], reason=""
        )
        written = [booking.fair.event]
    messages = Message.objects.filter(
        purpose=purpose, event__in=written, to_email__endswith=f".{language}@language-check.example"
    )
    assert messages, purpose
    return [_rendered(message) for message in messages]


def _organiser_mails(world, language, purpose, now) -> list[str]:
    """An organiser's alerts (each kind, at once) or their daily summary, in `language`."""
    from datetime import timedelta

    from events_platform.models import Membership
    from notifications import organiser_alerts
    from notifications.models import Message, OrganiserAlert, OrganiserAlertSetting

    membership = Membership.objects.get(
        user=world.users["organiser_a"], organisation=world.objects["org_a"]
    )
    mode = OrganiserAlertSetting.Mode.AT_ONCE if purpose == "organiser_alert" else "daily"
    OrganiserAlertSetting.objects.update_or_create(
        membership=membership, defaults={"mode": mode, "language": language}
    )
    noon = now.replace(hour=11, minute=0)  # 12 or 13 o'clock in Berlin: a summary is due
    when = now if purpose == "organiser_alert" else noon - timedelta(days=1)
    for number, kind in enumerate(OrganiserAlert.Kind.values):
        organiser_alerts.record_alert(
            event=world.objects["fair_a"].event,
            kind=kind,
            detail="",
            object_key=f"language-check:{number}",
            now=when,
        )
    if purpose == "organiser_digest":
        organiser_alerts.send_daily_digests(now=noon)
    messages = Message.objects.filter(purpose=purpose, to_email=membership.user.email)
    return [_rendered(message) for message in messages]


def _stand_offer_entry(world, language):
    entry = world.objects["waitlist_a"]
    entry.company = _in(language, world.objects["company_a"])
    return entry


def _in_announcement(world, language):
    announcement = world.objects["announcement_a"]
    announcement.language = language
    return announcement


def _programme_mail(world, language, purpose, now) -> list[str]:
    """Company A's sign-up confirmation, or the organiser's message to a participant."""
    from programmes import mail

    if purpose == "programme_signup":
        signup = world.objects["programme_signup_a"]
        signup.language = language
        signup.contact_email = f"contact.{language}@language-check.example"
        signup.signed_up_at = now
        return [_rendered(mail.signup_received(signup=signup))]
    written = mail.programme_message(
        message=world.objects["programme_message_a"],
        to_email=f"participant.{language}@language-check.example",
        name="Mehmet Mentee",
        language=language,
        now=now,
    )
    return [_rendered(written)]


def _survey_mail(world, language, purpose, now) -> list[str]:
    """Company A's invitation to survey A, or its reminder, in `language`."""
    from surveys import mails

    invitation = (
        world.objects["survey_a"]
        .invitations.select_related("survey", "company")
        .get(company=world.objects["company_a"])
    )
    invitation.language = language
    invitation.email = f"survey.{language}@language-check.example"
    _in(language, invitation.company)
    write = mails.invitation_mail if purpose == "survey_invitation" else mails.reminder_mail
    return [_rendered(write(invitation, now=now))]


def _purposes():
    from notifications.models import Purpose

    return list(Purpose.values)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("purpose", _purposes())
def test_message_has_no_leftover_of_the_other_language(world, data, purpose, language):
    texts = message_texts(world, purpose, language)
    assert texts
    for text in texts:
        found = leftovers(without_data(text, data), language)
        assert not found, f"{purpose} in {language}:\n" + "\n".join(found)


# --- message files --------------------------------------------------------------------------


def po_entries(path: Path):
    """(msgid, msgid_plural, [msgstr...]) of a .po file (a small reader, enough for this)."""
    entry: dict[str, str] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry.get("msgid"):
                strs = [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]
                yield entry["msgid"], entry.get("msgid_plural", ""), strs
            entry, current = {}, None
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            current = match.group(1)
            entry[current] = match.group(2)
        elif current and line.startswith('"'):
            entry[current] += line[1:-1]


PO_FILES = sorted(
    path
    for path in ROOT.glob("*/**/locale/*/LC_MESSAGES/django*.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)
PLURAL_HACK = re.compile(r"\w\((?:en|n|s|e|innen|es)\)")
# A placeholder that holds a number of things: its text needs a singular and a plural.
COUNT_PLACEHOLDER = re.compile(
    r"%\((count|counter|n|persons|people|places|seats|free|left|pupils|adults|passes)\)[sd]|"
    r"\{\{ ?(count|counter|n) ?\}\}"
)


def test_message_files_are_found():
    languages = {path.parts[-3] for path in PO_FILES}
    assert languages == {"de", "en"}
    assert len(PO_FILES) >= 8


@pytest.mark.parametrize("path", PO_FILES, ids=[str(p.relative_to(ROOT)) for p in PO_FILES])
def test_no_plural_hack_and_every_count_has_a_plural(path):
    hacks, counts = [], []
    for msgid, plural, msgstrs in po_entries(path):
        for text in [msgid, plural, *msgstrs]:
            if PLURAL_HACK.search(text.replace("%(", "")):
                hacks.append(text)
        # "Waiting to upload: 3" (a label and its number) reads right for any number.
        if not plural and COUNT_PLACEHOLDER.search(re.sub(r": %\(\w+\)[sd]$", "", msgid)):
            counts.append(msgid)
    assert not hacks, "write singular and plural with ngettext, not:\n" + "\n".join(hacks)
    assert not counts, "a count needs ngettext or blocktranslate count:\n" + "\n".join(counts)


@pytest.mark.parametrize(
    "language,area,price", [("de", "7,5", "1.234,50 €"), ("en", "7.5", "€1,234.50")]
)
def test_sizes_and_prices_use_the_languages_decimal_sign(language, area, price):
    from decimal import Decimal

    from django.utils import translation

    from fairs.documents import measure, money

    with translation.override(language):
        assert measure(Decimal("7.50")) == area
        assert measure(Decimal("9.00")) == "9"
        assert money(Decimal("1234.5")) == price
