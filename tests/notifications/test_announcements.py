"""Announcements: audience, preview, test mail, batches, one-click unsubscribe, suppression."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import announcements, outbox
from notifications.models import Announcement, Message, Purpose, Suppression
from tests.factories import EventFactory, EventSeriesFactory, MembershipFactory
from tests.fairs.factories import FairFactory, HallFactory, StandBookingFactory, StandFactory
from ticketing import services as ticketing
from ticketing.models import Registration

pytestmark = pytest.mark.django_db


def _register(event, n, **extra):
    data = ticketing.RegistrationInput(
        name=f"Person {n}", email=f"person{n}@example.org", privacy_consent=True, **extra
    )
    return ticketing.register(event=event, data=data, now=timezone.now())


def _announcement(organisation, **extra):
    values = {
        "organisation": organisation,
        "by": None,
        "subject": "Parkplätze am Rathaus",
        "body_markdown": "Bitte nutzen Sie den **Parkplatz Nord**.\n\n- Eingang A\n- Eingang B\n"
        "\n<script>alert(1)</script>",
        "audiences": ["visitors"],
    }
    values.update(extra)
    return announcements.create_announcement(**values)


def test_audience_of_a_series_visitors_waiting_list_exhibitors_and_language():
    series = EventSeriesFactory()
    torgau = EventFactory(organisation=series.organisation, series=series, capacity=1)
    oschatz = EventFactory(organisation=series.organisation, series=series)
    elsewhere = EventFactory(organisation=series.organisation)
    _register(torgau, 1)
    _register(torgau, 2)  # waiting list: Torgau holds one person
    _register(oschatz, 1)  # the same address twice: one mail
    _register(elsewhere, 3)
    fair = FairFactory(event=oschatz)
    StandBookingFactory(
        stand=StandFactory(hall=HallFactory(fair=fair)),
        status="approved",
        company__contact_email="hr@firma.de",
    )

    visitors = _announcement(series.organisation, series=series)
    assert {p.email for p in announcements.audience(visitors)} == {"person1@example.org"}
    everyone = _announcement(
        series.organisation, series=series, audiences=["visitors", "waiting_list", "exhibitors"]
    )
    assert {p.email for p in announcements.audience(everyone)} == {
        "person1@example.org",
        "person2@example.org",
        "hr@firma.de",
    }
    english = _announcement(series.organisation, series=series, language="en")
    assert announcements.audience(english) == []


def test_markdown_is_rendered_sanitised_with_unsubscribe_in_the_footer():
    event = EventFactory()
    announcement = _announcement(event.organisation, events=[event])
    anna = announcements.AnnouncementRecipient("anna@example.org", "de", "Anna", event=event)
    rendered = announcements.render_announcement(
        announcement, language="de", person=anna, email="anna@example.org"
    )
    assert "<strong>Parkplatz Nord</strong>" in rendered.html
    assert "<li>Eingang A</li>" in rendered.html
    assert "<script>" not in rendered.html
    assert "- Eingang A" in rendered.text
    assert "Vom Rundschreiben abmelden" in rendered.text
    assert "/messages/unsubscribe/" in rendered.html


GREETINGS = ("Guten Tag", "Dear ", "Hello", "Liebe", "Hallo")


def _greetings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip().startswith(GREETINGS)]


@pytest.mark.parametrize(
    "language,visitor_greeting,visitor_reason,exhibitor_greeting,exhibitor_reason",
    [
        (
            "de",
            "Guten Tag Person 1,",
            "Sie erhalten diese Nachricht, weil Sie sich für „Messe Mitte“ angemeldet haben.",
            "Guten Tag,",
            "Sie erhalten diese Nachricht, weil Firma Nord einen Stand bei „Messe Mitte“ "
            "gebucht hat.",
        ),
        (
            "en",
            "Dear Person 1,",
            "You receive this message because you registered for “Fair Centre”.",
            "Hello,",
            "You receive this message because Firma Nord has booked a stand at “Fair Centre”.",
        ),
    ],
)
def test_each_recipient_is_greeted_once_and_told_truly_why(
    language, visitor_greeting, visitor_reason, exhibitor_greeting, exhibitor_reason
):
    event = EventFactory(title_de="Messe Mitte", title_en="Fair Centre")
    _register(event, 1)
    Registration.objects.update(language=language)
    fair = FairFactory(event=event)
    StandBookingFactory(
        fair=fair,
        stand=StandFactory(hall=HallFactory(fair=fair)),
        status="approved",
        company__name="Firma Nord",
        company__contact_name="",
        company__contact_email="hr@firma-nord.example",
        company__language=language,
    )
    announcement = _announcement(
        event.organisation, events=[event], audiences=["visitors", "exhibitors"]
    )
    people = {p.email: p for p in announcements.audience(announcement)}
    expected = {
        "person1@example.org": (visitor_greeting, visitor_reason),
        "hr@firma-nord.example": (exhibitor_greeting, exhibitor_reason),
    }
    assert set(people) == set(expected)
    for email, (greeting, reason) in expected.items():
        rendered = announcements.render_announcement(
            announcement, language=language, person=people[email], email=email
        )
        assert _greetings(rendered.text) == [greeting]
        assert rendered.html.count(f"<p>{greeting}</p>") == 1
        assert reason in rendered.text
        assert reason in rendered.html
    # Nobody was told they registered as a visitor when they booked a stand.
    exhibitor_mail = announcements.render_announcement(
        announcement, language=language, person=people["hr@firma-nord.example"]
    )
    assert visitor_reason not in exhibitor_mail.text


def test_a_camp_announcement_goes_to_the_guardian_and_names_the_child():
    from tests.ticketing.factories import CampFactory

    camp = CampFactory(title_de="NaWi-Camp")
    Registration.objects.create(
        event=camp,
        kind=Registration.Kind.CAMP_PARTICIPANT,
        status=Registration.Status.CONFIRMED,
        name="Kim Kind",
        email="kim@example.org",
        guardian_name="Gerda Gast",
        guardian_email="gerda@example.org",
        created_at=timezone.now(),
    )
    announcement = _announcement(camp.organisation, events=[camp])
    [person] = announcements.audience(announcement)
    assert person.email == "gerda@example.org"
    rendered = announcements.render_announcement(announcement, language="de", person=person)
    assert _greetings(rendered.text) == ["Guten Tag Gerda Gast,"]
    assert (
        "Sie erhalten diese Nachricht, weil Kim Kind für „NaWi-Camp“ angemeldet ist und Sie "
        "als Elternteil oder erziehungsberechtigte Person angegeben sind."
        in " ".join(rendered.text.split())
    )


def _preview(page: str) -> str:
    """The announcement preview of the page (the page's header names the signed-in user)."""
    start = re.search(r'class="message-preview"[^>]*>', page).end()
    depth, position = 1, start
    for tag in re.finditer(r"<(/?)div\b", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            position = start + tag.start()
            break
    return page[start:position]


def test_preview_and_test_mail_greet_a_recipient_not_the_organiser(client, mailbox):
    event = EventFactory(title_de="Messe Mitte")
    _register(event, 1)
    organiser = MembershipFactory(
        organisation=event.organisation,
        user__username="orga.schulze",
        user__first_name="Olga",
        user__last_name="Schulze",
        user__email="olga@orga.example",
    ).user
    announcement = _announcement(event.organisation, events=[event])
    client.force_login(organiser)

    page = client.get(f"/messages/organiser/announcements/{announcement.pk}/")
    assert page.status_code == 200
    preview = _preview(page.text)
    assert "orga.schulze" not in preview
    assert "Olga" not in preview
    assert preview.count("Guten Tag Person 1,") == 1
    assert "weil Sie sich für „Messe Mitte“ angemeldet haben" in preview

    client.post(f"/messages/organiser/announcements/{announcement.pk}/test/")
    test_mail = Message.objects.get(purpose=Purpose.ANNOUNCEMENT_TEST)
    assert test_mail.to_email == "olga@orga.example"
    assert _greetings(test_mail.body_text) == ["Guten Tag Person 1,"]
    assert "Olga" not in test_mail.body_text


def test_without_recipients_the_preview_greets_neutrally(client):
    event = EventFactory()
    organiser = MembershipFactory(organisation=event.organisation, user__username="orga.x").user
    announcement = _announcement(event.organisation, events=[event])
    client.force_login(organiser)
    page = client.get(f"/messages/organiser/announcements/{announcement.pk}/")
    preview = _preview(page.text)
    assert "<p>Guten Tag,</p>" in preview
    assert "orga.x" not in preview


def test_the_form_says_the_greeting_is_added_and_refuses_a_typed_one(client):
    event = EventFactory()
    organiser = MembershipFactory(organisation=event.organisation).user
    client.force_login(organiser)
    form = client.get("/messages/organiser/announcements/new/")
    assert "Anrede mit dem Namen jeder Empfängerin" in form.text
    body = "Liebe Besucherinnen und Besucher,\n\nder Einlass beginnt um 9 Uhr."
    response = client.post(
        "/messages/organiser/announcements/new/",
        {
            "subject": "Einlass",
            "body_markdown": body,
            "events": [event.pk],
            "audiences": ["visitors"],
        },
    )
    assert response.status_code == 200
    assert "Bitte entfernen Sie die Anrede" in response.text
    assert "der Einlass beginnt um 9 Uhr." in response.text  # what was typed is kept
    assert not Announcement.objects.exists()


def test_sending_writes_one_row_per_recipient_once_with_rfc8058_headers(mailbox):
    event = EventFactory()
    for n in range(5):
        _register(event, n)
    Suppression.objects.create(email="person4@example.org", reason="unsubscribed")
    announcement = _announcement(event.organisation, events=[event])
    now = timezone.now()
    announcements.schedule_announcement(announcement=announcement, send_at=None, now=now)

    assert announcements.start_announcement(announcement_id=announcement.pk, now=now) == 4
    assert announcements.start_announcement(announcement_id=announcement.pk, now=now) == 0
    rows = Message.objects.filter(purpose=Purpose.ANNOUNCEMENT)
    assert rows.count() == 4
    assert not rows.filter(to_email="person4@example.org").exists()

    outbox.deliver_messages(message_ids=list(rows.values_list("pk", flat=True)))
    mails = mailbox.wait_for(4)
    mail = mails[0]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(mail["List-Unsubscribe"]).strip().startswith("<http://")
    announcement.refresh_from_db()
    assert announcements.progress(announcement)["percent"] == 100
    announcement.refresh_from_db()
    assert announcement.state == Announcement.State.SENT


def test_transactional_mail_has_no_unsubscribe_header():
    event = EventFactory()
    _register(event, 1)
    message = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    assert "List-Unsubscribe" not in outbox.build_email(message).message()


def test_scheduled_for_later_starts_when_due():
    event = EventFactory()
    _register(event, 1)
    announcement = _announcement(event.organisation, events=[event])
    now = timezone.now()
    later = now + timedelta(hours=3)
    announcements.schedule_announcement(announcement=announcement, send_at=later, now=now)
    assert announcements.start_due_announcements(now=now) == 0
    assert announcements.start_due_announcements(now=later) == 1
    assert Message.objects.filter(announcement=announcement).count() == 1


def test_one_click_unsubscribe_post_without_csrf_suppresses(client):
    token = announcements.unsubscribe_token("Person7@example.org")
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        f"/messages/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Suppression.objects.get(email="person7@example.org").reason == "unsubscribed"
    assert client.get("/messages/unsubscribe/forged/").status_code == 404


def test_permanent_bounce_keeps_address_out_of_later_announcements():
    event = EventFactory()
    _register(event, 1)
    _register(event, 2)
    Suppression.objects.create(email="person2@example.org", reason="bounced")
    announcement = _announcement(event.organisation, events=[event])
    assert [p.email for p in announcements.audience(announcement)] == ["person1@example.org"]
    assert Registration.objects.filter(event=event).count() == 2


def test_organiser_writes_previews_tests_and_sends(client, mailbox):
    event = EventFactory(title_de="Fachtag Fachkräfte")
    _register(event, 1)
    organiser = MembershipFactory(
        organisation=event.organisation, user__email="orga@example.org"
    ).user
    client.force_login(organiser)
    response = client.post(
        "/messages/organiser/announcements/new/",
        {
            "subject": "Neuer Raum",
            "body_markdown": "Der Workshop ist in **Raum 2**.",
            "events": [event.pk],
            "audiences": ["visitors"],
            "language": "",
        },
    )
    assert response.status_code == 302
    detail_url = response["Location"]
    page = client.get(detail_url)
    assert "<strong>Raum 2</strong>" in page.text
    assert "An 1 Empfänger senden" in page.text
    client.post(detail_url + "test/")
    test_mail = Message.objects.get(purpose=Purpose.ANNOUNCEMENT_TEST)
    assert test_mail.to_email == "orga@example.org"
    other = EventFactory()
    MembershipFactory(organisation=other.organisation, user=organiser)
    assert (
        client.get(
            f"/messages/organiser/announcements/{Announcement.objects.get().pk}/"
        ).status_code
        == 200
    )
    stranger = MembershipFactory().user
    client.force_login(stranger)
    assert client.get(detail_url).status_code == 404


def test_audience_checked_in_or_not():
    from checkin.models import Attendance, CheckinList

    event = EventFactory()
    inside = _register(event, 1)
    _register(event, 2)
    now = timezone.now()
    checkin_list = CheckinList.objects.create(
        event=event, name="Eingang Nord", opens_at=now, closes_at=now + timedelta(hours=4)
    )
    Attendance.objects.create(
        checkin_list=checkin_list,
        ticket=inside.tickets.get(),
        inside=True,
        first_entry_at=now,
        last_entry_at=now,
    )
    came = _announcement(event.organisation, events=[event], filters={"checked_in": True})
    missed = _announcement(event.organisation, events=[event], filters={"checked_in": False})
    assert [p.email for p in announcements.audience(came)] == ["person1@example.org"]
    assert [p.email for p in announcements.audience(missed)] == ["person2@example.org"]


@pytest.mark.sqlite
def test_outbox_on_sqlite_write_send_sweep(mailbox):
    """The zero-setup database: same dedup, claim and sweep."""
    event = EventFactory()
    _register(event, 1)
    message = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    assert outbox.sweep_outbox(now=timezone.now()) == 0
    assert outbox.deliver_messages(message_ids=[message.pk])["sent"] == 1
    assert outbox.deliver_messages(message_ids=[message.pk])["skipped"] == 1
    assert len(mailbox.wait_for(1)) == 1
