"""The check-in home and its page of past events in Chromium at 360 × 800 and 1366 × 900, in
German and English: whole (no horizontal overflow), axe clean, the past events reached by
keyboard. Screenshots in var/screenshots/checkin-home/<language>-<size>/."""

from datetime import timedelta

import pytest

from checkin import services
from events_platform.models import Membership
from tests.conftest import ROOT
from tests.factories import MembershipFactory, start_of_today
from tests.test_journeys import LOCALES, SIZES, check_page

from .factories import DoorEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "size"), [("de", "phone"), ("de", "desktop"), ("en", "phone")]
)
def test_door_staff_reach_their_past_events_from_the_home_page_by_keyboard(
    browser, live_server, client, language, size
):
    folder = ROOT / "var" / "screenshots" / "checkin-home" / f"{language}-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    staff = MembershipFactory(role=Membership.Role.CHECKIN_STAFF)
    today = DoorEventFactory(organisation=staff.organisation, title_de="Rückkehrertag Torgau")
    # Yesterday at 10:00 local time: "now minus a day" would end after midnight when the test
    # runs late in the evening, and an event that ends today is today's.
    yesterday = start_of_today() - timedelta(days=1) + timedelta(hours=10)
    past = DoorEventFactory(
        organisation=staff.organisation,
        title_de="Rückkehrertag Oschatz",
        title_en="Returnee Day Oschatz",
        starts_at=yesterday,
        ends_at=yesterday + timedelta(hours=2),
    )
    for event in (today, past):
        services.assign_staff(event=event, user=staff.user)
    client.force_login(staff.user)
    context = browser.new_context(
        locale=LOCALES[language],
        timezone_id="Europe/Berlin",
        viewport=SIZES[size],
        base_url=live_server.url,
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    prefix = "" if language == "de" else "/en"
    try:
        page.goto(f"{prefix}/einlass/")
        check_page(page, "01-home", folder)
        assert "Oschatz" not in page.locator("main").inner_text()
        link = page.get_by_role(
            "link",
            name="Vergangene Veranstaltungen (1)" if language == "de" else "Past events (1)",
        )
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/einlass/past/")
        check_page(page, "02-past", folder)
        shown = page.locator("main").inner_text()
        assert "Oschatz" in shown and "Rückkehrertag Torgau" not in shown
    finally:
        context.close()
