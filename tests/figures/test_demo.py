"""The demo's past editions reproduce the source's figures (seeds: "300 Besuchende,
229 Stellenangebote" at the Rückkehrertag, "278 Jugendliche" over the NaWi-Camps)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events_platform.demo import load_core_demo
from events_platform.models import Event, EventSeries
from fairs.demo import load_fairs_demo
from figures import definitions
from figures.demo import load_demo as load_figures_demo
from ticketing.models import Registration

pytestmark = pytest.mark.django_db


def test_last_years_returnee_day_and_the_camps_reproduce_the_source_figures():
    now = timezone.now()
    events = load_core_demo(now=now)
    load_fairs_demo(events_by_slug=events, now=now)
    load_figures_demo(events_by_slug=events, now=now)
    count = Registration.objects.count()
    load_figures_demo(events_by_slug=events, now=now)  # idempotent
    assert Registration.objects.count() == count

    last_year = EventSeries.objects.filter(slug__startswith="rueckkehrertag-").order_by("slug")
    series = last_year.first()
    sites = definitions.site_figures(series)
    assert len(sites) == 5
    figures = definitions.series_figures(series)
    assert figures.visitors == 300
    assert figures.offers_total == 229
    assert figures.walk_ins + figures.checked_in == 300
    assert all(site.visitors > 0 and site.offers_total > 0 for _event, site in sites)
    # The edition is over: everyone who came has left or is counted as present at closing.
    assert definitions.earlier_editions(last_year.last()) == [series]

    camps = Event.objects.filter(kind=Event.Kind.CAMP, ends_at__lt=now)
    assert camps.count() == 6
    camp_figures = definitions.compute(camps)
    assert camp_figures.young_people == 278
    assert camp_figures.registered_camp == 278
    assert sum(camp_figures.young_by_age.values()) == 278
    assert set(camp_figures.young_by_age) <= {"10_13", "14_17"}
    # Attendance per camp day: most children every day.
    assert len(camp_figures.camp_days) == 30
    assert camp_figures.checked_in == 278
    assert max(camp_figures.camp_days.values()) < 60
    assert all(camp.starts_at < now - timedelta(days=1) for camp in camps)
