"""The API of the visitor side: same services as the pages, documented in the schema."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import EventFactory, MembershipFactory, TimeSlotFactory
from ticketing import services
from ticketing.models import Registration

from .factories import CampFactory, FairFactory, camper, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _body(**extra):
    body = {"name": "Anna Beispiel", "email": "anna@example.org", "privacy_consent": True}
    body.update(extra)
    return body


def test_register_returns_the_ticket_and_the_secret_link(api):
    event = EventFactory(capacity=1)
    response = api.post(f"/api/tickets/events/{event.slug}/register/", _body(), format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "confirmed"
    assert len(data["ticket"]["secret"]) == 125 and data["ticket"]["headcount"] == 1
    token = Registration.objects.get().manage_token
    assert data["ticket_url"].endswith(f"/tickets/ticket/{token}/")

    second = api.post(
        f"/api/tickets/events/{event.slug}/register/",
        _body(email="ben@example.org", name="Ben"),
        format="json",
    ).json()
    assert second["status"] == "waitlisted" and second["ticket"] is None


def test_school_class_by_api_gets_a_group_ticket(api):
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=100)
    data = api.post(
        f"/api/tickets/events/{fair.slug}/register/",
        _body(school="Gymnasium Delitzsch", grade="10", pupils=22, adults=2, time_slot=slot.pk),
        format="json",
    ).json()
    assert (data["kind"], data["headcount"], data["ticket"]["kind"]) == (
        "school_class",
        24,
        "group",
    )


def test_domain_errors_come_back_with_a_code(api):
    event = EventFactory()
    response = api.post(
        f"/api/tickets/events/{event.slug}/register/",
        _body(privacy_consent=False),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "privacy_consent_required"
    camp = CampFactory()
    response = api.post(
        f"/api/tickets/events/{camp.slug}/register/",
        _body(birth_date="2000-01-01"),
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "age_out_of_range")
    assert api.post("/api/tickets/events/nope/register/", _body(), format="json").status_code == 404


def test_rate_limit_answers_429(api, settings):
    settings.TICKETING_RATE_LIMITS = {"ip": (1, 600), "email": (100, 3600)}
    event = EventFactory()
    url = f"/api/tickets/events/{event.slug}/register/"
    first = api.post(url, _body(), format="json", REMOTE_ADDR="10.3.3.3")
    second = api.post(url, _body(email="b@example.org"), format="json", REMOTE_ADDR="10.3.3.3")
    assert (first.status_code, second.status_code) == (201, 429)
    assert second.json()["code"] == "rate_limited"


def test_ticket_cancel_and_accept_by_secret_link(api):
    event = EventFactory(capacity=1)
    now = timezone.now()
    first = services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now)
    assert api.get(f"/api/tickets/{first.manage_token}/").json()["status"] == "confirmed"
    assert api.get("/api/tickets/wrong-token/").status_code == 404
    cancelled = api.post(f"/api/tickets/{first.manage_token}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(f"/api/tickets/{first.manage_token}/cancel/")
    assert (again.status_code, again.json()["code"]) == (409, "already_cancelled")
    accepted = api.post(f"/api/tickets/{second.manage_token}/accept/").json()
    assert accepted["status"] == "confirmed" and accepted["ticket"]["status"] == "valid"


def test_organiser_list_and_export_scoped_to_the_organisation(api):
    camp = CampFactory()
    services.register(event=camp, data=camper(1, event=camp), now=timezone.now())
    url = f"/api/tickets/organiser/events/{camp.pk}/registrations/"
    assert api.get(url).status_code in (401, 403)

    stranger = MembershipFactory()
    api.force_authenticate(stranger.user)
    assert api.get(url).status_code == 404

    organiser = MembershipFactory(organisation=camp.organisation)
    api.force_authenticate(organiser.user)
    data = api.get(url).json()
    assert data["count"] == 1
    assert data["results"][0]["name"] == "Besucherin 1"
    assert "medical_notes" not in data["results"][0]
    export = api.get(url + "export/?file_format=xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert not any("Erdnuss" in str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    csv_export = api.get(url + "export/?status=confirmed")
    assert csv_export["Content-Type"].startswith("text/csv")


def test_operations_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/tickets/events/{slug}/register/",
        "/api/tickets/{token}/",
        "/api/tickets/{token}/cancel/",
        "/api/tickets/{token}/accept/",
        "/api/tickets/organiser/events/{event_id}/registrations/",
        "/api/tickets/organiser/events/{event_id}/registrations/export/",
    ]:
        assert path in paths
    register = paths["/api/tickets/events/{slug}/register/"]["post"]
    assert "429" in register["responses"] and "201" in register["responses"]


def test_admin_is_scoped_to_the_organisation(client):
    from tests.factories import UserFactory

    mine = EventFactory()
    theirs = EventFactory()
    services.register(event=mine, data=person(1), now=timezone.now())
    services.register(event=theirs, data=person(2), now=timezone.now())
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, organisation=mine.organisation)
    client.force_login(user)
    html = client.get("/admin/ticketing/registration/").content.decode()
    assert "visitor1@example.org" in html and "visitor2@example.org" not in html
    other = Registration.objects.get(email="visitor2@example.org")
    assert client.get(f"/admin/ticketing/registration/{other.pk}/change/").status_code == 302
    assert client.get("/admin/ticketing/ticket/").status_code == 200
    assert client.get("/admin/ticketing/registrationsettings/add/").status_code == 200


def test_beat_schedule_names_the_ticketing_tasks():
    from config.celery import app
    from ticketing import tasks

    names = {entry["task"] for entry in app.conf.beat_schedule.values()}
    for task in (
        tasks.expire_waitlist_offers,
        tasks.release_unconfirmed_minors,
        tasks.promote_waiting_lists,
        tasks.erase_expired_visitor_data,
    ):
        assert task.name in names


def test_the_register_answer_is_the_serializers_shape_for_every_kind_of_registration(api):
    """The registration API builds its answer directly (ticketing.serializers.visitor_answer,
    for speed in a rush); it must be what VisitorRegistrationSerializer gives, the shape the
    schema documents, for each kind: confirmed with a ticket, waiting list, an open offer, a
    camp child awaiting the guardian, a school class with a slot, workshops and answers."""
    from datetime import timedelta

    from tests.factories import SessionFactory
    from ticketing.serializers import VisitorRegistrationSerializer, visitor_answer

    from .factories import QuestionFactory

    now = timezone.now()
    event = EventFactory(capacity=1)
    question = QuestionFactory(event=event, required=False)
    workshop = SessionFactory(event=event, capacity=5)
    confirmed = services.register(
        event=event,
        data=person(1, answers={str(question.pk): "vegetarisch"}, session_ids=[workshop.pk]),
        now=now,
    )
    offered = services.register(event=event, data=person(2), now=now)
    waiting = services.register(event=event, data=person(3), now=now)
    services.cancel_registration(registration=confirmed, now=now)  # offers to the first
    camp = CampFactory()
    child = services.register(event=camp, data=camper(4, event=camp), now=now)
    fair = FairFactory()
    school_class = services.register(
        event=fair,
        data=person(
            5,
            school="Oberschule Oschatz",
            grade="8b",
            pupils=20,
            adults=2,
            time_slot_id=TimeSlotFactory(
                event=fair, capacity=50, starts_at=now + timedelta(days=9)
            ).pk,
        ),
        now=now,
    )
    rows = [
        Registration.objects.get(pk=r.pk)
        for r in (confirmed, offered, waiting, child, school_class)
    ]
    statuses = {row.status for row in rows}
    assert statuses == {"cancelled", "offered", "waitlisted", "pending_guardian", "confirmed"}
    for row in rows:
        assert visitor_answer(row) == VisitorRegistrationSerializer(row).data, row.status
    with_ticket = visitor_answer(rows[-1])
    assert with_ticket["ticket"]["kind"] == "group" and with_ticket["time_slot"]
    assert visitor_answer(rows[0])["sessions"] == [workshop.pk]
    assert visitor_answer(rows[0])["answers"] == {str(question.pk): "vegetarisch"}
    assert visitor_answer(rows[1])["offer_expires_at"] and rows[1].status == "offered"
    assert visitor_answer(rows[3])["guardian_deadline"]

    # What the API sent is the same too (the registration as it was when it answered).
    answer = api.post(
        f"/api/tickets/events/{fair.slug}/register/",
        _body(
            email="class@example.org",
            school="Gymnasium",
            grade="9",
            pupils=10,
            time_slot=school_class.time_slot_id,
        ),
        format="json",
    ).json()
    fresh = Registration.objects.get(email="class@example.org")
    assert answer == VisitorRegistrationSerializer(fresh).data


def test_the_register_answer_is_built_from_what_was_written_without_a_query(
    django_assert_num_queries,
):
    """The registration API builds its answer before the commit (RegisterView.post) from
    what register() wrote: no query while the counter's row is locked. For each kind:
    confirmed with a ticket, workshops, answers and consents; the waiting list; a camp child
    awaiting the guardian; a school class in a slot."""
    from tests.factories import SessionFactory
    from ticketing.serializers import VisitorRegistrationSerializer, visitor_answer

    from .factories import QuestionFactory

    now = timezone.now()
    event = EventFactory(capacity=1)
    question = QuestionFactory(event=event, required=False)
    workshop = SessionFactory(event=event, capacity=5)
    camp = CampFactory()
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=50, starts_at=now + timedelta(days=9))
    inputs = [
        (event, person(1, answers={str(question.pk): "ja"}, session_ids=[workshop.pk])),
        (event, person(2)),
        (camp, camper(3, event=camp)),
        (fair, person(4, school="Oberschule", grade="8b", pupils=20, time_slot_id=slot.pk)),
    ]
    for target, data in inputs:
        registration = services.use_written(services.register(event=target, data=data, now=now))
        with django_assert_num_queries(0):
            answer = visitor_answer(registration)
        assert (
            answer
            == VisitorRegistrationSerializer(Registration.objects.get(pk=registration.pk)).data
        )
