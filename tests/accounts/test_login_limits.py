"""Sign-in is limited per account and per address; the message says what to do."""

import pytest
from django.urls import reverse

from accounts.forms import LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_IP
from infra import ratelimit
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_counters():
    # Only this test's counters: other test runs may share the cache.
    yield
    for username in ("anna", "bernd", "carla", "dora"):
        ratelimit.reset("login-account", username)
    for ip in ("10.0.0.1", "10.0.0.9", "10.0.0.10"):
        ratelimit.reset("login-ip", ip)


def _login(client, username, password, ip="10.0.0.1", url_name="login"):
    return client.post(
        reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_account_is_locked_after_failed_attempts_even_with_the_right_password(client):
    user = UserFactory(username="anna")
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        response = _login(client, user.username, "wrong")
        assert response.status_code == 200
        assert "zu viele" not in response.text.lower()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "Bitte warten Sie 15 Minuten" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_address_is_limited_across_accounts(client):
    UserFactory(username="bernd")
    for index in range(LOGIN_LIMIT_PER_IP):
        _login(client, f"nobody{index}", "wrong", ip="10.0.0.9")
    response = _login(client, "bernd", PASSWORD, ip="10.0.0.9")
    assert "Bitte warten Sie 15 Minuten" in response.text
    # Another address is not affected.
    response = _login(client, "bernd", PASSWORD, ip="10.0.0.10")
    assert response.status_code == 302


@pytest.mark.django_db
def test_admin_sign_in_has_the_same_limit(client):
    user = UserFactory(username="carla", is_staff=True)
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        _login(client, user.username, "wrong", url_name="admin:login")
    response = _login(client, user.username, PASSWORD, url_name="admin:login")
    assert "Bitte warten Sie 15 Minuten" in response.text


@pytest.mark.django_db
def test_successful_login_is_not_counted(client):
    UserFactory(username="dora")
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT + 2):
        assert _login(client, "dora", PASSWORD).status_code == 302
        client.logout()
