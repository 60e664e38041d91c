"""The same ticket scanned at the same moment at two entrances is let in exactly once."""

import threading
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from checkin import queries, services
from checkin.models import Attendance, Scan
from checkin.services import Code

from .factories import DoorEventFactory, make_tickets, pair

TICKETS = 1000
PAIRS = 8  # eight pairs of doors, each pair scanning the same tickets at once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thousand_tickets_scanned_twice_at_once_give_one_ok_each():
    event = DoorEventFactory()
    tickets = make_tickets(event, TICKETS)
    north, _token = pair(event, "Handy Nord", "Eingang Nord")
    south, _token = pair(event, "Handy Süd", "Eingang Süd")
    checkin_list = services.ensure_checkin_lists(event=event)[0]
    codes: Counter = Counter()
    counting = threading.Lock()

    def door(device, share, barriers):
        """One scanner: scans its share of tickets, each at the same moment as the other door."""
        try:
            for ticket, barrier in zip(share, barriers, strict=True):
                barrier.wait(timeout=30)
                try:
                    code = services.redeem_ticket(
                        device=device,
                        secret=ticket.secret,
                        nonce=uuid.uuid4().hex,
                        checkin_list=checkin_list,
                        now=timezone.now(),
                    ).code
                except Exception as error:  # noqa: BLE001 - every error is counted
                    code = f"error: {error!r}"
                with counting:
                    codes[code] += 1
        finally:
            connection.close()

    threads = []
    for lane in range(PAIRS):
        share = tickets[lane::PAIRS]
        barriers = [threading.Barrier(2) for _ in share]
        for device in (north, south):
            threads.append(threading.Thread(target=door, args=(device, share, barriers)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == Counter({Code.OK: TICKETS, Code.ALREADY_CHECKED_IN: TICKETS})
    assert Attendance.objects.filter(checkin_list=checkin_list).count() == TICKETS
    assert Scan.objects.filter(checkin_list=checkin_list).count() == TICKETS
    assert queries.counters(checkin_list).inside == TICKETS
