"""Password reset: the mail arrives, its link sets a new password, the answer never says
whether an account exists, and requests are limited per address and per IP."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import password_reset
from infra import ratelimit
from tests.factories import UserFactory

NEW_PASSWORD = "Rückkehrertag-Torgau-2027"
ADDRESSES = [
    "orga.reset@district-a.example",
    "nobody.reset@nowhere.example",
    "limit.reset@district-a.example",
    "ip.reset@district-a.example",
    "en.reset@district-a.example",
]
IPS = ["10.9.0.1", "10.9.0.2", "10.9.0.3"]


@pytest.fixture(autouse=True)
def _fresh_counters():
    # Only this module's counters: other tests of the run share the cache.
    for email in ADDRESSES + [f"other{n}@district-a.example" for n in range(5)]:
        ratelimit.reset("password-reset-email", email)
    for ip in IPS + ["127.0.0.1"]:
        ratelimit.reset("password-reset-ip", ip)
    yield


def _request(client, email, *, ip="10.9.0.1", prefix="", **extra):
    url = f"{prefix}{reverse('password_reset')}"
    return client.post(url, {"email": email}, REMOTE_ADDR=ip, **extra)


def _link_from(mail) -> str:
    body = mail.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/password-reset/\S+/", body).group(0)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_mail_arrives_and_its_link_sets_a_new_password(client, mailbox, celery_worker):
    user = UserFactory(username="orga-reset", email="orga.reset@district-a.example")

    response = _request(client, "Orga.Reset@district-a.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == user.email
    assert mail["Subject"] == "Neues Passwort wählen"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Um ein neues Passwort zu wählen, öffnen Sie diesen Link" in body

    # The link leads to a form on a URL without the token (Django swaps it into the session).
    response = client.get(urlsplit(_link_from(mail)).path, follow=True)
    form_url = response.redirect_chain[-1][0]
    assert "set-password" in form_url
    assert "Neues Passwort wählen" in response.text
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Ihr neues Passwort ist gespeichert" in response.text

    client.logout()
    response = client.post(reverse("login"), {"username": "orga-reset", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # The link works once.
    response = client.get(urlsplit(_link_from(mail)).path, follow=True)
    assert "ungültig oder abgelaufen" in response.text


@pytest.mark.django_db
def test_unknown_address_gets_the_same_answer_the_same_work_and_no_mail(
    client, django_capture_on_commit_callbacks, mailbox
):
    from config.celery import app

    UserFactory(username="orga-reset", email="orga.reset@district-a.example")
    _request(client, "other0@district-a.example", ip=IPS[1])  # first-request caches

    with django_capture_on_commit_callbacks() as known_tasks:
        with CaptureQueriesContext(connection) as known_queries:
            known = _request(client, "orga.reset@district-a.example", follow=True)
    with django_capture_on_commit_callbacks() as unknown_tasks:
        with CaptureQueriesContext(connection) as unknown_queries:
            unknown = _request(client, "nobody.reset@nowhere.example", follow=True)

    # The request does the same for both: the same queries, one task queued, the same page.
    assert len(known_queries) == len(unknown_queries)
    assert (len(known_tasks), len(unknown_tasks)) == (1, 1)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Wenn ein Konto diese E-Mail-Adresse nutzt" in unknown.text
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub("", known.text) == csrf.sub("", unknown.text)

    # The tasks, run as a worker would: the account's address gets its mail, nobody else.
    app.conf.update(task_always_eager=True)
    try:
        for task in known_tasks + unknown_tasks:
            task()
    finally:
        app.conf.update(task_always_eager=False)
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "orga.reset@district-a.example"
    assert len(mailbox.messages) == 1


@pytest.mark.django_db
def test_requests_are_limited_per_address_with_a_clear_message(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    UserFactory(username="limit-reset", email="limit.reset@district-a.example")
    for index in range(3):
        response = _request(client, "limit.reset@district-a.example", ip=IPS[index])
        assert response.status_code == 302
    response = _request(client, "LIMIT.reset@district-a.example", ip=IPS[2])
    assert response.status_code == 200
    assert "Zu viele Anfragen zum Zurücksetzen eines Passworts" in response.text
    assert "Bitte warten Sie 60 Minuten" in response.text
    # What was typed stays in the field.
    assert 'value="LIMIT.reset@district-a.example"' in response.text

    response = _request(client, "limit.reset@district-a.example", ip=IPS[2], prefix="/en")
    assert "Too many requests to reset a password. Please wait 60 minutes" in response.text


@pytest.mark.django_db
def test_requests_are_limited_per_ip_for_known_and_unknown_addresses(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for index in range(3):
        assert (
            _request(client, f"other{index}@district-a.example", ip="10.9.0.3").status_code == 302
        )
    response = _request(client, "ip.reset@district-a.example", ip="10.9.0.3")
    assert "Bitte warten Sie 60 Minuten" in response.text
    # Another address of another client is not affected.
    assert _request(client, "ip.reset@district-a.example", ip="10.9.0.2").status_code == 302


@pytest.mark.django_db
def test_invalid_address_is_refused_next_to_the_field(client):
    response = _request(client, "kein-at-zeichen")
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in response.text
    assert 'value="kein-at-zeichen"' in response.text
    response = _request(client, "kein-at-zeichen", prefix="/en")
    assert "Please enter a valid e-mail address" in response.text


@pytest.mark.django_db
def test_mail_is_in_the_language_the_request_was_made_in(mailbox):
    user = UserFactory(username="en-reset", email="en.reset@district-a.example")
    assert password_reset.send_reset_mail(user_id=user.pk, language="en")
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "Choose a new password"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "To choose a new password, open this link" in body
    assert "/en/password-reset/" in _link_from(mail)


@pytest.mark.django_db
def test_no_mail_for_an_inactive_account(mailbox):
    user = UserFactory(username="gone-reset", email="gone.reset@district-a.example")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert password_reset.send_reset_mail(user_id=user.pk, language="de") is False
    assert mailbox.messages == []


@pytest.mark.django_db
def test_login_page_links_to_the_reset(client):
    response = client.get(reverse("login"))
    assert f'href="{reverse("password_reset")}"' in response.text
    assert "Passwort vergessen?" in response.text
