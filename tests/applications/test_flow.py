"""Applications end to end without a browser: apply on the job wall, the mails, the
company's area (only its own), the answer, withdrawal, "Ihre Daten" and retention."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import retention
from applications.models import Answer, Application, ApplicationFile, ApplicationTally
from dataprotection import subject_requests
from notifications.models import Message, Purpose
from tests.factories import MembershipFactory

from .helpers import form_data, pdf_with_javascript, pdf_with_pages, upload, wall

pytestmark = pytest.mark.django_db


def _apply(client, offer, event, **overrides):
    url = reverse("applications:apply", args=[offer.pk, event.slug])
    return client.post(url, form_data(**overrides))


def test_the_job_wall_offers_apply_and_the_application_reaches_only_the_company(client):
    event, offer, member = wall()
    _other_event, other_offer, other_member = wall(company_name="Betawerk", title="Pflege")
    page = client.get(reverse("fairs:jobs-event", args=[event.slug])).content.decode()
    assert reverse("applications:apply", args=[offer.pk, event.slug]) in page

    response = _apply(client, offer, event)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:mine", args=[application.token])
    assert application.company == offer.company and application.event == event
    assert application.consent_language == "de" and "6 Monate" in application.consent_text
    assert sorted(application.files.values_list("kind", "name")) == [
        ("cv", "Lebenslauf.pdf"),
        ("letter", "Anschreiben.pdf"),
    ]
    assert ApplicationTally.objects.get(event=event, company=offer.company).received == 1

    sent = Message.objects.get(purpose=Purpose.APPLICATION_SENT)
    assert sent.to_email == "lena@example.org" and application.token in sent.body_text
    received = Message.objects.get(purpose=Purpose.APPLICATION_RECEIVED)
    assert received.to_email == offer.company.contact_email
    assert received.attachments == [] and "anfangen" not in received.body_text
    assert reverse("applications:company-detail", args=[application.pk]) in received.body_text

    client.force_login(member.user)
    listing = client.get(reverse("applications:company-list", args=[offer.pk]))
    assert "Lena Hartmann" in listing.content.decode()
    assert client.get(reverse("applications:company-list", args=[offer.pk]), {"q": "Müller"})
    searched = client.get(reverse("applications:company-list", args=[offer.pk]), {"q": "müller"})
    assert "Lena Hartmann" not in searched.content.decode()
    detail = client.get(reverse("applications:company-detail", args=[application.pk]))
    assert "anfangen" in detail.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    cv = client.get(reverse("applications:company-file", args=[application.pk, "cv"]))
    assert cv["Content-Type"] == "application/pdf" and cv.content.startswith(b"%PDF-")
    assert cv["Content-Disposition"].startswith("attachment;")

    # Company B sees nothing of it, by any address.
    client.force_login(other_member.user)
    for url in [
        reverse("applications:company-list", args=[offer.pk]),
        reverse("applications:company-detail", args=[application.pk]),
        reverse("applications:company-file", args=[application.pk, "cv"]),
    ]:
        assert client.get(url).status_code == 404
    assert "Lena" not in client.get(reverse("applications:company-offers")).content.decode()
    assert (
        client.post(
            reverse("applications:company-detail", args=[application.pk]),
            {"status": "declined", "body": "Nein."},
        ).status_code
        == 404
    )
    assert not Answer.objects.exists()
    assert other_offer.applications.count() == 0


def test_the_company_answers_and_the_applicant_sees_it_then_withdraws(client):
    event, offer, member = wall()
    _apply(client, offer, event)
    application = Application.objects.get()
    client.force_login(member.user)
    bad = client.post(
        reverse("applications:company-detail", args=[application.pk]),
        {"status": "invited", "body": ""},
    )
    assert bad.status_code == 400 and "error-summary" in bad.content.decode()
    client.post(
        reverse("applications:company-detail", args=[application.pk]),
        {"status": "invited", "body": "Kommen Sie gern am Stand vorbei."},
    )
    answered = Message.objects.get(purpose=Purpose.APPLICATION_ANSWERED)
    assert "Kommen Sie gern" in answered.body_text and answered.to_email == "lena@example.org"
    client.logout()

    page = client.get(reverse("applications:mine", args=[application.token])).content.decode()
    assert "Kommen Sie gern am Stand vorbei." in page and "Zum Gespräch eingeladen" in page
    own_cv = client.get(reverse("applications:mine-file", args=[application.token, "letter"]))
    assert own_cv.status_code == 200 and own_cv.content.startswith(b"%PDF-")
    assert client.get(reverse("applications:mine", args=["falsch" * 5])).status_code == 404

    client.post(reverse("applications:mine-withdraw", args=[application.token]))
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    withdrawn = Message.objects.get(purpose=Purpose.APPLICATION_WITHDRAWN)
    assert withdrawn.to_email == offer.company.contact_email
    assert client.get(reverse("applications:mine", args=[application.token])).status_code == 404
    # The count stays for the figures.
    assert ApplicationTally.objects.get(event=event).received == 1


def test_bad_files_are_refused_next_to_the_field_and_the_text_is_kept(client):
    event, offer, _member = wall()
    response = _apply(
        client,
        offer,
        event,
        cv=upload("cv.pdf", pdf_with_javascript()),
        letter=upload("letter.pdf", pdf_with_pages(21)),
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Application.objects.exists()
    assert "Skripte, Aktionen oder eingebettete Dateien" in page
    assert "höchstens 20 Seiten" in page
    assert "Lena Hartmann" in page and "Ich möchte gern bei Ihnen anfangen." in page
    assert "wählen Sie Ihren Lebenslauf und Ihr Anschreiben erneut" in page
    assert not Message.objects.exists()


def test_no_consent_no_application_and_the_rate_limit(client, settings):
    event, offer, _member = wall()
    response = _apply(client, offer, event, consent="")
    assert response.status_code == 400 and not Application.objects.exists()
    settings.APPLICATIONS_RATE_LIMITS = {"email": (1, 3600)}
    from infra import ratelimit

    ratelimit.reset("applications-email", "x")
    assert _apply(client, offer, event, email="rate@example.org").status_code == 302
    limited = _apply(client, offer, event, email="rate@example.org")
    assert limited.status_code == 429 and Application.objects.count() == 1


def test_an_offer_not_on_that_wall_cannot_be_applied_to(client):
    event, offer, _member = wall()
    other_event, _other_offer, _m = wall(company_name="Betawerk")
    response = client.get(reverse("applications:apply", args=[offer.pk, other_event.slug]))
    assert response.status_code == 404
    event.ends_at = timezone.now() - timedelta(weeks=5)
    event.starts_at = event.ends_at - timedelta(hours=2)
    event.save()
    closed = _apply(client, offer, event)
    assert closed.status_code == 200 and not Application.objects.exists()


def test_ihre_daten_lists_and_withdraws_and_retention_erases_after_the_months(client):
    event, offer, _member = wall()
    _apply(client, offer, event)
    [section] = [s for s in subject_requests.collect("LENA@example.org") if s.key == "applications"]
    [record] = section.records
    assert record["company"] == offer.company.name and "/bewerbungen/b/" in record["page"].url
    token = subject_requests.link_token("lena@example.org", now=timezone.now())
    overview = client.get(reverse("dataprotection:data-overview", args=[token])).content.decode()
    assert "Bewerbungen auf Stellenangebote" in overview and offer.company.name in overview
    assert f'href="{record["page"].url}">Bewerbung ansehen oder zurückziehen</a>' in overview
    organiser_copy = subject_requests.collect(
        "lena@example.org", organisations=[event.organisation_id]
    )
    assert all("page" not in r for s in organiser_copy for r in s.records)

    done = subject_requests.erase_subject_data(email="lena@example.org", now=timezone.now())
    assert done.get("applications_withdrawn") == 1 and not Application.objects.exists()
    assert Message.objects.filter(purpose=Purpose.APPLICATION_WITHDRAWN).count() == 1

    _apply(client, offer, event, email="jonas@example.org")
    organisation = event.organisation
    organisation.exhibitor_contacts_retention_months = 2
    organisation.save()
    assert retention.erase_expired(now=event.ends_at + timedelta(days=58)) == 0
    assert Application.objects.count() == 1
    assert retention.erase_expired(now=event.ends_at + timedelta(days=63)) == 1
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    assert ApplicationTally.objects.get(event=event).received == 2


def test_the_retention_task_is_on_the_beat_schedule():
    from config.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "applications.tasks.erase_expired_applications" in tasks


def test_organisers_see_counts_per_company_never_who_applied(client):
    event, offer, _member = wall()
    _apply(client, offer, event)
    organiser = MembershipFactory(organisation=event.organisation).user
    client.force_login(organiser)
    page = client.get(reverse("applications:organiser-counts")).content.decode()
    assert offer.company.name in page and "<td>1</td>" in page
    assert "Lena" not in page and "lena@example.org" not in page
    client.force_login(MembershipFactory().user)  # another organisation's organiser
    assert (
        offer.company.name
        not in client.get(reverse("applications:organiser-counts")).content.decode()
    )
    # ... and no page of an application opens for an organiser.
    application = Application.objects.get()
    client.force_login(organiser)
    detail = client.get(reverse("applications:company-detail", args=[application.pk]))
    assert detail.status_code == 302 and "Lena" not in detail.content.decode()


def test_a_series_wall_sends_to_the_offers_next_event_where_its_company_exhibits(client):
    event, offer, _member = wall()
    from tests.factories import EventFactory, EventSeriesFactory

    series = EventSeriesFactory(organisation=event.organisation)
    event.series = series
    event.save()
    earlier = EventFactory(
        series=series,
        organisation=event.organisation,
        starts_at=event.starts_at - timedelta(days=3),
    )
    earlier.ends_at = earlier.starts_at + timedelta(hours=2)
    earlier.save()
    offer.events.add(earlier)  # shown there, but the company has no stand at it
    page = client.get(reverse("fairs:jobs-series", args=[series.slug])).content.decode()
    assert reverse("applications:apply", args=[offer.pk, event.slug]) in page
    assert reverse("applications:apply", args=[offer.pk, earlier.slug]) not in page
