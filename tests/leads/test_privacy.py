"""Stand contacts in a person's data copy and erasure, the retention job on the beat
schedule, and the vCard writer."""

import pytest
from django.utils import timezone

from dataprotection import subject_requests
from leads import services
from leads.models import Contact
from leads.vcard import Card, parse_names, vcards

from .factories import make_ticket, paired_stand


@pytest.mark.django_db
def test_the_data_copy_names_the_companies_and_erasure_keeps_the_count():
    booking, device, _token = paired_stand(company_name="Elbtal Kunststoff GmbH")
    ticket = make_ticket(booking.fair.event, 1, share_contact_consent=True, name="Dora Daten")
    services.scan_ticket(device=device, secret=ticket.secret, nonce="p1", now=timezone.now())

    sections = subject_requests.collect("visitor1@example.org")
    section = next(s for s in sections if s.key == "stand_contacts")
    assert [r["company"] for r in section.records] == ["Elbtal Kunststoff GmbH"]

    done = subject_requests.erase_subject_data(email="visitor1@example.org", now=timezone.now())
    assert done.get("stand_contacts") == 1
    contact = Contact.objects.get(booking=booking)
    assert contact.erased_at and contact.name == "" and contact.email == ""


def test_the_retention_job_is_on_the_beat_schedule():
    from config.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "leads.tasks.erase_expired_contacts" in tasks
    import leads.tasks  # noqa: F401

    assert "leads.tasks.erase_expired_contacts" in app.tasks


def test_vcard_escapes_folds_and_reads_back():
    data = vcards(
        [
            Card(name="Jürgen Müller-Lüdenscheidt", email="j@example.org", note="a,b;c\nd"),
            Card(name="X" * 120, categories=["Ausbildung", "Pflege, Alten"]),
        ]
    )
    text = data.decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "NOTE:a\\,b\\;c\\nd" in text and "CATEGORIES:Ausbildung,Pflege\\, Alten" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert parse_names(data) == [
        ("Jürgen Müller-Lüdenscheidt", "j@example.org"),
        ("X" * 120, ""),
    ]
