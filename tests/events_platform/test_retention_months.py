"""An organisation keeps exhibitors' contacts and applications at least one month after the
fair: 0 is refused on the settings page with a translated error next to the field and in
the error summary, what was typed stays, and the model's validator refuses it too."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from events_platform.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Landkreis Nordsachsen",
    "district": "Nordsachsen",
    "website": "https://landkreis-nordsachsen.de",
    "contact_email": "wirtschaft@lra-nordsachsen.example",
    "visitor_data_retention_days": "60",
}


def _admin_client():
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Landkreis Nordsachsen"),
        role=Membership.Role.ORGANISER_ADMIN,
    )
    client = Client()
    client.force_login(membership.user)
    return membership.organisation, client


@pytest.mark.parametrize(
    "language,error",
    [
        ("de", "Bitte bewahren Sie Kontakte und Bewerbungen mindestens einen Monat auf."),
        ("en", "Please keep contacts and applications for at least one month."),
    ],
)
def test_zero_months_is_refused_with_an_error_at_the_field_and_in_the_summary(language, error):
    organisation, client = _admin_client()
    url = reverse("workspace:organisation-settings", args=[organisation.pk])
    if language == "en":
        url = "/en" + url
    response = client.post(url, FORM | {"exhibitor_contacts_retention_months": "0"})

    assert response.status_code in (200, 400)
    html = response.content.decode()
    summary = re.search(r"data-error-summary.*?</ul>", html, re.S)
    assert summary and error in summary.group(0)
    assert html.count(error) >= 2  # in the summary and next to the field
    assert re.search(r'name="exhibitor_contacts_retention_months"[^>]*value="0"', html)
    organisation.refresh_from_db()
    assert organisation.exhibitor_contacts_retention_months == 6

    saved = client.post(url, FORM | {"exhibitor_contacts_retention_months": "1"})
    assert saved.status_code == 302
    organisation.refresh_from_db()
    assert organisation.exhibitor_contacts_retention_months == 1


def test_the_model_refuses_zero_months():
    organisation = OrganisationFactory()
    organisation.exhibitor_contacts_retention_months = 0
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "exhibitor_contacts_retention_months" in refused.value.message_dict
    assert Organisation.objects.get(pk=organisation.pk).exhibitor_contacts_retention_months == 6
