"""The reminder through a real Redis broker, a real Celery worker and a real SMTP server:
two companies are invited, one answers, the organiser presses the reminder button in
Chromium, and only the company that has not answered gets a reminder, once."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Message, Purpose
from surveys import services
from surveys.models import Invitation
from tests.notifications.conftest import wait_until
from tests.surveys.build import answer_all, build_survey
from tests.surveys.test_browser import _login, _look, _press

pytestmark = [pytest.mark.celery, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reminder_reaches_only_the_company_that_has_not_answered(
    celery_worker, mailbox, page, axe
):
    page.set_viewport_size({"width": 360, "height": 800})
    world = build_survey(companies=2)
    done, waiting = world["companies"]
    services.open_survey(survey=world["survey"], by=world["organiser"], now=timezone.now())
    invitations = {mail["To"]: mail for mail in mailbox.wait_for(2, timeout=60)}
    assert set(invitations) == {done.contact_email, waiting.contact_email}
    answer_all(world, Invitation.objects.get(company=done))

    world["organiser"].username = "orga-reminder"
    world["organiser"].save()
    _login(page, "orga-reminder")
    page.goto(reverse("surveys:invitations", args=[world["survey"].pk]))
    _look(page, axe, "30-invitations-before-reminder")
    _press(page, page.get_by_role("button", name="1 Adresse ohne Antwort erinnern"))
    expect(page.get_by_text("1 Erinnerung wurde geschrieben.")).to_be_visible()
    expect(page.get_by_role("button", name="1 Adresse ohne Antwort erinnern")).to_have_count(0)
    _look(page, axe, "31-invitations-after-reminder")

    mails = mailbox.wait_for(3, timeout=60)
    reminder = mails[2]
    assert reminder["To"] == waiting.contact_email
    # The second company chose English.
    assert str(reminder["Subject"]) == "Reminder: Needs survey"
    text = reminder.get_body(preferencelist=("plain",)).get_content()
    token = Invitation.objects.get(company=waiting).token
    assert reverse("surveys:answer", args=[token]) in text
    reminders = Message.objects.filter(purpose=Purpose.SURVEY_REMINDER)
    wait_until(lambda: reminders.filter(state="sent").count() == 1, what="the reminder sent")
    assert reminders.count() == 1 and len(mailbox.messages) == 3
