"""Stand contacts over HTTP: the phone's upload (tampered and replayed), the company's own
contacts and downloads, the organiser's counts, consent at the stand and withdrawal on the
ticket page."""

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from fairs.models import CompanyMember
from leads import services
from leads.models import Contact
from leads.vcard import parse_names
from notifications.models import Message, Purpose
from tests.factories import MembershipFactory
from tests.fairs.factories import CompanyMemberFactory

from .factories import make_ticket, paired_stand

pytestmark = pytest.mark.django_db


def upload(token, items):
    return Client().post(
        reverse("leads:device-upload"),
        data=json.dumps({"items": items}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )


def company_client(company):
    member = CompanyMemberFactory(company=company, role=CompanyMember.Role.ADMIN)
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def fair():
    booking, device, token = paired_stand()
    event = booking.fair.event
    yes = make_ticket(event, 1, share_contact_consent=True, name="Anna Berg")
    no = make_ticket(event, 2, share_contact_consent=False, name="Ben Kurz")
    return booking, device, token, yes, no


def test_upload_records_both_and_a_replayed_queue_counts_once(fair):
    booking, _device, token, yes, no = fair
    items = [
        {"type": "scan", "nonce": "a1", "secret": yes.secret, "offline": True},
        {"type": "scan", "nonce": "a2", "secret": no.secret, "offline": True},
        {"type": "note", "nonce": "a3", "secret": yes.secret, "note": "Elektronik", "rating": 5},
    ]

    first = upload(token, items)
    second = upload(token, items)

    assert first.status_code == 200 and second.status_code == 200
    codes = [(r["code"], r["shared"]) for r in first.json()["results"]]
    assert codes == [("ok", True), ("ok", False), ("ok", False)]
    assert all(r["replayed"] for r in second.json()["results"])
    assert Contact.objects.filter(booking=booking).count() == 2
    assert Contact.objects.get(booking=booking, shared=True).rating == 5


def test_a_tampered_upload_is_refused_and_writes_nothing(fair):
    booking, _device, token, yes, _no = fair
    tampered = yes.secret[:-4] + ("AAAA" if not yes.secret.endswith("AAAA") else "BBBB")

    answer = upload(token, [{"type": "scan", "nonce": "t1", "secret": tampered}])
    no_token = upload("made-up", [{"type": "scan", "nonce": "t2", "secret": yes.secret}])
    garbage = Client().post(
        reverse("leads:device-upload"),
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )

    assert answer.json()["results"][0]["code"] == "invalid"
    assert no_token.status_code == 403 and garbage.status_code == 400
    assert not Contact.objects.filter(booking=booking).exists()


def test_company_sees_and_downloads_its_own_contacts_only(fair):
    booking, device, token, yes, no = fair
    upload(token, [{"nonce": "c1", "secret": yes.secret}, {"nonce": "c2", "secret": no.secret}])
    other, _d, other_token = paired_stand(booking.fair.event, "Bau AG", fair=booking.fair)
    upload(
        other_token,
        [
            {
                "nonce": "o1",
                "secret": make_ticket(
                    booking.fair.event, 3, share_contact_consent=True, name="Carla Fremd"
                ).secret,
            }
        ],
    )
    client = company_client(booking.company)

    page = client.get(reverse("leads:company-contacts"))
    csv_file = client.get(reverse("leads:company-contacts-export", args=["csv"]))
    xlsx = client.get(reverse("leads:company-contacts-export", args=["xlsx"]))
    vcf = client.get(reverse("leads:company-contacts-export", args=["vcf"]))
    found = client.get(reverse("leads:company-contacts"), {"q": "nobody-like-this"})

    assert page.status_code == 200
    assert "Anna Berg" in page.content.decode() and "Carla Fremd" not in page.content.decode()
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[2] for row in rows[1:]]
    assert sorted(names) == ["Anna Berg", "ohne Kontaktfreigabe"]
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert parse_names(vcf.content) == [("Anna Berg", "visitor1@example.org")]
    assert "Anna Berg" not in found.content.decode()
    assert (
        company_client(other.company)
        .get(reverse("leads:stand-sign", args=[booking.pk]))
        .status_code
        == 404
    )
    sign = client.get(reverse("leads:stand-sign", args=[booking.pk]))
    assert sign.status_code == 200 and sign.content.startswith(b"%PDF")


def test_organiser_sees_counts_not_people(fair):
    booking, _device, token, yes, no = fair
    upload(token, [{"nonce": "c1", "secret": yes.secret}, {"nonce": "c2", "secret": no.secret}])
    organiser = MembershipFactory(organisation=booking.fair.event.organisation).user
    stranger = MembershipFactory().user
    client = Client()
    client.force_login(organiser)

    page = client.get(reverse("leads:organiser-counts", args=[booking.fair.pk]))

    text = page.content.decode()
    assert page.status_code == 200 and booking.company.name in text
    assert "Anna Berg" not in text and "visitor1@" not in text
    client.force_login(stranger)
    assert client.get(reverse("leads:organiser-counts", args=[booking.fair.pk])).status_code == 404


def test_stand_qr_after_the_ticket_page_shares_and_the_ticket_page_withdraws(fair):
    booking, _device, _token, _yes, no = fair
    visitor = Client()
    registration = no.registration
    ticket_url = reverse("ticketing:ticket", kwargs={"token": registration.manage_token})
    share_url = reverse("leads:share", kwargs={"code": services.stand_code(booking)})

    before = visitor.get(share_url)
    assert "Ticket auf diesem Handy" in before.content.decode()
    assert "Ihr Kontakt an den Ständen" in visitor.get(ticket_url).content.decode()
    assert visitor.post(share_url).status_code == 302
    page = visitor.get(ticket_url + "?notice=shared")

    contact = Contact.objects.get(booking=booking, registration=registration)
    assert contact.shared and contact.name == "Ben Kurz"
    assert booking.company.name in page.content.decode()
    withdraw = reverse("leads:withdraw", args=[registration.manage_token, contact.pk])
    assert visitor.post(withdraw).status_code == 302
    contact.refresh_from_db()
    assert contact.erased_at and contact.name == ""
    assert Message.objects.filter(purpose=Purpose.CONTACT_WITHDRAWN).count() == 1
    assert Client().post(withdraw).status_code == 404


def test_pairing_page_pairs_with_a_staff_pass_and_explains_a_wrong_code():
    from .factories import stand

    _booking, staff_pass = stand()
    client = Client()
    bad = client.post(reverse("leads:pair"), {"code": "FALSCH"})
    good = client.post(reverse("leads:pair"), {"code": staff_pass.secret})

    assert bad.status_code == 400 and "kein gültiger" in bad.content.decode()
    assert good.status_code == 302 and "#device=" in good["Location"]


def test_the_booking_page_offers_the_stand_sign_and_a_pairing_link_per_staff_pass():
    from .factories import stand

    booking, staff_pass = stand(company_name="Tischlerei Weber")
    client = company_client(booking.company)

    page = client.get(reverse("fairs:booking-detail", args=[booking.pk])).content.decode()

    assert reverse("leads:stand-sign", args=[booking.pk]) in page
    found = re.search(r'href="(/stand/koppeln/[^"/]+/)"[^>]*>[^<]*Tom Bauer', page)
    assert found, "no pairing link for the staff pass"
    link = found.group(1)
    phone = Client(enforce_csrf_checks=True)
    assert "Tischlerei Weber" in phone.get(link).content.decode()
    paired = phone.post(link)
    assert paired.status_code == 302 and "#device=" in paired["Location"]
    token = paired["Location"].split("#device=")[1]
    assert services.device_for_token(token).staff_pass == staff_pass
    assert phone.get(reverse("leads:pair-link", args=["forged"])).status_code == 404
