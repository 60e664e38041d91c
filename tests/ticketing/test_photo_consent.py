"""Photo consent can be withdrawn as easily as it was given (GDPR Art. 7(3)): the change page
behind the secret link shows the box wherever the registration form asked for it, in the
form's words, and every change is a new consent record."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.factories import EventFactory
from ticketing import services
from ticketing.consent_texts import TEXTS, Audience
from ticketing.forms import AnswersForm
from ticketing.models import ConsentRecord, Registration

from .factories import CampFactory, FairFactory, RegistrationSettingsFactory, camper, person

pytestmark = pytest.mark.django_db
PHOTOS = ConsentRecord.Topic.PHOTOS


def _edit_url(registration: Registration, language: str = "de") -> str:
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/tickets/ticket/{registration.manage_token}/aendern/"


def _photo_box(page: str) -> str | None:
    """The photo checkbox's <input> tag on the page, or None."""
    found = re.search(r'<input[^>]*name="photo_consent"[^>]*>', page)
    return found.group(0) if found else None


def _get(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _photo_records(registration: Registration) -> list[ConsentRecord]:
    return list(registration.consents.filter(topic=PHOTOS).order_by("given_at", "pk"))


def test_a_visitor_withdraws_photo_consent_and_gives_it_again_on_the_change_page():
    registration = services.register(
        event=EventFactory(), data=person(1, photo_consent=True), now=timezone.now()
    )
    page = _get(_edit_url(registration))
    assert "Fotos von mir dürfen gemacht und veröffentlicht werden (freiwillig)." in page
    assert "checked" in _photo_box(page)

    client = Client()
    # Unticked: the browser sends nothing for the box.
    response = client.post(_edit_url(registration), {"phone": ""})
    assert response.status_code == 302 and response.url.endswith("?notice=saved")
    registration.refresh_from_db()
    assert registration.photo_consent is False
    given, withdrawn = _photo_records(registration)
    assert (given.granted, withdrawn.granted) == (True, False)
    assert (withdrawn.given_by, withdrawn.given_for) == ("Besucherin 1", "")
    with translation.override("de"):
        assert withdrawn.text == str(TEXTS[Audience.SELF][PHOTOS])
    assert withdrawn.text_version == given.text_version
    assert "checked" not in _photo_box(_get(_edit_url(registration)))

    # Given again, on the English page: recorded in the words shown there.
    client.post(_edit_url(registration, "en"), {"phone": "", "photo_consent": "on"})
    registration.refresh_from_db()
    assert registration.photo_consent is True
    again = _photo_records(registration)[-1]
    assert again.granted is True
    assert again.text == "Photos of me may be taken and published (optional)."

    # Saving without a change records nothing new.
    client.post(_edit_url(registration), {"phone": "0341 1", "photo_consent": "on"})
    assert len(_photo_records(registration)) == 3


def test_a_parent_withdraws_the_photo_consent_for_their_child():
    camp = CampFactory()
    registration = services.register(
        event=camp, data=camper(1, event=camp, photo_consent=True), now=timezone.now()
    )
    page = _get(_edit_url(registration))
    assert "Fotos meines Kindes dürfen gemacht und veröffentlicht werden (freiwillig)." in page
    assert "Fotos von mir" not in page
    assert "checked" in _photo_box(page)
    english = _get(_edit_url(registration, "en"))
    assert "Photos of my child may be taken and published (optional)." in english

    later = timezone.now() + timedelta(hours=1)
    with translation.override("de"):
        services.update_answers(
            registration=registration,
            answers={},
            phone="0341 123456",
            share_contact_consent=False,
            photo_consent=False,
            now=later,
        )
    registration.refresh_from_db()
    assert registration.photo_consent is False
    withdrawn = _photo_records(registration)[-1]
    assert (withdrawn.granted, withdrawn.given_at) == (False, later)
    # As on the registration form and the guardian's page: the parent's, for the child.
    assert (withdrawn.given_by, withdrawn.given_for) == ("Elternteil 1", "Besucherin 1")
    assert withdrawn.text == (
        "Fotos meines Kindes dürfen gemacht und veröffentlicht werden (freiwillig)."
    )


def test_a_teacher_withdraws_their_own_photo_consent():
    fair = FairFactory()
    registration = services.register(
        event=fair,
        data=person(
            1, school="Oberschule Torgau", grade="9a", pupils=20, adults=2, photo_consent=True
        ),
        now=timezone.now(),
    )
    page = _get(_edit_url(registration))
    assert (
        "Fotos von mir als begleitende Lehrkraft dürfen gemacht und veröffentlicht werden "
        "(freiwillig)."
    ) in page
    assert "Photos of me as the accompanying teacher may be taken and published (optional)." in (
        _get(_edit_url(registration, "en"))
    )
    Client().post(_edit_url(registration), {"phone": ""})
    registration.refresh_from_db()
    assert registration.photo_consent is False
    withdrawn = _photo_records(registration)[-1]
    assert withdrawn.granted is False and withdrawn.given_by == "Besucherin 1"
    with translation.override("de"):
        assert withdrawn.text == str(TEXTS[Audience.TEACHER][PHOTOS])


def test_no_photo_box_where_the_guardian_decides():
    """A minor who registered themselves was not asked: the guardian decides on photos on the
    confirmation page, and the minor cannot override that on their change page."""
    workshop = EventFactory(min_age=14)
    RegistrationSettingsFactory(event=workshop, guardian_required_under=18)
    registration = services.register(
        event=workshop, data=camper(1, age=15, event=workshop), now=timezone.now()
    )
    assert "photo_consent" not in AnswersForm(registration=registration).fields
    assert _photo_box(_get(_edit_url(registration))) is None
    assert "Fotos" not in _get(_edit_url(registration))

    services.confirm_guardian_consent(
        token=registration.guardian_token,
        photo_consent=True,
        guardian_name="Petra Krüger",
        now=timezone.now(),
    )
    assert _photo_box(_get(_edit_url(registration))) is None
    # A post without the box (an unticked one would send the same) or a call with a value
    # leaves the guardian's decision alone.
    saved = Client().post(_edit_url(registration), {"emergency_contact": "Opa, 0341 111111"})
    assert saved.status_code == 302
    services.update_answers(
        registration=registration,
        answers={},
        phone="",
        share_contact_consent=False,
        photo_consent=False,
        now=timezone.now(),
    )
    registration.refresh_from_db()
    assert registration.photo_consent is True
    (record,) = _photo_records(registration)
    assert record.granted is True and record.given_by == "Petra Krüger"
