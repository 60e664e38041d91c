"""A mail the SMTP server accepted is marked sent even over a short database outage, so the
sweep does not send it a second time after the lease; a longer outage gives up, bounded."""

import pytest
from django.db import OperationalError
from django.db.models.query import QuerySet

from notifications import outbox
from notifications.models import Message

from .factories import write_test_message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_away_when_marking_sent(monkeypatch):
    """The database refuses the `sent` update the given number of times; records the waits."""
    state = {"refusals": 0, "waits": []}
    update = QuerySet.update

    def flaky_update(self, **kwargs):
        if kwargs.get("state") == Message.State.SENT and state["refusals"] > 0:
            state["refusals"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", flaky_update)
    monkeypatch.setattr(outbox, "_sleep", state["waits"].append)
    return state


def test_a_sent_mail_is_marked_sent_after_a_short_database_outage(
    mailbox, database_away_when_marking_sent
):
    database_away_when_marking_sent["refusals"] = 3
    message = write_test_message(to_email="ida@example.org")

    counts = outbox.deliver_messages(message_ids=[message.pk])

    assert counts["sent"] == 1
    assert len(mailbox.wait_for(1)) == 1
    message.refresh_from_db()
    assert message.state == Message.State.SENT and message.claimed_at is None
    assert database_away_when_marking_sent["waits"] == [1, 2, 4]


def test_a_long_outage_gives_up_after_about_30_seconds_and_leaves_it_to_the_lease(
    mailbox, database_away_when_marking_sent
):
    database_away_when_marking_sent["refusals"] = 100
    message = write_test_message(to_email="jan@example.org")

    outbox.deliver_messages(message_ids=[message.pk])

    assert len(mailbox.wait_for(1)) == 1
    waits = database_away_when_marking_sent["waits"]
    assert waits == [1, 2, 4, 8, 15] and sum(waits) == 30
    message.refresh_from_db()
    assert message.state == Message.State.SENDING  # the documented duplicate window


def test_a_failing_publish_after_the_commit_never_reaches_the_request(monkeypatch):
    def broker_and_database_gone(ids, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(outbox, "publish", broker_and_database_gone)
    pending = outbox._Pending()
    pending.ids = [1, 2]
    pending.flush()  # must not raise: the sweep hands these over later
    assert pending.ids == []
