"""Stand contacts (writes): pairing a phone from a staff pass, a scanned visitor's ticket,
an upload of offline scans and notes, the visitor's consent at the stand, the visitor's
withdrawal and the retention.

A scanned ticket is checked by the door's code (checkin: the signature, then the door's
refusal rules), and answered with the door's stable codes: `ok`, `invalid`, `unknown`,
`wrong_event`, `cancelled`, `not_valid_yet`, `no_longer_valid`. A contact holds the
visitor's name, e-mail and interests only when the visitor consented to share them
(`Registration.share_contact_consent`, or the consent given at this stand).

Erasure keeps the row (the count per company and site) and empties its personal parts.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from checkin import queries as checkin_queries
from checkin.models import hash_token, new_device_token
from checkin.services import Code, ensure_checkin_lists
from checkin.services import rules as door_rules
from checkin.services.keys import verify_secret
from events_platform import services as core_services
from events_platform import ticket_codes
from fairs.models import StaffPass, StandBooking
from infra.dates import months_after
from infra.errors import DomainError, InvalidInput
from ticketing import queries as ticketing_queries
from ticketing.models import ConsentRecord, Registration, Ticket

from . import consent_texts, messages
from .errors import ErrorCode
from .models import Contact, StandDevice, Upload

STAND_SALT = "leads.stand"
MAX_TAGS = 10
MAX_TAG_LENGTH = 40
MAX_NOTE_LENGTH = 2000


# --- Pairing -------------------------------------------------------------------------------


@transaction.atomic
def pair_stand_device(*, staff_pass_code: str, now: datetime) -> tuple[StandDevice, str]:
    """Pair a phone from a staff pass's signed code: it then scans for the pass's company
    and booking. Returns the device and its secret token (shown once, kept on the phone).

    Raises InvalidInput (stand_pairing_invalid) for a forged, revoked or unknown pass, or
    one whose booking is not confirmed.
    """
    refused = InvalidInput(
        _("This is not a valid staff pass. Please scan the QR code on your staff pass."),
        ErrorCode.STAND_PAIRING_INVALID,
    )
    code = ticket_codes.canonical(staff_pass_code or "")
    try:
        claim = core_services.verify_ticket_secret(code)
    except (ticket_codes.InvalidSecret, ValueError) as error:
        raise refused from error
    if claim.kind != ticket_codes.Kind.STAFF_PASS:
        raise refused
    staff_pass = (
        StaffPass.objects.select_related("booking__fair__event", "booking__company")
        .filter(serial=claim.serial, booking__fair__event_id=claim.event_id)
        .first()
    )
    if (
        staff_pass is None
        or staff_pass.revoked_at is not None
        or staff_pass.booking.status != StandBooking.Status.APPROVED
    ):
        raise refused
    secret = new_device_token()
    device = StandDevice.objects.create(
        booking=staff_pass.booking,
        staff_pass=staff_pass,
        token_hash=hash_token(secret),
        paired_at=now,
        last_seen_at=now,
    )
    return device, secret


STAFF_LINK_SALT = "leads.pass-pairing"
STAFF_LINK_SECONDS = 24 * 60 * 60


def pass_pairing_token(staff_pass: StaffPass) -> str:
    """A signed link token (a day) that pairs a phone for this staff pass, shown to the
    company on its booking page: no one types the pass's long code."""
    return signing.dumps({"p": staff_pass.pk}, salt=STAFF_LINK_SALT, compress=True)


def staff_pass_for_token(token: str) -> StaffPass:
    """The staff pass of a pairing link; raises InvalidInput (stand_pairing_invalid)."""
    try:
        data = signing.loads(token, salt=STAFF_LINK_SALT, max_age=STAFF_LINK_SECONDS)
        return StaffPass.objects.select_related("booking__company").get(pk=data["p"])
    except (signing.BadSignature, KeyError, TypeError, StaffPass.DoesNotExist) as error:
        raise InvalidInput(
            _("This pairing link is invalid or has expired. Please open a new one."),
            ErrorCode.STAND_PAIRING_INVALID,
        ) from error


def device_for_token(token: str) -> StandDevice | None:
    """The paired, unrevoked device of a token, with its booking, or None."""
    if not token:
        return None
    device = (
        StandDevice.objects.select_related(
            "booking__company", "booking__fair__event", "booking__stand", "staff_pass"
        )
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if device is None or device.staff_pass.revoked_at is not None:
        return None
    if device.booking.status != StandBooking.Status.APPROVED:
        return None
    return device


@transaction.atomic
def revoke_stand_device(*, device: StandDevice, now: datetime) -> None:
    StandDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=now)


# --- A scan --------------------------------------------------------------------------------


@dataclass
class ScanAnswer:
    """What the stand scanner shows after a scan."""

    code: str
    message: str
    shared: bool = False
    name: str = ""
    contact: int | None = None
    repeated: bool = False
    replayed: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code == Code.OK

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "ok": self.ok,
            "message": self.message,
            "shared": self.shared,
            "name": self.name,
            "contact": self.contact,
            "repeated": self.repeated,
            "replayed": self.replayed,
        }


def _refused(code: str) -> ScanAnswer:
    return ScanAnswer(code=code, message=door_rules.refusal(code).message)


def interests_of(registration: Registration) -> str:
    """The visitor's answers to the event's questions, as one line ("question: answer")."""
    parts = []
    answers = registration.answers or {}
    for question in ticketing_queries.event_questions(registration.event):
        value = answers.get(str(question.pk))
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif value is True:
            value = _("Yes")
        elif value is False:
            value = _("No")
        parts.append(f"{question.label}: {value}")
    return "; ".join(parts)


def _consented(registration: Registration, booking: StandBooking) -> bool:
    """Whether the visitor shares their contact with this company: the general consent
    given at registration, or the consent given at this stand."""
    if registration.share_contact_consent:
        return True
    return Contact.objects.filter(
        booking=booking, registration=registration, shared=True, withdrawn_at__isnull=True
    ).exists()


def _fill(contact: Contact, registration: Registration) -> None:
    contact.shared = True
    contact.name = registration.name
    contact.email = registration.email
    contact.interests = interests_of(registration)


def _answer_for(contact: Contact, *, repeated: bool, replayed: bool = False) -> ScanAnswer:
    if contact.shared:
        message = _("Contact saved: %(name)s") % {"name": contact.name}
    else:
        message = _(
            "1 visitor without contact sharing: counted, without name. The visitor can share "
            "their contact on their ticket page by scanning your stand's QR code."
        )
    if repeated:
        message = _("Already scanned at this stand. %(message)s") % {"message": message}
    return ScanAnswer(
        code=Code.OK,
        message=message,
        shared=contact.shared,
        name=contact.name if contact.shared else "",
        contact=contact.pk,
        repeated=repeated,
        replayed=replayed,
    )


def scan_ticket(
    *,
    device: StandDevice,
    secret: str,
    nonce: str,
    now: datetime,
    scanned_at: datetime | None = None,
    offline: bool = False,
) -> ScanAnswer:
    """Record the contact of a scanned visitor's ticket for the device's company.

    Every outcome is an answer with a door code. A ticket scanned twice at one stand is one
    contact; an upload with a nonce seen before answers as the first time and writes nothing.
    """
    replay = Upload.objects.filter(device=device, nonce=nonce).select_related("contact").first()
    if replay is not None:
        if replay.contact is not None:
            return _answer_for(replay.contact, repeated=False, replayed=True)
        answer = _refused(replay.code)
        answer.replayed = True
        return answer
    event = device.booking.fair.event
    try:
        claim = verify_secret(ticket_codes.canonical(secret or ""), event)
    except (ticket_codes.InvalidSecret, ValueError):
        return _remember(device, nonce, now, _refused(Code.INVALID))
    if claim.kind != ticket_codes.Kind.TICKET:
        return _remember(device, nonce, now, _refused(Code.INVALID))
    if claim.event_id != event.pk:
        return _remember(device, nonce, now, _refused(Code.WRONG_EVENT))
    when = min(scanned_at, now) if (offline and scanned_at) else now
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("registration__time_slot", "registration__event")
            .filter(serial=claim.serial, event=event)
            .first()
        )
        if ticket is None:
            return _remember(device, nonce, now, _refused(Code.UNKNOWN))
        checkin_list = (
            checkin_queries.list_for_moment(event, when) or (ensure_checkin_lists(event=event)[0])
        )
        refused = door_rules.refusal_code(
            door_rules.Holder(ticket=ticket, staff_pass=None), checkin_list, event, when
        )
        if refused:
            return _remember(device, nonce, now, _refused(refused))
        registration = ticket.registration
        contact = Contact.objects.filter(booking=device.booking, ticket=ticket).first()
        repeated = contact is not None
        if contact is None:
            contact = Contact(
                event=event,
                company=device.booking.company,
                booking=device.booking,
                registration=registration,
                ticket=ticket,
                scanned_by=device.staff_pass,
                created_at=when,
                updated_at=now,
            )
        if _consented(registration, device.booking) and contact.withdrawn_at is None:
            _fill(contact, registration)
        contact.updated_at = now
        contact.save()
        return _remember(device, nonce, now, _answer_for(contact, repeated=repeated), contact)


def _remember(
    device: StandDevice,
    nonce: str,
    now: datetime,
    answer: ScanAnswer,
    contact: Contact | None = None,
    kind: str = Upload.Kind.SCAN,
) -> ScanAnswer:
    """Log the upload under its nonce (a second one with it writes nothing)."""
    try:
        with transaction.atomic():
            Upload.objects.create(
                device=device,
                nonce=nonce[:64],
                kind=kind,
                contact=contact,
                code=answer.code,
                received_at=now,
            )
    except IntegrityError:
        answer.replayed = True
    return answer


def clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned = []
    for tag in tags or []:
        text = str(tag).strip()[:MAX_TAG_LENGTH]
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned[:MAX_TAGS]


def clean_rating(rating) -> int | None:
    if rating in (None, ""):
        return None
    try:
        value = int(rating)
    except (TypeError, ValueError) as error:
        raise InvalidInput(
            _("Please give a rating from 1 to 5."), ErrorCode.RATING_INVALID
        ) from error
    if not 1 <= value <= 5:
        raise InvalidInput(_("Please give a rating from 1 to 5."), ErrorCode.RATING_INVALID)
    return value


@transaction.atomic
def annotate_contact(
    *,
    contact: Contact,
    now: datetime,
    note: str | None = None,
    rating=None,
    tags=None,
    set_rating: bool = False,
) -> Contact:
    """Set a contact's note, rating (1–5) and tags; an erased contact keeps none."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.erased_at is not None:
        raise DomainError(_("This contact has been erased."), ErrorCode.CONTACT_UNKNOWN)
    fields = ["updated_at"]
    if note is not None:
        contact.note = str(note).strip()[:MAX_NOTE_LENGTH]
        fields.append("note")
    if set_rating or rating is not None:
        contact.rating = clean_rating(rating)
        fields.append("rating")
    if tags is not None:
        contact.tags = clean_tags(tags)
        fields.append("tags")
    contact.updated_at = now
    contact.save(update_fields=fields)
    return contact


def annotate_from_device(
    *, device: StandDevice, nonce: str, now: datetime, data: dict
) -> ScanAnswer:
    """A note, rating and tags sent by the stand phone (perhaps from its offline queue): for
    a contact of the device's own booking, found by contact id or by the ticket code."""
    if Upload.objects.filter(device=device, nonce=nonce).exists():
        return ScanAnswer(code=Code.OK, message=_("Note saved."), replayed=True)
    contact = None
    if data.get("contact"):
        contact = Contact.objects.filter(pk=data.get("contact"), booking=device.booking).first()
    elif data.get("secret"):
        try:
            claim = ticket_codes.read_claim(ticket_codes.canonical(data["secret"]))
        except (ticket_codes.InvalidSecret, ValueError):
            claim = None
        if claim is not None:
            contact = Contact.objects.filter(
                booking=device.booking, ticket__serial=claim.serial
            ).first()
    if contact is None or contact.erased_at is not None:
        return ScanAnswer(code=Code.UNKNOWN, message=_("This contact is unknown."))
    annotate_contact(
        contact=contact,
        now=now,
        note=data.get("note"),
        rating=data.get("rating"),
        tags=data.get("tags"),
        set_rating="rating" in data,
    )
    return _remember(
        device,
        nonce,
        now,
        ScanAnswer(code=Code.OK, message=_("Note saved."), contact=contact.pk),
        contact,
        kind=Upload.Kind.NOTE,
    )


# --- Consent at the stand ------------------------------------------------------------------


def stand_code(booking: StandBooking) -> str:
    """The signed code of a stand's QR: a visitor opens it to share their contact."""
    return signing.dumps({"b": booking.pk}, salt=STAND_SALT, compress=True)


def booking_for_code(code: str) -> StandBooking:
    """The confirmed booking of a stand code; raises DomainError (stand_code_invalid)."""
    try:
        data = signing.loads(code, salt=STAND_SALT)
        booking = StandBooking.objects.select_related("company", "fair__event", "stand__hall").get(
            pk=data["b"], status=StandBooking.Status.APPROVED
        )
    except (signing.BadSignature, KeyError, TypeError, StandBooking.DoesNotExist) as error:
        raise DomainError(
            _("This stand code is not valid. Please scan the QR code at the stand again."),
            ErrorCode.STAND_CODE_INVALID,
        ) from error
    return booking


@transaction.atomic
def share_at_stand(
    *, registration: Registration, booking: StandBooking, language: str, now: datetime
) -> Contact:
    """The visitor shares their contact with the company of this stand: recorded like every
    consent (wording, time, language), and the company's contact holds their details."""
    if registration.event_id != booking.fair.event_id or (
        registration.status != Registration.Status.CONFIRMED
    ):
        raise DomainError(
            _("Your registration is not for the event of this stand."),
            ErrorCode.NO_TICKET_FOR_STAND,
        )
    ticket = ticketing_queries.valid_ticket(registration)
    text, version = consent_texts.share_with_company(booking.company, language)
    ConsentRecord.objects.create(
        registration=registration,
        topic=ConsentRecord.Topic.SHARE_CONTACT,
        granted=True,
        text_version=version,
        text=text,
        given_by=registration.name,
        given_at=now,
    )
    contact = (
        Contact.objects.select_for_update()
        .filter(booking=booking)
        .filter(Q(ticket=ticket) if ticket else Q(registration=registration))
        .first()
    )
    if contact is None:
        contact = Contact(
            event=booking.fair.event,
            company=booking.company,
            booking=booking,
            registration=registration,
            ticket=ticket,
            created_at=now,
        )
    contact.registration = registration
    contact.withdrawn_at = None
    contact.erased_at = None
    _fill(contact, registration)
    contact.updated_at = now
    contact.save()
    return contact


# --- Withdrawal and retention --------------------------------------------------------------

PERSONAL_FIELDS = {
    "name": "",
    "email": "",
    "interests": "",
    "note": "",
    "tags": [],
    "rating": None,
    "registration": None,
    "ticket": None,
    "scanned_by": None,
}


def _erase(queryset, *, now: datetime, keep: tuple = (), **extra) -> int:
    fields = {name: value for name, value in PERSONAL_FIELDS.items() if name not in keep}
    return queryset.filter(erased_at__isnull=True).update(
        **fields, shared=False, erased_at=now, updated_at=now, **extra
    )


def holders_of(registration_ids) -> list[Contact]:
    """The contacts a visitor shared (not withdrawn nor erased), for "Ihre Daten"."""
    return list(
        Contact.objects.filter(
            registration_id__in=list(registration_ids), shared=True, erased_at__isnull=True
        ).select_related("company", "event", "booking__stand")
    )


@transaction.atomic
def withdraw_contact(*, contact: Contact, now: datetime) -> Contact:
    """The visitor withdraws their contact from a company: the company's copy is erased
    (the count stays), a withdrawal is recorded as consent, and the company is told."""
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("company", "event", "registration")
        .get(pk=contact.pk)
    )
    if contact.erased_at is not None:
        return contact
    registration = contact.registration
    if registration is not None:
        text, version = consent_texts.withdraw_from_company(
            contact.company, registration.language or "de"
        )
        ConsentRecord.objects.create(
            registration=registration,
            topic=ConsentRecord.Topic.SHARE_CONTACT,
            granted=False,
            text_version=version,
            text=text,
            given_by=registration.name,
            given_at=now,
        )
    messages.contact_withdrawn(contact=contact, now=now)
    # The ticket link stays (until the retention): a later scan of the same ticket at this
    # stand then finds the withdrawal and counts without a name, whatever the visitor's
    # general consent at registration said.
    _erase(Contact.objects.filter(pk=contact.pk), now=now, keep=("ticket",), withdrawn_at=now)
    contact.refresh_from_db()
    return contact


def erase_contacts(contact_ids, *, now: datetime, registration_ids=()) -> int:
    """Erase these contacts (a visitor's erasure request); the rows stay as counts. The
    ticket links that withdrawals kept for these registrations go as well."""
    erased = _erase(Contact.objects.filter(pk__in=list(contact_ids)), now=now)
    Contact.objects.filter(
        registration__isnull=True, ticket__registration_id__in=list(registration_ids)
    ).update(ticket=None)
    return erased


def erase_expired(*, now: datetime) -> int:
    """Retention: erase every contact of a fair that ended more than its organisation's
    `exhibitor_contacts_retention_months` ago. The rows (the counts) stay."""
    erased = 0
    # Erased or withdrawn, but still linked to a ticket (a withdrawal keeps the link).
    open_contacts = Contact.objects.filter(Q(erased_at__isnull=True) | Q(ticket__isnull=False))
    events = (
        open_contacts.values_list(
            "event_id", "event__ends_at", "event__organisation__exhibitor_contacts_retention_months"
        )
        .order_by()
        .distinct()
    )
    for event_id, ends_at, months in events:
        if ends_at is not None and months_after(ends_at, months) <= now:
            erased += _erase(open_contacts.filter(event_id=event_id), now=now)
            Contact.objects.filter(event_id=event_id, ticket__isnull=False).update(ticket=None)
    return erased
