"""After sign-in each role lands on its own start page; a safe `next` still wins."""

import pytest
from django.test import Client

from events_platform.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.fairs.factories import CompanyMemberFactory

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


def _sign_in(user, **extra) -> str:
    response = Client().post("/login/", {"username": user.username, "password": PASSWORD, **extra})
    assert response.status_code == 302, "signed in"
    return response["Location"]


def test_platform_admin_lands_in_the_admin():
    assert _sign_in(UserFactory(is_superuser=True, is_staff=True)) == "/admin/"


def test_organiser_lands_on_what_needs_them_now():
    assert _sign_in(MembershipFactory().user) == "/veranstalter/"


def test_company_user_lands_in_the_company_area():
    assert _sign_in(CompanyMemberFactory().user) == "/fairs/firma/"


def test_door_staff_land_on_the_check_in_home():
    staff = MembershipFactory(role=Membership.Role.CHECKIN_STAFF).user
    assert _sign_in(staff) == "/einlass/"


def test_someone_without_a_role_lands_on_the_home_page():
    assert _sign_in(UserFactory()) == "/"


def test_a_safe_next_wins_and_a_foreign_one_is_ignored():
    organiser = MembershipFactory().user
    assert _sign_in(organiser, next="/messages/organiser/") == "/messages/organiser/"
    assert _sign_in(organiser, next="https://evil.example/") == "/veranstalter/"


def test_english_sign_in_lands_on_the_english_start_page():
    user = CompanyMemberFactory().user
    response = Client().post("/en/login/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/en/fairs/firma/"


def test_favicon_is_linked_on_every_page_and_served_at_the_root():
    page = Client().get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    icon = Client().get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
