"""Invite last edition's exhibitors: one mail per company with a confirmed stand last time, in
its language, with a link that pre-selects its stand in the new plan where it is free; a second
click sends nothing twice; the page shows who was invited and who has booked again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events_platform.editions import copy_event
from events_platform.models import AuditEntry, Event
from fairs.models import Stand, StandBooking
from notifications.models import Message, Purpose
from tests.factories import EventFactory, MembershipFactory
from tests.fairs.factories import CompanyFactory, FairFactory, StandBookingFactory, StandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions():
    return build_editions()


def build_editions(**organiser) -> dict:
    """Last year's fair (A1 Alpha confirmed, A2 Beta confirmed, A3 Gamma rejected) copied as
    this year's published edition, where Delta has already taken A2."""
    organiser = MembershipFactory(**organiser)
    org = organiser.organisation
    event = EventFactory(
        organisation=org,
        kind=Event.Kind.APPRENTICESHIP_FAIR,
        status=Event.Status.PUBLISHED,
        title_de="Ausbildungsmesse 2026",
    )
    fair = FairFactory(event=event)
    stands = {label: StandFactory(hall__fair=fair, label=label) for label in ["A1", "A2", "A3"]}
    alpha = CompanyFactory(name="Alpha Bau", language="de", contact_name="Frau Alt")
    beta = CompanyFactory(name="Beta Tech", language="en", contact_name="Mr Brown")
    gamma = CompanyFactory(name="Gamma Holz")
    StandBookingFactory(company=alpha, stand=stands["A1"], status=StandBooking.Status.APPROVED)
    StandBookingFactory(company=beta, stand=stands["A2"], status=StandBooking.Status.APPROVED)
    StandBookingFactory(company=gamma, stand=stands["A3"], status=StandBooking.Status.REJECTED)
    start = timezone.localdate(event.starts_at)
    new = copy_event(
        event=event, starts_on=start + timedelta(days=364), by=organiser.user, now=timezone.now()
    )
    new.status = Event.Status.PUBLISHED
    new.save()
    new_stands = {s.label: s for s in Stand.objects.filter(hall__fair__event=new)}
    StandBookingFactory(
        company=CompanyFactory(name="Delta"),
        stand=new_stands["A2"],
        status=StandBooking.Status.APPROVED,
    )
    return {
        "organiser": organiser,
        "earlier": event,
        "new": new,
        "stands": new_stands,
        "alpha": alpha,
        "beta": beta,
    }


def invitations():
    return Message.objects.filter(purpose=Purpose.EXHIBITORS_INVITED).order_by("to_email")


def test_the_copy_knows_the_edition_it_came_from(editions):
    assert editions["new"].copied_from == editions["earlier"]
    assert editions["new"].pk != editions["earlier"].pk


def test_one_mail_per_confirmed_company_in_its_language_and_twice_is_still_one(client, editions):
    client.force_login(editions["organiser"].user)
    url = reverse("workspace:edition-invite", args=[editions["new"].pk])

    confirm = client.get(url).content.decode()
    assert "Alpha Bau" in confirm and "Beta Tech" in confirm
    assert "Gamma Holz" not in confirm
    assert "2 Einladungen senden" in confirm
    assert not invitations().exists()

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == second.status_code == 302
    sent = {m.to_email: m for m in invitations()}
    assert set(sent) == {editions["alpha"].contact_email, editions["beta"].contact_email}
    alpha, beta = sent[editions["alpha"].contact_email], sent[editions["beta"].contact_email]
    assert alpha.language == "de" and beta.language == "en"
    assert alpha.subject.startswith("Buchen Sie Ihren Stand wieder")
    assert "Frau Alt" in alpha.body_text
    assert beta.subject.startswith("Book your stand again")
    assert "Mr Brown" in beta.body_text
    assert AuditEntry.objects.filter(action="exhibitors_invited").count() == 2

    after = client.get(url).content.decode()
    assert "Alle Firmen der letzten Ausgabe sind eingeladen." in after
    assert "noch nicht" not in after


def test_the_link_preselects_the_stand_with_the_same_label_only_where_it_is_free(client, editions):
    client.force_login(editions["organiser"].user)
    client.post(reverse("workspace:edition-invite", args=[editions["new"].pk]))
    book = reverse("fairs:stand-book", args=[editions["new"].slug])
    alpha = invitations().get(to_email=editions["alpha"].contact_email)
    beta = invitations().get(to_email=editions["beta"].contact_email)

    assert f"{book}?stand={editions['stands']['A1'].pk}" in alpha.body_text
    assert "Ihr bisheriger Stand ist dort schon ausgewählt." in alpha.body_text
    # Beta's A2 was taken by Delta: the plain booking page, and it is told so.
    assert f"{book}?stand=" not in beta.body_text
    assert f"{book}" in beta.body_text
    assert "Your previous stand is not free this time." in beta.body_text


def test_the_page_shows_who_has_booked_again(client, editions):
    client.force_login(editions["organiser"].user)
    url = reverse("workspace:edition-invite", args=[editions["new"].pk])
    client.post(url)
    StandBookingFactory(company=editions["alpha"], stand=editions["stands"]["A1"])

    html = client.get(url).content.decode()

    alpha_row = html.split(f'data-company="{editions["alpha"].pk}"', 1)[1].split("</tr>", 1)[0]
    beta_row = html.split(f'data-company="{editions["beta"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "A1 (Angefragt)" in alpha_row
    assert "nein" in beta_row


def test_a_draft_is_not_invited_for_its_booking_link_would_not_open(client, editions):
    new = editions["new"]
    new.status = Event.Status.DRAFT
    new.save()
    client.force_login(editions["organiser"].user)

    answer = client.post(reverse("workspace:edition-invite", args=[new.pk]))

    assert answer.status_code == 409
    assert "Bitte veröffentlichen Sie zuerst die neue Ausgabe" in answer.content.decode()
    assert not invitations().exists()


def test_the_series_page_invites_every_site(client, editions):
    from tests.factories import EventSeriesFactory

    org = editions["organiser"].organisation
    series = EventSeriesFactory(organisation=org)
    Event.objects.filter(pk=editions["new"].pk).update(series=series)
    client.force_login(editions["organiser"].user)
    url = reverse("workspace:series-invite", args=[series.pk])

    assert "Alpha Bau" in client.get(url).content.decode()
    assert (
        "Aussteller der letzten Ausgabe einladen"
        in client.get(reverse("workspace:series-edit", args=[series.pk])).content.decode()
    )
    client.post(url)

    assert invitations().count() == 2


def test_a_second_organisation_finds_nothing_and_sends_nothing(client, editions):
    client.force_login(MembershipFactory().user)
    url = reverse("workspace:edition-invite", args=[editions["new"].pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not invitations().exists()
