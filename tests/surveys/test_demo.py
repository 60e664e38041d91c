"""The surveys' demo data: loading it twice adds nothing, and Mittelsachsen's closed anonymous
survey has dozens of answers from the district's invented companies."""

import pytest
from django.utils import timezone

from surveys import demo, queries
from surveys.models import Answer, Invitation, Response, Survey
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_reads_like_a_real_survey():
    OrganisationFactory(slug="fka-mittelsachsen", name="Fachkräfteallianz Mittelsachsen")
    OrganisationFactory(slug="fka-nordsachsen", name="Fachkräfteallianz Nordsachsen")
    demo.load_demo(events_by_slug={}, now=timezone.now())
    counts = [m.objects.count() for m in (Survey, Invitation, Response, Answer)]
    demo.load_demo(events_by_slug={}, now=timezone.now())
    assert [m.objects.count() for m in (Survey, Invitation, Response, Answer)] == counts
    survey = Survey.objects.get(organisation__slug="fka-mittelsachsen")
    assert survey.state == Survey.State.CLOSED and survey.anonymous and survey.minutes == 10
    assert (survey.closes_at - survey.opens_at).days == 49
    assert survey.invitations.count() == demo.INVITED
    assert survey.invitations.filter(answered=True).count() == demo.ANSWERED
    assert not Response.objects.filter(survey=survey).exclude(company=None).exists()
    results = queries.results(survey)
    assert results.total == demo.ANSWERED and not results.suppressed
    assert Survey.objects.get(organisation__slug="fka-nordsachsen").state == Survey.State.OPEN
