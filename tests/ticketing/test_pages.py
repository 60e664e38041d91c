"""Visitor and organiser pages through Django's test client."""

import csv
import io
import uuid
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from events_platform import when
from events_platform.models import Event
from events_platform.ticket_codes import printed_number
from tests.factories import (
    EventFactory,
    MembershipFactory,
    SessionFactory,
    TimeSlotFactory,
    start_of_today,
)
from ticketing import services
from ticketing.models import ExcursionStop, Question, Registration, RegistrationSettings

from .factories import CampFactory, FairFactory, QuestionFactory, camper, person

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {"name": "Anna Beispiel", "email": "anna@example.org", "privacy_consent": "on"}
    data.update(extra)
    return data


def test_register_page_registers_and_shows_the_ticket(client):
    # At 10:00 in ten days: the page shows one day and its hours.
    event = EventFactory(capacity=10, starts_at=start_of_today() + timedelta(days=10, hours=10))
    page = client.get(f"/tickets/anmelden/{event.slug}/")
    assert page.status_code == 200
    assert '<a href="/datenschutz/">Datenschutzerklärung</a>' in page.content.decode()
    response = client.post(f"/tickets/anmelden/{event.slug}/", _form(phone="0341 1"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/ticket/{registration.manage_token}/?notice=registered"
    ticket_page = client.get(response["Location"])
    html = ticket_page.content.decode()
    assert "Sie sind angemeldet." in html
    start = timezone.localtime(event.starts_at)
    assert f"{start.year}, {start.hour}–{start.hour + 2}\u00a0Uhr" in html  # the hours, in Berlin
    assert 'src="data:image/png;base64,' in html
    assert f'href="/kalender/veranstaltung/{event.slug}.ics"' in html
    assert printed_number(registration.tickets.get().serial) in html
    assert ticket_page["Referrer-Policy"] == "no-referrer"  # infra/secret_links.py


def test_form_comes_back_filled_with_a_clear_error(client):
    event = EventFactory()
    QuestionFactory(event=event, required=True, label_de="Woher kommen Sie?")
    response = client.post(
        f"/tickets/anmelden/{event.slug}/",
        {"name": "Anna Beispiel", "email": "anna@example.org", "phone": "0151 2"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Anna Beispiel"' in html and 'value="0151 2"' in html
    assert not Registration.objects.exists()


def test_domain_error_shows_next_to_the_field_and_keeps_the_input(client):
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=10)
    response = client.post(
        f"/tickets/anmelden/{fair.slug}/?as=class",
        _form(school="Oberschule Torgau", grade="9a", pupils="25", adults="2", time_slot=slot.pk),
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="id_time_slot_error"' in html
    assert 'value="Oberschule Torgau"' in html


def test_registration_is_rate_limited_per_email(client, settings):
    settings.TICKETING_RATE_LIMITS = {"ip": (100, 600), "email": (2, 3600)}
    email = f"{uuid.uuid4().hex}@example.org"
    codes = []
    for n in range(3):
        event = EventFactory()
        codes.append(
            client.post(
                f"/tickets/anmelden/{event.slug}/",
                _form(name=f"Anna {n}", email=email),
                REMOTE_ADDR=f"10.1.{n}.1",
            ).status_code
        )
    assert codes == [302, 302, 429]


def test_registration_is_rate_limited_per_ip(client, settings):
    settings.TICKETING_RATE_LIMITS = {"ip": (2, 600), "email": (100, 3600)}
    address = f"10.2.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    event = EventFactory()
    codes = [
        client.post(
            f"/tickets/anmelden/{event.slug}/",
            _form(email=f"{uuid.uuid4().hex}@example.org"),
            REMOTE_ADDR=address,
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_self_service_change_answers_and_cancel_frees_the_place(client):
    event = EventFactory(capacity=1)
    question = QuestionFactory(event=event, kind=Question.Kind.YES_NO)
    now = timezone.now()
    first = services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now)
    base = f"/tickets/ticket/{first.manage_token}/"
    assert client.get(base + "aendern/").status_code == 200
    response = client.post(base + "aendern/", {f"q_{question.pk}": "yes", "phone": "0341 9"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.answers == {str(question.pk): True} and first.phone == "0341 9"

    assert client.get(base + "stornieren/").status_code == 200
    client.post(base + "stornieren/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled"
    assert second.status == "offered"

    offer_page = client.get(f"/tickets/ticket/{second.manage_token}/").content.decode()
    assert f"/tickets/ticket/{second.manage_token}/annehmen/" in offer_page
    client.post(f"/tickets/ticket/{second.manage_token}/annehmen/")
    second.refresh_from_db()
    assert second.status == "confirmed"


def test_pdf_ticket_download(client):
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    response = client.get(f"/tickets/ticket/{registration.manage_token}/ticket.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert client.get("/tickets/ticket/guessed/").status_code == 404


def test_event_page_shows_register_button_places_and_waiting_list(client):
    event = EventFactory(capacity=1, walk_ins_allowed=True)
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/tickets/anmelden/{event.slug}/"' in html
    assert "1 Platz frei" in html or "1 place left" in html
    services.register(event=event, data=person(1), now=timezone.now())
    services.register(event=event, data=person(2), now=timezone.now())
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Warteliste" in html or "waiting list" in html
    closed = EventFactory(
        registration_closes_at=timezone.now() - timedelta(days=1),
        registration_opens_at=timezone.now() - timedelta(days=5),
    )
    assert "/tickets/anmelden/" not in client.get(closed.get_absolute_url()).content.decode()
    fair = FairFactory()
    assert "?as=class" in client.get(fair.get_absolute_url()).content.decode()
    excursion = EventFactory(kind=Event.Kind.EXCURSION, capacity=12)
    RegistrationSettings.objects.create(event=excursion, meeting_point="Leipzig Hbf, Westhalle")
    ExcursionStop.objects.create(event=excursion, position=1, school="Oberschule Mügeln")
    html = client.get(excursion.get_absolute_url()).content.decode()
    assert "Leipzig Hbf, Westhalle" in html and "Oberschule Mügeln" in html


def test_an_excursion_shows_meeting_point_departure_stops_and_deadline_before_registering(
    client,
):
    day = timezone.localtime(timezone.now() + timedelta(days=30)).replace(
        hour=7, minute=45, second=0, microsecond=0
    )
    excursion = EventFactory(
        kind=Event.Kind.EXCURSION,
        capacity=12,
        starts_at=day,
        ends_at=day.replace(hour=17, minute=0),
        registration_closes_at=(day - timedelta(days=14)).replace(hour=18, minute=0),
    )
    RegistrationSettings.objects.create(
        event=excursion, meeting_point="Leipzig Hbf, Westhalle", departure_at=day
    )
    ExcursionStop.objects.create(
        event=excursion,
        position=1,
        school="Grundschule Dahlen",
        town="Dahlen",
        arrives_at=day.replace(hour=9, minute=45),
    )
    ExcursionStop.objects.create(
        event=excursion,
        position=2,
        school="Oberschule Mügeln",
        town="Mügeln",
        arrives_at=day.replace(hour=12, minute=45),
    )
    deadline = when.moment(excursion.registration_closes_at)  # Mo., 4. Januar 2027, 18 Uhr
    public = client.get(excursion.get_absolute_url()).content.decode()
    register = client.get(reverse("ticketing:register", args=[excursion.slug])).content.decode()
    for html in (public, register):
        assert "Leipzig Hbf, Westhalle" in html
        assert "Abfahrt" in html and "7:45\u00a0Uhr" in html
        # The stops in order, each with its town (unless the school's name says it) and time.
        assert html.index("Grundschule Dahlen") < html.index("Oberschule Mügeln")
        assert "Ankunft 9:45\u00a0Uhr" in html and "Ankunft 12:45\u00a0Uhr" in html
        assert "Oberschule Mügeln, Mügeln" not in html
        assert deadline in html
    assert "Anmeldeschluss" in register
    registration = services.register(
        event=excursion, data=person(1), now=excursion.registration_closes_at - timedelta(days=1)
    )
    ticket = client.get(reverse("ticketing:ticket", args=[registration.manage_token])).text
    assert "Zeigen Sie diesen Code am Treffpunkt." in ticket and "am Einlass" not in ticket


def _organiser(client, event):
    membership = MembershipFactory(organisation=event.organisation)
    client.force_login(membership.user)
    return membership.user


def test_organiser_of_another_organisation_gets_404(client):
    event = EventFactory()
    registration = services.register(event=event, data=person(1), now=timezone.now())
    _organiser(client, EventFactory())
    assert client.get(f"/tickets/organiser/{event.pk}/").status_code == 404
    assert client.get(f"/tickets/organiser/{event.pk}/export.csv").status_code == 404
    assert client.get(f"/tickets/organiser/anmeldung/{registration.pk}/").status_code == 404
    assert (
        client.post(f"/tickets/organiser/anmeldung/{registration.pk}/stornieren/").status_code
        == 404
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_anonymous_is_sent_to_login(client):
    event = EventFactory()
    response = client.get(f"/tickets/organiser/{event.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_organiser_lists_filters_and_sees_counts_per_site(client):
    conference = EventFactory(kind=Event.Kind.CONFERENCE, capacity=50)
    workshop = SessionFactory(event=conference, capacity=5, title_de="Fachkräfte binden")
    other = SessionFactory(
        event=conference, capacity=5, starts_at=workshop.starts_at + timedelta(hours=2)
    )
    now = timezone.now()
    services.register(event=conference, data=person(1, session_ids=[workshop.pk]), now=now)
    services.register(event=conference, data=person(2, session_ids=[other.pk]), now=now)
    _organiser(client, conference)
    html = client.get(f"/tickets/organiser/{conference.pk}/?session={workshop.pk}").content.decode()
    assert "visitor1@example.org" in html and "visitor2@example.org" not in html
    html = client.get(f"/tickets/organiser/{conference.pk}/?query=visitor2").content.decode()
    assert "visitor2@example.org" in html and "visitor1@example.org" not in html
    overview = client.get("/tickets/organiser/").content.decode()
    assert conference.title in overview
    assert 'href="/tickets/organiser/"' in client.get("/").content.decode()  # main navigation


def test_overview_columns_say_in_plain_words_what_they_count(client):
    event = EventFactory(capacity=1)
    now = timezone.now()
    for n in range(3):  # one place: the first is confirmed, two people wait
        services.register(event=event, data=person(n), now=now)
    _organiser(client, event)

    html = client.get("/tickets/organiser/").content.decode()

    assert ">Reserviert (Antwort offen)</th>" in html and ">Auf der Warteliste</th>" in html
    assert "Freigehalten" not in html and "Wartend" not in html
    assert "<td>1</td><td>0</td><td>2</td><td>1</td></tr>" in html


def test_the_teacher_form_offers_to_register_only_oneself_in_plain_words(client):
    html = client.get(f"/tickets/anmelden/{FairFactory().slug}/?as=class").content.decode()
    assert "Ich melde nur mich selbst an" in html and "Stattdessen sich selbst" not in html


def test_organiser_adds_by_hand_and_cancels(client):
    event = EventFactory(capacity=1)
    _organiser(client, event)
    response = client.post(f"/tickets/organiser/{event.pk}/neu/", _form())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.by_organiser and registration.status == "confirmed"
    client.post(f"/tickets/organiser/anmeldung/{registration.pk}/stornieren/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_medical_notes_only_on_the_organisers_detail_page_never_in_exports(client):
    camp = CampFactory()
    registration = services.register(event=camp, data=camper(1, event=camp), now=timezone.now())
    _organiser(client, camp)
    detail = client.get(f"/tickets/organiser/anmeldung/{registration.pk}/").content.decode()
    assert "Erdnussallergie" in detail

    csv_response = client.get(f"/tickets/organiser/{camp.pk}/export.csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "Erdnussallergie" not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][2] == "Besucherin 1" and len(rows) == 2

    xlsx = client.get(f"/tickets/organiser/{camp.pk}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Besucherin 1" in values
    assert not any("Erdnuss" in str(value) for value in values)


def test_a_camps_export_has_what_camp_staff_need_and_nothing_of_a_fair(client):
    camp = CampFactory()
    services.register(
        event=camp,
        data=camper(1, event=camp, age=12, guardian_phone="03421 77880"),
        now=timezone.now(),
    )
    _organiser(client, camp)

    text = client.get(f"/tickets/organiser/{camp.pk}/export.csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    value = dict(zip(header, row, strict=True))

    assert value["Telefon der erziehungsberechtigten Person"] == "03421 77880"
    assert value["Alter zu Beginn"] == "12"
    assert value["Geburtsdatum"].count(".") == 2
    assert value["Notfallkontakt"] == "Oma, 0341 654321"
    assert value["Erziehungsberechtigte Person"] == "Elternteil 1"
    for fair_only in ("Schule", "Klasse", "Zeitfenster", "Workshops", "Personen"):
        assert fair_only not in header
    assert "Erdnuss" not in text


def test_a_fairs_export_has_its_classes_and_slots_and_no_camp_columns(client):
    fair = EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR)
    slot = TimeSlotFactory(event=fair, label="Ankunft 9 Uhr")
    RegistrationSettings.objects.update_or_create(
        event=fair, defaults={"allow_school_classes": True}
    )
    services.register(event=fair, data=person(1, time_slot_id=slot.pk), now=timezone.now())
    _organiser(client, fair)

    text = client.get(f"/tickets/organiser/{fair.pk}/export.csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))

    assert {"Schule", "Klasse", "Zeitfenster", "Personen", "Telefon"} <= set(header)
    assert "Alter zu Beginn" not in header and "Notfallkontakt" not in header


def test_csv_export_defuses_formulas(client):
    event = EventFactory()
    services.register(event=event, data=person(1, name="=HYPERLINK(1)"), now=timezone.now())
    _organiser(client, event)
    text = client.get(f"/tickets/organiser/{event.pk}/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_the_detail_page_says_which_consent_counts(client):
    from ticketing.models import ConsentRecord

    event = EventFactory()
    registration = services.register(event=event, data=person(1), now=timezone.now())
    ConsentRecord.objects.filter(registration=registration).delete()
    for hours, granted in ((2, True), (1, False)):
        ConsentRecord.objects.create(
            registration=registration,
            topic=ConsentRecord.Topic.PHOTOS,
            granted=granted,
            text_version="2026-01",
            text="Fotos",
            given_by="Besucherin 1",
            given_at=timezone.now() - timedelta(hours=hours),
        )
    _organiser(client, event)

    page = client.get(f"/tickets/organiser/anmeldung/{registration.pk}/").content.decode()
    english = client.get(f"/en/tickets/organiser/anmeldung/{registration.pk}/").content.decode()

    given, withdrawn = [item for item in page.split("<li>") if item.startswith("Fotos")]
    assert "ja" in given and "durch einen späteren Eintrag ersetzt" in given
    assert "nein" in withdrawn and "<strong>gilt</strong>" in withdrawn
    assert "replaced by a later entry" in english and "<strong>applies</strong>" in english
