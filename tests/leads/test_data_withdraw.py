"""'Ihre Daten' gives each company holding the visitor's stand contact its own withdraw link:
the link (authorised by the e-mailed data link) asks first, then erases the company's copy
and tells the company, as the ticket page's withdraw does. Client, and one step in Chromium
at 360 px with axe."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dataprotection import subject_requests
from leads import services
from leads.models import Contact
from notifications.models import Message, Purpose

from .factories import make_ticket, paired_stand

SHOTS = Path("/tmp/h8")  # noqa: S108 - screenshots to look at by hand


def _two_companies_hold_the_contact():
    first, device, _token = paired_stand(company_name="Elbtal Kunststoff GmbH")
    ticket = make_ticket(first.fair.event, 1, share_contact_consent=True, name="Dora Daten")
    services.scan_ticket(device=device, secret=ticket.secret, nonce="n1", now=timezone.now())
    second, device2, _token2 = paired_stand(
        event=first.fair.event, fair=first.fair, company_name="Muldental Metall AG"
    )
    services.scan_ticket(device=device2, secret=ticket.secret, nonce="n2", now=timezone.now())
    return first, second, ticket


def _links(html: str) -> list[str]:
    return re.findall(r'href="(https?://[^"]*/stand/ihre-daten/[^"]+)"', html)


@pytest.mark.django_db
def test_each_contact_on_ihre_daten_withdraws_alone_and_tells_its_company(settings):
    first, second, ticket = _two_companies_hold_the_contact()
    email = ticket.registration.email
    token = subject_requests.link_token(email, now=timezone.now())
    visitor = Client()

    overview = visitor.get(reverse("dataprotection:data-overview", args=[token]))
    html = overview.content.decode()
    assert "Elbtal Kunststoff GmbH" in html and "Muldental Metall AG" in html
    links = _links(html)
    assert len(links) == 2, html
    contact = Contact.objects.get(booking=first)
    [link] = [url for url in links if url.endswith(f"/kontakt/{contact.pk}/")]
    path = link.removeprefix(settings.SITE_URL)

    ask = visitor.get(path)
    assert ask.status_code == 200
    assert "Von Elbtal Kunststoff GmbH zurückziehen" in ask.content.decode()
    assert Contact.objects.get(pk=contact.pk).name == "Dora Daten"  # GET only asks

    done = visitor.post(path)
    assert done.status_code == 200
    assert "Kopie des Unternehmens ist gelöscht" in done.content.decode()
    contact.refresh_from_db()
    assert contact.erased_at and contact.withdrawn_at and contact.name == contact.email == ""
    mail = Message.objects.get(purpose=Purpose.CONTACT_WITHDRAWN)
    assert mail.to_email == first.company.contact_email
    other = Contact.objects.get(booking=second)
    assert other.erased_at is None and other.name == "Dora Daten"

    # Once withdrawn, the link finds nothing; the overview lists only the other company.
    assert visitor.post(path).status_code == 404
    html = visitor.get(reverse("dataprotection:data-overview", args=[token])).content.decode()
    [left] = _links(html)
    assert left.endswith(f"/kontakt/{other.pk}/")
    assert Message.objects.filter(purpose=Purpose.CONTACT_WITHDRAWN).count() == 1


@pytest.mark.django_db
def test_another_address_or_a_forged_link_withdraws_nothing(settings):
    first, _second, ticket = _two_companies_hold_the_contact()
    contact = Contact.objects.get(booking=first)
    foreign = subject_requests.link_token("someone@else.example", now=timezone.now())
    url = reverse("leads:data-withdraw", kwargs={"token": foreign, "pk": contact.pk})
    assert Client().post(url).status_code == 404
    real = subject_requests.link_token(ticket.registration.email, now=timezone.now())
    middle = len(real) // 2
    tampered = real[:middle] + ("A" if real[middle] != "A" else "B") + real[middle + 1 :]
    forged = reverse("leads:data-withdraw", kwargs={"token": tampered, "pk": contact.pk})
    answer = Client().post(forged)
    assert answer.status_code == 404 and "ungültig oder abgelaufen" in answer.content.decode()
    contact.refresh_from_db()
    assert contact.erased_at is None and contact.name == "Dora Daten"
    # An organiser's copy carries no withdraw link.
    [section] = [
        s
        for s in subject_requests.collect(
            ticket.registration.email, organisations=[first.fair.event.organisation_id]
        )
        if s.key == "stand_contacts"
    ]
    assert all("withdraw" not in record for record in section.records)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_withdraw_from_ihre_daten_in_chromium_at_360_px(browser, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    first, _second, ticket = _two_companies_hold_the_contact()
    token = subject_requests.link_token(ticket.registration.email, now=timezone.now())
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 360, "height": 800},
        base_url=live_server.url,
    )
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(reverse("dataprotection:data-overview", args=[token]))
        contact = Contact.objects.get(booking=first)
        page.locator(f'a[href$="/kontakt/{contact.pk}/"]').click()
        button = page.get_by_role("button", name="Von Elbtal Kunststoff GmbH zurückziehen")
        expect(button).to_be_visible()
        axe(page)
        page.screenshot(path=str(SHOTS / "data-withdraw-360.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Kopie des Unternehmens ist gelöscht")
        axe(page)
        page.screenshot(path=str(SHOTS / "data-withdrawn-360.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.get_by_role("link", name="Zurück zu Ihren Daten").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ihre Daten")
        expect(page.locator(f'a[href$="/kontakt/{contact.pk}/"]')).to_have_count(0)
    finally:
        context.close()
    contact.refresh_from_db()
    assert contact.erased_at is not None
