"""When an event takes place, everywhere it is shown: one function, its shapes in German and
English, the calendar files read back by vobject, and every page and mail of a camp with daily
hours and of an all-day event (never "00:00", "23:59" or "midnight", never a day early).
"""

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from checkin import services as checkin
from events_platform.models import Event, Membership
from events_platform.when import describe_event_start, describe_event_time
from notifications import outbox, reminders
from notifications.models import Message, Purpose
from tests.factories import EventFactory, MembershipFactory
from ticketing import services as ticketing
from ticketing.models import Registration

BERLIN = ZoneInfo("Europe/Berlin")
NEVER = ("00:00", "23:59", "midnight", "Mitternacht", "0:00 Uhr", "0:00\u00a0Uhr")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def event(start, end, *, all_day=False, daily=False) -> Event:
    return Event(starts_at=berlin(*start), ends_at=berlin(*end), all_day=all_day,
                 same_hours_daily=daily)  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "all_day", "daily", "german", "english"),
    [
        # One day with hours (27 December 2026 is a Sunday).
        (
            (2026, 12, 27, 10),
            (2026, 12, 27, 12),
            False,
            False,
            "So., 27.\u00a0Dezember 2026, 10–12\u00a0Uhr",
            "Sunday 27\u00a0December 2026, 10:00–12:00",
        ),
        (
            (2026, 12, 27, 9, 30),
            (2026, 12, 27, 12),
            False,
            False,
            "So., 27.\u00a0Dezember 2026, 9:30–12:00\u00a0Uhr",
            "Sunday 27\u00a0December 2026, 09:30–12:00",
        ),
        # One whole day: the date only, whether the end is the next midnight or 23:59.
        (
            (2027, 7, 12, 0),
            (2027, 7, 13, 0),
            True,
            False,
            "Mo., 12.\u00a0Juli 2027",
            "Monday 12\u00a0July 2027",
        ),
        (
            (2027, 7, 12, 0),
            (2027, 7, 12, 23, 59),
            True,
            False,
            "Mo., 12.\u00a0Juli 2027",
            "Monday 12\u00a0July 2027",
        ),
        # Several whole days, also when the all-day flag was forgotten (00:00 to 23:59).
        (
            (2027, 7, 12, 0),
            (2027, 7, 17, 0),
            True,
            False,
            "12.–16.\u00a0Juli 2027",
            "12–16\u00a0July 2027",
        ),
        (
            (2027, 7, 12, 0),
            (2027, 7, 16, 23, 59),
            False,
            False,
            "12.–16.\u00a0Juli 2027",
            "12–16\u00a0July 2027",
        ),
        (
            (2027, 6, 28, 0),
            (2027, 7, 2, 23, 59),
            True,
            False,
            "28.\u00a0Juni\u00a0– 2.\u00a0Juli 2027",
            "28\u00a0June\u00a0– 2\u00a0July 2027",
        ),
        (
            (2026, 12, 30, 0),
            (2027, 1, 3, 0),
            True,
            False,
            "30.\u00a0Dezember 2026\u00a0– 2.\u00a0Januar 2027",
            "30\u00a0December 2026\u00a0– 2\u00a0January 2027",
        ),
        # Several days with daily hours, within a month, across months and across years.
        (
            (2027, 7, 12, 9),
            (2027, 7, 16, 16),
            False,
            True,
            "12.–16.\u00a0Juli 2027, täglich 9–16\u00a0Uhr",
            "12–16\u00a0July 2027, daily 09:00–16:00",
        ),
        (
            (2027, 6, 30, 8, 30),
            (2027, 7, 2, 15),
            False,
            True,
            "30.\u00a0Juni\u00a0– 2.\u00a0Juli 2027, täglich 8:30–15:00\u00a0Uhr",
            "30\u00a0June\u00a0– 2\u00a0July 2027, daily 08:30–15:00",
        ),
        (
            (2026, 12, 30, 10),
            (2027, 1, 2, 14),
            False,
            True,
            "30.\u00a0Dezember 2026\u00a0– 2.\u00a0Januar 2027, täglich 10–14\u00a0Uhr",
            "30\u00a0December 2026\u00a0– 2\u00a0January 2027, daily 10:00–14:00",
        ),
        # Several days in one stretch (no daily hours): start and end moments.
        (
            (2027, 7, 12, 18),
            (2027, 7, 14, 12),
            False,
            False,
            "12.\u00a0Juli 2027, 18\u00a0Uhr\u00a0– 14.\u00a0Juli 2027, 12\u00a0Uhr",
            "12\u00a0July 2027, 18:00\u00a0– 14\u00a0July 2027, 12:00",
        ),
        # An evening that ends at midnight: 24 Uhr on that day, never 0:00 the next.
        (
            (2027, 7, 12, 18),
            (2027, 7, 13, 0),
            False,
            False,
            "Mo., 12.\u00a0Juli 2027, 18–24\u00a0Uhr",
            "Monday 12\u00a0July 2027, 18:00–24:00",
        ),
        (
            (2027, 7, 12, 18, 30),
            (2027, 7, 14, 0),
            False,
            False,
            "12.\u00a0Juli 2027, 18:30\u00a0Uhr\u00a0– 13.\u00a0Juli 2027, 24\u00a0Uhr",
            "12\u00a0July 2027, 18:30\u00a0– 13\u00a0July 2027, 24:00",
        ),
    ],
)
def test_describe_event_time_in_both_languages(start, end, all_day, daily, german, english):
    shown = event(start, end, all_day=all_day, daily=daily)
    assert describe_event_time(shown, "de") == german
    assert describe_event_time(shown, "en") == english


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_date_never_breaks_between_day_and_month_or_before_uhr(language):
    """On a phone a line may break after the weekday or before the year, never inside
    "12. Juli", "12 July" or "9 Uhr", nor before the dash between two dates: those spaces
    are no-break spaces, in every shape an event's time takes."""
    shapes = [
        event((2026, 12, 27, 10), (2026, 12, 27, 12)),
        event((2027, 7, 12, 0), (2027, 7, 17, 0), all_day=True),
        event((2027, 6, 28, 0), (2027, 7, 3, 0), all_day=True),
        event((2026, 12, 30, 10), (2027, 1, 2, 14), daily=True),
        event((2027, 7, 12, 18), (2027, 7, 14, 12)),
    ]
    for shown in shapes:
        for text in (describe_event_time(shown, language), describe_event_start(shown, language)):
            assert not re.search(r"\d\.? [A-Z]", text), text  # 12. Juli, 12 July
            assert " Uhr" not in text and " –" not in text, text


def _messages(language: str):
    """(file, text) of every message of the project as `language` shows it: its msgstr,
    or its msgid where the msgstr is empty (English shows the code's own words)."""
    root = Path(__file__).resolve().parents[2]
    for po in sorted(root.glob(f"*/locale/{language}/LC_MESSAGES/*.po")):
        parts: dict[str, list[str]] = {}
        current = None
        for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
            keyword = line.split(" ", 1)[0]
            if keyword in ("msgid", "msgstr") or keyword.startswith("msgstr["):
                current = parts.setdefault(keyword.split("[")[0], [])
                current.append(line.split('"', 1)[1].rsplit('"', 1)[0])
            elif current is not None and line.startswith('"'):
                current.append(line[1:-1])
            elif "msgstr" in parts:
                msgid, msgstr = "".join(parts["msgid"]), "".join(parts["msgstr"])
                if msgid:
                    yield po.relative_to(root), msgstr or msgid
                parts, current = {}, None


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_message_lets_a_date_or_a_time_break_inside(language):
    """The class of the fault above in every message file: a format or sentence that puts
    a plain space between a day and its month ("j. F") or before "Uhr" lets a phone end a
    line there."""
    found = [
        (str(po), text)
        for po, text in _messages(language)
        if re.search(r"\bj\.? F\b|(%\(\w+\)s|\d) Uhr\b", text)
    ]
    assert found == []


def test_the_day_is_berlins_not_utcs():
    # Stored in UTC: 22:00 UTC on 11 July is midnight on 12 July in Berlin.
    camp = Event(
        starts_at=datetime(2027, 7, 11, 22, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(2027, 7, 16, 22, tzinfo=ZoneInfo("UTC")),
        all_day=True,
    )
    assert describe_event_time(camp, "de") == "12.–16.\u00a0Juli 2027"
    assert describe_event_start(camp, "en") == "Monday 12\u00a0July 2027"


def test_the_start_of_an_event_with_hours_and_of_a_whole_day():
    assert (
        describe_event_start(event((2027, 7, 12, 9), (2027, 7, 16, 16), daily=True), "de")
        == "Mo., 12.\u00a0Juli 2027, 9\u00a0Uhr"
    )
    assert (
        describe_event_start(event((2027, 7, 12, 9), (2027, 7, 16, 16), daily=True), "en")
        == "Monday 12\u00a0July 2027, 09:00"
    )
    assert (
        describe_event_start(event((2027, 7, 12, 0), (2027, 7, 13, 0), all_day=True), "de")
        == "Mo., 12.\u00a0Juli 2027"
    )


def test_daily_hours_need_several_days_and_an_end_after_the_start():
    assert event((2027, 7, 12, 9), (2027, 7, 16, 16), daily=True).has_daily_hours
    assert not event((2027, 7, 12, 9), (2027, 7, 12, 16), daily=True).has_daily_hours
    assert not event((2027, 7, 12, 22), (2027, 7, 16, 6), daily=True).has_daily_hours
    assert not event((2027, 7, 12, 0), (2027, 7, 17, 0), all_day=True, daily=True).has_daily_hours


# The calendar files, read back by vobject (which shares no code with icalendar).


def _read(data: bytes):
    registry = vobject.icalendar.__dict__["__tzidMap"]
    for tzid in [key for key in registry if key != "UTC"]:
        del registry[tzid]
    return vobject.readOne(data.decode())


@pytest.mark.django_db
def test_ics_of_a_camp_with_daily_hours_repeats_the_hours_on_each_day(client):
    camp = EventFactory(
        kind=Event.Kind.CAMP,
        starts_at=berlin(2027, 7, 12, 9),
        ends_at=berlin(2027, 7, 16, 16),
        same_hours_daily=True,
    )
    response = client.get(f"/kalender/veranstaltung/{camp.slug}.ics")
    vevent = _read(response.content).vevent
    occurrences = list(vevent.getrruleset())
    assert [o.astimezone(BERLIN) for o in occurrences] == [
        berlin(2027, 7, day, 9) for day in range(12, 17)
    ]
    assert vevent.dtend.value.astimezone(BERLIN) == berlin(2027, 7, 12, 16)
    assert [a.trigger.value for a in vevent.valarm_list] == [timedelta(hours=-2)]


@pytest.mark.django_db
def test_ics_of_whole_days_is_dates_with_an_exclusive_end_also_without_the_flag(client):
    # Stored 00:00 to 23:59 without the all-day flag: still whole days, not times.
    camp = EventFactory(
        kind=Event.Kind.CAMP, starts_at=berlin(2027, 7, 12, 0), ends_at=berlin(2027, 7, 16, 23, 59)
    )
    response = client.get(f"/kalender/veranstaltung/{camp.slug}.ics")
    assert b"DTSTART;VALUE=DATE:20270712" in response.content
    vevent = _read(response.content).vevent
    assert vevent.dtstart.value == date(2027, 7, 12)
    assert vevent.dtend.value == date(2027, 7, 17)


# Every page and mail of a camp with daily hours and of an all-day event, at 22:30 in Berlin.


@pytest.fixture
def late_evening(monkeypatch):
    """The clock at 22:30 Berlin time (20:30 or 21:30 UTC: the UTC day is still the same,
    but an event at midnight Berlin is on the previous UTC day)."""
    now = berlin(2027, 6, 1, 22, 30)
    monkeypatch.setattr(timezone, "now", lambda: now.astimezone(ZoneInfo("UTC")))
    return now


@pytest.fixture
def organiser(client, late_evening):
    # Signed in after the clock is set, so the session has not expired by then.
    membership = MembershipFactory(role=Membership.Role.ORGANISER_ADMIN)
    client.force_login(membership.user)
    return membership


def _camp(organisation, **times) -> Event:
    return EventFactory(
        organisation=organisation,
        kind=Event.Kind.CAMP,
        title_de="NaWi-Camp Nordsachsen",
        title_en="NaWi science camp",
        min_age=None,
        max_age=None,
        **times,
    )


def _register_adult(shown: Event, now: datetime, n: int) -> Registration:
    data = ticketing.RegistrationInput(
        name=f"Erwachsene {n}",
        email=f"adult{n}@example.org",
        privacy_consent=True,
        birth_date=date(1990, 1, 1),
    )
    registration = ticketing.register(event=shown, data=data, now=now)
    assert registration.status == Registration.Status.CONFIRMED
    return registration


def _texts_of_mails(shown: Event) -> list[str]:
    texts = []
    for message in Message.objects.filter(event=shown):
        texts += [message.subject, message.body_text, message.body_html]
        email = outbox.build_email(message).message()
        for part in email.walk():
            if part.get_filename() == "ticket.pdf":
                pdf = PdfReader(io.BytesIO(part.get_payload(decode=True)))
                texts.append(pdf.pages[0].extract_text())
    return texts


def _pages(client, shown: Event, registration: Registration) -> dict[str, str]:
    token = registration.manage_token
    urls = {
        "event": shown.get_absolute_url(),
        "register": reverse("ticketing:register", kwargs={"slug": shown.slug}),
        "ticket": reverse("ticketing:ticket", kwargs={"token": token}),
        "organiser list": reverse("ticketing:organiser-list", kwargs={"event_id": shown.pk}),
        "organiser overview": reverse("ticketing:organiser-overview"),
        "check-in event": reverse("checkin:event", kwargs={"pk": shown.pk}),
        "check-in home": reverse("checkin:home"),
        "announcement form": reverse("notifications:announcement-create"),
        "announcement list": reverse("notifications:announcement-list"),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    pdf = client.get(reverse("ticketing:ticket-pdf", kwargs={"token": token})).content
    pages["ticket PDF"] = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return pages


def _as_read_from_pdf(text: str) -> str:
    return text.replace("\u00a0", " ")


def _visible(html: str) -> str:
    """The text a person reads: no tags, no machine-readable attributes (datetime="…")."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_and_mail_shows_the_camps_days_and_daily_hours(
    client, organiser, late_evening, language
):
    camp = _camp(
        organiser.organisation,
        starts_at=berlin(2027, 7, 12, 9),
        ends_at=berlin(2027, 7, 16, 16),
        same_hours_daily=True,
    )
    allday = _camp(
        organiser.organisation,
        starts_at=berlin(2027, 7, 19, 0),
        ends_at=berlin(2027, 7, 20, 0),
        all_day=True,
    )
    checkin.assign_staff(event=camp, user=organiser.user)
    checkin.assign_staff(event=allday, user=organiser.user)
    expected = {
        "de": {
            camp: "12.–16.\u00a0Juli 2027, täglich 9–16\u00a0Uhr",
            allday: "Mo., 19.\u00a0Juli 2027",
        },
        "en": {camp: "12–16\u00a0July 2027, daily 09:00–16:00", allday: "Monday 19\u00a0July 2027"},
    }[language]
    wrong_day = {"de": ["18.\u00a0Juli", "18.07."], "en": ["18\u00a0July", "18/07"]}[language]
    day_list = {"de": "Di., 13.\u00a0Juli 2027", "en": "Tuesday 13\u00a0July 2027"}
    for n, shown in enumerate([camp, allday]):
        registration = _register_adult(shown, late_evening.astimezone(ZoneInfo("UTC")), n)
        registration.language = language
        registration.save(update_fields=["language"])
        reminders.write_reminders(
            event=shown, audience=reminders.VISITORS, offset="1d", now=late_evening
        )
        with translation.override(language):
            pages = _pages(client, shown, registration)
        for name, html in pages.items():
            text = _visible(html)
            for never in NEVER:
                assert never not in text, (shown.title_de, name, never)
            if name not in ("announcement list",):
                # A PDF's text reads its no-break spaces back as spaces.
                want = _as_read_from_pdf(expected[shown]) if "PDF" in name else expected[shown]
                assert want in text, (name, want)
            if shown is camp and name == "check-in event":
                # One check-in list per camp day, each named by its day in the page's language.
                assert day_list[language] in text and "13.07.2027" not in text
            if shown is allday:
                for day in wrong_day:
                    assert day not in text, (name, day)
        mails = _texts_of_mails(shown)
        assert len(mails) >= 4  # the confirmation (with its PDF) and a reminder
        for text in mails:
            for never in NEVER:
                assert never not in _visible(text), (shown.title_de, never, text[:300])
        assert any(expected[shown] in text for text in mails)


@pytest.mark.django_db
def test_announcement_form_lists_an_all_day_camp_on_its_real_day(client, organiser, late_evening):
    # Midnight in Berlin is 22:00 UTC the day before: the list once showed 11.07.2027.
    _camp(
        organiser.organisation,
        starts_at=berlin(2027, 7, 12, 0),
        ends_at=berlin(2027, 7, 16, 23, 59),
        all_day=True,
    )
    html = client.get(reverse("notifications:announcement-create")).content.decode()
    assert "NaWi-Camp Nordsachsen" in html
    assert "12.–16.\u00a0Juli 2027" in html
    assert "11.07.2027" not in html and "11.\u00a0Juli" not in html


@pytest.mark.django_db
def test_personal_feed_has_the_camps_daily_hours_and_whole_days_as_dates(client, late_evening):
    from ticketing import queries

    camp = _camp(
        EventFactory().organisation,
        starts_at=berlin(2027, 7, 12, 9),
        ends_at=berlin(2027, 7, 16, 16),
        same_hours_daily=True,
    )
    allday = _camp(
        camp.organisation,
        starts_at=berlin(2027, 7, 19, 0),
        ends_at=berlin(2027, 7, 19, 23, 59),
        all_day=True,
    )
    now = late_evening  # before the camps, whenever the test runs
    _register_adult(camp, now, 1)
    data = ticketing.RegistrationInput(
        name="Erwachsene 1", email="adult1@example.org", privacy_consent=True,
        birth_date=date(1990, 1, 1),
    )  # fmt: skip
    ticketing.register(event=allday, data=data, now=now)

    feed = queries.feed_for_email("adult1@example.org")
    calendar = _read(client.get(f"/tickets/kalender/{feed.token}.ics").content)
    by_start = sorted(calendar.vevent_list, key=lambda e: str(e.dtstart.value))
    daily, whole = by_start
    assert [o.astimezone(BERLIN) for o in daily.getrruleset()] == [
        berlin(2027, 7, day, 9) for day in range(12, 17)
    ]
    assert daily.dtend.value.astimezone(BERLIN) == berlin(2027, 7, 12, 16)
    assert (whole.dtstart.value, whole.dtend.value) == (date(2027, 7, 19), date(2027, 7, 20))


@pytest.mark.django_db
def test_the_day_before_reminder_of_an_all_day_event_comes_at_nine_not_at_midnight():
    shown = EventFactory(
        kind=Event.Kind.WORKSHOP,
        starts_at=berlin(2027, 7, 19, 0),
        ends_at=berlin(2027, 7, 20, 0),
        all_day=True,
    )
    _register_adult(shown, berlin(2027, 6, 1, 12), 1)
    assert reminders.send_due_reminders(now=berlin(2027, 7, 18, 0, 5)) == 0
    assert reminders.send_due_reminders(now=berlin(2027, 7, 18, 8, 59)) == 0
    assert reminders.send_due_reminders(now=berlin(2027, 7, 18, 9, 0)) == 1
    # Composed when it is sent (reading the row composes it in memory).
    reminder = Message.objects.get(event=shown, purpose=Purpose.REMINDER)
    assert reminder.subject.startswith("Erinnerung")
    assert "Sie beginnt am Mo., 19.\u00a0Juli 2027." in reminder.body_text
