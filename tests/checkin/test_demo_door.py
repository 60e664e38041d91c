"""The demo shows a door that works today: loaded on any day, one event is on at that moment,
`make run` names a ticket to scan, and scanning it gives green."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from checkin import demo as checkin_demo
from checkin import services
from checkin.models import Device
from events_platform.demo import door_demo_slug, load_core_demo
from events_platform.management.commands.load_demo_data import app_demo_loaders
from events_platform.models import Event
from tests.factories import start_of_today

BERLIN = ZoneInfo("Europe/Berlin")


def _load_demo(now: datetime) -> None:
    events = load_core_demo(now=now)
    for _name, loader in app_demo_loaders():
        loader(events_by_slug=events, now=now)


def _scan_the_named_ticket(now: datetime) -> str:
    """Do what the printout says: scan the named ticket with the event's demo phone."""
    event = Event.objects.get(slug=door_demo_slug(now.astimezone(BERLIN).date()))
    assert event.starts_at <= now < event.ends_at
    registration = checkin_demo.door_ticket(now=now)
    ticket = registration.tickets.get()
    notes = "\n".join(checkin_demo.demo_notes(now=now))
    assert registration.name in notes and str(ticket.serial) in notes
    assert registration.manage_token in notes
    device = Device.objects.get(event=event)
    answer = services.redeem_ticket(
        device=device, secret=ticket.secret, nonce=f"newcomer-{now:%Y%m%d}", now=now
    )
    return answer.code


@pytest.mark.django_db
def test_a_demo_ticket_scanned_at_todays_door_is_valid():
    now = datetime(2027, 3, 10, 14, 20, tzinfo=BERLIN)
    _load_demo(now)
    assert _scan_the_named_ticket(now) == services.Code.OK

    # The next day's `make run` puts a new event on then, with tickets nobody scanned yet.
    tomorrow = now + timedelta(days=1, hours=-5)
    _load_demo(tomorrow)
    assert door_demo_slug(date(2027, 3, 11)) != door_demo_slug(date(2027, 3, 10))
    assert _scan_the_named_ticket(tomorrow) == services.Code.OK


@pytest.mark.django_db
def test_the_printout_names_the_hours_as_every_page_does():
    """Loaded at 21:10, the door event runs 20 to 24 o'clock: never '00:00' in the printout."""
    now = datetime(2027, 3, 10, 21, 10, tzinfo=BERLIN)
    _load_demo(now)
    notes = "\n".join(checkin_demo.demo_notes(now=now))
    assert "today 20:00–24:00." in notes
    assert "00:00" not in notes


@pytest.mark.django_db
def test_the_demo_door_event_heads_the_check_in_list_and_past_editions_stay_apart(client):
    call_command("load_demo_data")
    on_now = Event.objects.get(slug=door_demo_slug(timezone.localdate()))
    over = Event.objects.filter(ends_at__lt=start_of_today())
    # Six camps, and last year's five sites (on 27 December, from 10 o'clock, the last
    # edition is today's: then it heads the list with the door event).
    assert over.filter(kind=Event.Kind.CAMP).count() == 6
    assert over.count() >= 6

    for username in ("veranstalter", "einlass"):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get("/einlass/").content.decode()
        todays = page.split('id="checkin-today"')[1].split("</section>")[0]
        assert on_now.title_with_town in todays
        assert not [event for event in over if event.title_with_town in page]
        past = client.get("/einlass/past/").content.decode()
        shown = [event for event in over if event.title_with_town in past]
        # The organiser finds every edition that is over there; door staff none of them
        # (they were never assigned to one).
        assert len(shown) == (over.count() if username == "veranstalter" else 0)
