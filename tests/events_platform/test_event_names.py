"""An event (and a venue) is named with its site once: "Rückkehrertag 2026 in Delitzsch", never
"Rückkehrertag 2026 in Delitzsch, Delitzsch", on every page that names a fair or a site."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from events_platform.models import Event, Venue, name_with_town
from fairs.models import Fair

pytestmark = pytest.mark.django_db


def test_the_town_is_added_only_where_the_title_does_not_name_it():
    assert name_with_town("Rückkehrertag 2026 in Delitzsch", "Delitzsch") == (
        "Rückkehrertag 2026 in Delitzsch"
    )
    assert name_with_town("Ausbildungsmesse 2027", "Torgau") == "Ausbildungsmesse 2027, Torgau"
    # A longer word that begins with the town's name does not name the town.
    assert name_with_town("Messe Torgauer Land", "Torgau") == "Messe Torgauer Land, Torgau"
    assert name_with_town("Fachtag", "") == "Fachtag"
    assert str(Venue(name="Rathaus Delitzsch", town="Delitzsch")) == "Rathaus Delitzsch"
    assert str(Venue(name="Stadthalle", town="Torgau")) == "Stadthalle, Torgau"


def _pages(fair: Fair, returnee_day: Event) -> dict[str, list[str]]:
    """The pages that name a fair or a site with its town, by the demo user who sees them."""
    return {
        "": [
            reverse("fairs:exhibitors-event", args=[fair.event.slug]),
            reverse("fairs:jobs-event", args=[fair.event.slug]),
            reverse("fairs:exhibitors-event", args=[returnee_day.slug]),
            reverse("ticketing:register", args=[returnee_day.slug]),
            reverse("events_platform:event-list"),
        ],
        "firma": [
            reverse("fairs:fair-list"),
            reverse("fairs:stand-book", args=[fair.event.slug]),
            reverse("fairs:company-home"),
        ],
        "veranstalter": [
            reverse("fairs:organiser-fairs"),
            reverse("fairs:organiser-fair", args=[fair.event.slug]),
            reverse("fairs:organiser-fair", args=[returnee_day.slug]),
            reverse("ticketing:organiser-list", args=[returnee_day.pk]),
            reverse("checkin:event", args=[returnee_day.pk]),
        ],
        "einlass": [reverse("checkin:home")],
    }


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_page_names_a_town_twice_in_a_row(client, language):
    call_command("load_demo_data", verbosity=0)
    returnee_day = Event.objects.filter(
        kind=Event.Kind.RETURNEE_DAY, status=Event.Status.PUBLISHED, fair__isnull=False
    ).first()
    fair = Fair.objects.filter(event__kind=Event.Kind.APPRENTICESHIP_FAIR).first()
    assert returnee_day.venue.town in returnee_day.title_de
    towns = {event.venue.town for event in (fair.event, returnee_day)}
    repeated = re.compile(
        "|".join(rf"\b{re.escape(town)}\b[^\w¶]{{1,4}}{re.escape(town)}\b" for town in towns)
    )
    with translation.override(language):
        for username, urls in _pages(fair, returnee_day).items():
            client.logout()
            if username:
                client.force_login(get_user_model().objects.get(username=username))
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                # Table cells, list items and paragraphs are apart (¶): a table may have the
                # event in one column and its town in the next.
                html = re.sub(r"</(td|th|li|p|dt|dd|div|h\d)>", " ¶ ", response.content.decode())
                text = re.sub(r"<[^>]+>", " ", html)
                match = repeated.search(" ".join(text.split()))
                assert match is None, f"{url} as {username or 'a visitor'}: {match.group(0)}"
