"""The organiser's message pages: scoped per organisation, readable, accessible."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import EventFactory, MembershipFactory
from ticketing import services as ticketing

from .factories import write_test_message

pytestmark = pytest.mark.django_db


def _organiser(event):
    return MembershipFactory(organisation=event.organisation).user


def _register(event, email="anna@example.org"):
    data = ticketing.RegistrationInput(name="Anna Beispiel", email=email, privacy_consent=True)
    return ticketing.register(event=event, data=data, now=timezone.now())


def test_organiser_sees_own_messages_filters_them_and_not_other_tenants(client):
    event = EventFactory(title_de="Ausbildungsmesse Oschatz")
    mine = write_test_message(to_email="mine@example.org", event=event)
    other = write_test_message(to_email="other@example.org", event=EventFactory())
    client.force_login(_organiser(event))

    page = client.get("/messages/organiser/")
    assert page.status_code == 200
    assert "mine@example.org" in page.text
    assert "other@example.org" not in page.text
    filtered = client.get("/messages/organiser/", {"q": "nobody", "state": "queued"})
    assert "mine@example.org" not in filtered.text

    assert client.get(f"/messages/organiser/{mine.pk}/").status_code == 200
    assert client.get(f"/messages/organiser/{other.pk}/").status_code == 404
    assert client.get(f"/messages/organiser/{other.pk}/attachment/0/").status_code == 404


def test_the_event_filter_names_the_events_in_the_pages_language(client):
    event = EventFactory(title_de="Lehrkräfte aufs Land", title_en="Teachers to the countryside")
    write_test_message(to_email="mine@example.org", event=event)
    client.force_login(_organiser(event))

    english = client.get("/en/messages/organiser/").text
    german = client.get("/messages/organiser/").text

    assert "Teachers to the countryside" in english and "Lehrkräfte aufs Land" not in english
    assert "Lehrkräfte aufs Land" in german and "Teachers to the countryside" not in german


def test_the_announcement_form_lists_the_coming_events_first(client):
    from datetime import timedelta

    from django.urls import reverse

    from tests.factories import start_of_today

    today = start_of_today()
    old = EventFactory(
        title_de="Camp 2021",
        starts_at=today - timedelta(days=1500),
        ends_at=today - timedelta(days=1496),
    )
    for title, days in [("Messe gestern", -1), ("Tag in einer Woche", 7), ("Tag morgen", 1)]:
        EventFactory(
            organisation=old.organisation,
            title_de=title,
            starts_at=today + timedelta(days=days, hours=9),
            ends_at=today + timedelta(days=days, hours=15),
        )
    client.force_login(_organiser(old))

    html = client.get(reverse("notifications:announcement-create")).content.decode()

    order = ["Tag morgen", "Tag in einer Woche", "Messe gestern", "Camp 2021"]
    assert [html.index(title) for title in order] == sorted(html.index(t) for t in order)


def test_visitor_without_organiser_role_gets_404(client):
    event = EventFactory()
    write_test_message(to_email="mine@example.org", event=event)
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/messages/organiser/").status_code == 404


def test_ticket_mail_opens_with_its_qr_image(client):
    event = EventFactory()
    _register(event)
    client.force_login(_organiser(event))
    from notifications.models import Message

    message = Message.objects.get(purpose="registration_confirmed")
    page = client.get(f"/messages/organiser/{message.pk}/")
    assert "Ihre Anmeldung ist bestätigt" in page.text
    image_url = f"/messages/organiser/{message.pk}/attachment/0/"
    assert f'src="{image_url}"' in page.text
    image = client.get(image_url)
    assert image["Content-Type"] == "image/png"
    ics = client.get(f"/messages/organiser/{message.pk}/attachment/2/")
    assert b"BEGIN:VCALENDAR" in ics.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_message_pages_in_the_browser_are_accessible(page, live_server, client, axe):
    event = EventFactory(title_de="Rückkehrertag Eilenburg")
    _register(event)
    client.force_login(_organiser(event))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/messages/organiser/")
    axe(page)
    page.get_by_label("Empfänger oder Betreff").fill("anna")
    page.get_by_role("button", name="Nachrichten anzeigen").click()
    page.get_by_role("link", name="Ihr Ticket: Rückkehrertag Eilenburg").click()
    expect(page.get_by_text("Ihre Anmeldung ist bestätigt").first).to_be_visible()
    expect(page.get_by_role("img", name="QR-Code Ihres Tickets")).to_be_visible()
    axe(page)
    page.goto("/en/messages/organiser/")
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()
    axe(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_announcement_pages_in_the_browser(page, live_server, client, axe, settings):
    from notifications import announcements, outbox
    from notifications.models import Message

    settings.CELERY_TASK_ALWAYS_EAGER = False
    event = EventFactory(title_de="Rückkehrertag Schkeuditz")
    for n in range(3):
        _register(event, email=f"gast{n}@example.org")
    organiser = _organiser(event)
    organiser.email = "orga@example.org"
    organiser.save()
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/messages/organiser/announcements/")
    axe(page)
    page.get_by_role("link", name="Rundschreiben verfassen").click()
    axe(page)
    text_box = page.get_by_label("Text")
    assert text_box.bounding_box()["height"] >= 200  # about twelve lines, not one (KERN's 48px)
    hint = page.locator(".kern-hint", has_text="Leerzeile").first
    expect(hint).to_contain_text("Absätze mit einer Leerzeile trennen")
    expect(hint).not_to_contain_text("Markdown")
    page.get_by_label("Betreff").fill("Parken am Rathaus")
    page.get_by_label("Text").fill("Bitte nutzen Sie den **Parkplatz Nord**.")
    page.get_by_label("Rückkehrertag Schkeuditz").check()
    page.get_by_label("Besucher", exact=True).check()
    page.get_by_role("button", name="Speichern und Vorschau ansehen").click()
    expect(page.get_by_text("Parkplatz Nord").first).to_be_visible()
    expect(page.get_by_role("button", name="An 3 Empfänger senden")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Test an mich senden").click()
    expect(page.get_by_text("Ein Test wurde an orga@example.org gesendet.")).to_be_visible()

    page.get_by_role("button", name="An 3 Empfänger senden").click()
    expect(page.get_by_text("Das Rundschreiben wird gesendet.")).to_be_visible()
    announcement = announcements.Announcement.objects.get()
    # No worker in this test: start and deliver here; the page's progress bar (htmx
    # polling) shows it without a reload.
    announcements.start_announcement(announcement_id=announcement.pk, now=announcement.send_at)
    ids = list(Message.objects.filter(announcement=announcement).values_list("pk", flat=True))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.deliver_messages(message_ids=ids)
    page.get_by_text("3 von 3 gesendet, 0 fehlgeschlagen").wait_for()
    page.reload()
    expect(page.get_by_role("link", name="gast1@example.org")).to_be_visible()
    axe(page)

    token = announcements.unsubscribe_token("gast1@example.org")
    page.goto(f"/messages/unsubscribe/{token}/")
    axe(page)
    page.get_by_role("button", name="Keine Rundschreiben mehr erhalten").click()
    expect(page.get_by_text("gast1@example.org erhält keine Rundschreiben mehr")).to_be_visible()
    axe(page)
    page.goto(f"/en/messages/unsubscribe/{token}/")
    expect(page.get_by_role("heading", name="Unsubscribe from announcements")).to_be_visible()
