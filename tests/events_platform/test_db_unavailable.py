"""A database that is briefly away: 503 with Retry-After (JSON in the API, a plain page
elsewhere), no success turned into an error after the commit, health-checked connections."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from infra.db_unavailable import database_unavailable_response
from notifications.models import Message
from tests.factories import EventFactory
from ticketing import services
from ticketing.models import Registration

pytestmark = pytest.mark.django_db

REFUSED = OperationalError(
    'connection to server at "127.0.0.1", port 5433 failed: Connection refused'
)


def _lose_the_database(*args, **kwargs):
    raise REFUSED


def _body(**extra):
    return {"name": "Anna Beispiel", "email": "anna@example.org", "privacy_consent": True, **extra}


def test_the_api_answers_503_json_with_retry_after_while_the_database_is_away(monkeypatch):
    event = EventFactory(capacity=10)
    monkeypatch.setattr(services, "register", _lose_the_database)

    response = APIClient().post(
        f"/api/tickets/events/{event.slug}/register/", _body(), format="json"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert body["detail"] == (
        "Der Dienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."
    )


def test_a_terminated_connection_in_the_api_is_a_503_too(monkeypatch):
    event = EventFactory(capacity=10)

    def terminated(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(services, "register", terminated)
    response = APIClient().post(
        f"/api/tickets/events/{event.slug}/register/",
        _body(),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 503
    assert response.json() == {
        "code": "database_unavailable",
        "detail": "The service is briefly unavailable. Please try again in a moment.",
    }


@pytest.mark.parametrize(
    ("language", "heading", "text"),
    [
        (
            "de",
            "Bitte versuchen Sie es gleich noch einmal",
            "Die Seite kann gerade nicht angezeigt werden. Ihre Eingaben wurden nicht "
            "gespeichert. Bitte versuchen Sie es in ein paar Sekunden noch einmal.",
        ),
        (
            "en",
            "Please try again in a moment",
            "The page cannot be shown just now. Nothing you sent was saved. Please try again "
            "in a few seconds.",
        ),
    ],
)
def test_the_registration_page_answers_a_plain_503_page(
    client, monkeypatch, language, heading, text
):
    event = EventFactory(capacity=10)
    monkeypatch.setattr(services, "register", _lose_the_database)

    with translation.override(language):
        url = reverse("ticketing:register", kwargs={"slug": event.slug})
    response = client.post(url, _body())

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f'<h1 class="kern-heading-large">{heading}</h1>' in page
    assert text in page
    assert not Registration.objects.exists()


def test_the_503_page_needs_no_database(django_assert_max_num_queries):
    request = RequestFactory().get("/veranstaltungen/")
    with django_assert_max_num_queries(0):
        response = database_unavailable_response(request)
    assert response.status_code == 503
    assert "Bitte versuchen Sie es gleich noch einmal" in response.content.decode()


def test_other_errors_are_still_500(monkeypatch):
    event = EventFactory(capacity=10)

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(services, "register", broken)
    client = APIClient(raise_request_exception=False)
    response = client.post(f"/api/tickets/events/{event.slug}/register/", _body(), format="json")
    assert response.status_code == 500


def test_a_database_error_while_building_the_answer_rolls_the_registration_back(monkeypatch):
    """Nothing after the commit may turn a success into an error: the answer is built inside
    the transaction, so a lost database there leaves nothing behind and a retry succeeds."""
    from ticketing import api

    event = EventFactory(capacity=10)
    original = api.visitor_answer  # the answer of the registration API (ticketing.serializers)
    monkeypatch.setattr(api, "visitor_answer", _lose_the_database)
    api_client = APIClient()
    url = f"/api/tickets/events/{event.slug}/register/"

    assert api_client.post(url, _body(), format="json").status_code == 503
    assert not Registration.objects.exists()
    assert not Message.objects.exists()

    monkeypatch.setattr(api, "visitor_answer", original)
    retry = api_client.post(url, _body(), format="json")
    assert retry.status_code == 201
    assert retry.json()["status"] == "confirmed"
    assert Registration.objects.count() == 1


@pytest.mark.postgres
def test_persistent_connections_are_health_checked():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_database_error_while_answering_a_cancellation_keeps_the_registration(monkeypatch):
    from ticketing import api

    event = EventFactory(capacity=10)
    api_client = APIClient()
    api_client.post(f"/api/tickets/events/{event.slug}/register/", _body(), format="json")
    registration = Registration.objects.get()
    original = api.VisitorRegistrationSerializer.to_representation
    monkeypatch.setattr(api.VisitorRegistrationSerializer, "to_representation", _lose_the_database)
    url = f"/api/tickets/{registration.manage_token}/cancel/"

    assert api_client.post(url).status_code == 503
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    monkeypatch.setattr(api.VisitorRegistrationSerializer, "to_representation", original)
    retry = api_client.post(url)
    assert retry.status_code == 200
    assert retry.json()["status"] == "cancelled"


class DatabaseAwayInAMiddleware:
    """Loses the database outside any view (as a session or user lookup would)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise REFUSED


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/events/", "application/json"), ("/", "text/html")]
)
def test_a_database_lost_outside_a_view_is_a_503_too(settings, path, content_type):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.events_platform.test_db_unavailable.DatabaseAwayInAMiddleware",
    ]
    client = APIClient(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith(content_type)
