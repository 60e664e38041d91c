"""The invitations to last edition's exhibitors arrive through a real Redis broker, a real
Celery worker and a real SMTP server: one mail per company, in its language, with the link
that pre-selects its stand."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.invitations import invite_exhibitors
from notifications.models import Message, Purpose
from tests.notifications.conftest import wait_until
from tests.workspace.test_invite import build_editions

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_each_company_gets_one_mail_in_its_language(celery_worker, mailbox):
    editions = build_editions()
    new = editions["new"]

    invite_exhibitors(new_event=new, by=editions["organiser"].user, now=timezone.now())
    invite_exhibitors(new_event=new, by=editions["organiser"].user, now=timezone.now())

    mails = {mail["To"]: mail for mail in mailbox.wait_for(2, timeout=60)}
    alpha = mails[editions["alpha"].contact_email]
    beta = mails[editions["beta"].contact_email]
    assert str(alpha["Subject"]).startswith("Buchen Sie Ihren Stand wieder")
    assert str(beta["Subject"]).startswith("Book your stand again")
    text = alpha.get_body(preferencelist=("plain",)).get_content()
    book = reverse("fairs:stand-book", args=[new.slug])
    assert f"{book}?stand={editions['stands']['A1'].pk}" in text
    # The second call wrote nothing: two rows, both sent, and no third mail.
    invited = Message.objects.filter(purpose=Purpose.EXHIBITORS_INVITED)
    wait_until(lambda: invited.filter(state="sent").count() == 2, what="both rows sent")
    assert invited.count() == 2
    assert len(mailbox.messages) == 2
