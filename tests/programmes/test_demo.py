"""The programme demo: Mittelsachsen's mentoring programme with the kick-off workshop in
Mittweida and two sessions, companies signed up (the demo company among them), mentors and
mentees paired, built from the organisation's survey; loading it twice adds nothing."""

import pytest
from django.utils import timezone

from events_platform.demo import load_core_demo
from fairs.demo import load_demo as load_fairs_demo
from programmes.demo import SLUG, load_demo
from programmes.models import Pair, Participant, Programme, ProgrammeEvent, Signup
from surveys.demo import load_demo as load_surveys_demo

pytestmark = pytest.mark.django_db


def test_demo_programme_with_its_events_companies_and_pairs_is_idempotent():
    now = timezone.now()
    events = load_core_demo(now=now)
    load_fairs_demo(events_by_slug=events, now=now)
    load_surveys_demo(events_by_slug=events, now=now)
    load_demo(events_by_slug=events, now=now)
    models = (Programme, ProgrammeEvent, Signup, Participant, Pair)
    counts = [model.objects.count() for model in models]
    load_demo(events_by_slug=events, now=now)
    assert [model.objects.count() for model in models] == counts

    programme = Programme.objects.get(slug=SLUG)
    assert programme.organisation.slug == "fka-mittelsachsen"
    assert programme.status == Programme.Status.PUBLISHED and programme.has_plain
    links = list(programme.programme_events.select_related("event__venue"))
    roles = [link.role for link in links]
    assert roles == ["kickoff", "session", "session"]
    assert links[0].event.venue.town == "Mittweida"
    assert programme.survey is not None
    assert programme.survey.organisation == programme.organisation
    assert programme.signups.filter(company__slug="agrar-elbaue").exists()
    assert programme.signups.count() == 4 and Pair.objects.filter(programme=programme).count() == 2
