"""API shapes of the visitor side. Input serializers check shape only; services decide."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from infra.serializers import InputSerializer

from . import exports, queries, rules
from .models import MAX_ADULTS, MAX_PUPILS, ConsentRecord, Registration, Ticket


class RegisterInputSerializer(InputSerializer):
    """What a visitor sends to register. Only the fields the event's kind needs are used."""

    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    privacy_consent = serializers.BooleanField(help_text="Must be true.")
    photo_consent = serializers.BooleanField(required=False, default=False)
    share_contact_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Exhibitors may receive the contact details. Only where the event has "
        "exhibitors (returnee days, fairs); ignored elsewhere.",
    )
    answers = serializers.DictField(
        required=False,
        default=dict,
        help_text="Question id → answer (text, choice, list of choices, or true/false).",
    )
    time_slot = serializers.IntegerField(required=False, allow_null=True, default=None)
    sessions = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    school = serializers.CharField(max_length=200, required=False, default="")
    grade = serializers.CharField(max_length=20, required=False, default="")
    pupils = serializers.IntegerField(
        min_value=1, max_value=MAX_PUPILS, required=False, allow_null=True, default=None
    )
    adults = serializers.IntegerField(
        min_value=0, max_value=MAX_ADULTS, required=False, allow_null=True, default=None
    )
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    guardian_name = serializers.CharField(max_length=200, required=False, default="")
    guardian_email = serializers.EmailField(required=False, default="", allow_blank=True)
    guardian_phone = serializers.CharField(max_length=40, required=False, default="")
    emergency_contact = serializers.CharField(max_length=200, required=False, default="")
    medical_notes = serializers.CharField(required=False, default="", allow_blank=True)
    postcode = serializers.CharField(
        max_length=5,
        required=False,
        default="",
        allow_blank=True,
        validators=[rules.german_postcode],
        help_text="Optional German postcode (five digits), for the funders' figures by "
        "postcode area. Only for individual visitors of returnee days and fairs; ignored "
        "elsewhere.",
    )


class ChangeInputSerializer(serializers.Serializer):
    """What the holder changes; a field left out stays as it is."""

    time_slot = serializers.IntegerField(required=False, allow_null=True, default=None)
    sessions = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="All workshops wanted (an empty list: none).",
    )
    pupils = serializers.IntegerField(
        min_value=1, max_value=MAX_PUPILS, required=False, allow_null=True, default=None
    )
    adults = serializers.IntegerField(
        min_value=0, max_value=MAX_ADULTS, required=False, allow_null=True, default=None
    )


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["serial", "secret", "kind", "headcount", "status", "issued_at"]


class ConsentSerializer(serializers.ModelSerializer):
    """A recorded consent: the wording shown, who gave it and, for a child, for whom."""

    class Meta:
        model = ConsentRecord
        fields = ["topic", "granted", "text", "text_version", "given_by", "given_for", "given_at"]


class VisitorRegistrationSerializer(serializers.ModelSerializer):
    """A registration as its holder sees it through the secret link."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    ticket = serializers.SerializerMethodField()
    ticket_url = serializers.SerializerMethodField()
    sessions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    consents = ConsentSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "event",
            "event_title",
            "status",
            "kind",
            "headcount",
            "pupils",
            "adults",
            "name",
            "email",
            "postcode",
            "time_slot",
            "sessions",
            "answers",
            "offer_expires_at",
            "guardian_deadline",
            "ticket",
            "ticket_url",
            "consents",
        ]

    @extend_schema_field(TicketSerializer(allow_null=True))
    def get_ticket(self, registration) -> dict | None:
        ticket = queries.valid_ticket(registration)
        return TicketSerializer(ticket).data if ticket else None

    def get_ticket_url(self, registration) -> str:
        return settings.SITE_URL + reverse(
            "ticketing:ticket", kwargs={"token": registration.manage_token}
        )


_datetime = serializers.DateTimeField()


def _moment(value) -> str | None:
    return _datetime.to_representation(value) if value is not None else None


def visitor_answer(registration: Registration) -> dict:
    """What `VisitorRegistrationSerializer(registration).data` gives, built directly: the
    registration API answers every attempt of a rush with it, and a ModelSerializer
    inspects the models anew on every use, which costs more than the rest of the answer.
    tests/ticketing/test_api.py checks both give the same for every kind of registration."""
    ticket = queries.valid_ticket(registration)
    return {
        "event": registration.event.slug,
        "event_title": registration.event.title,
        "status": registration.status,
        "kind": registration.kind,
        "headcount": registration.headcount,
        "pupils": registration.pupils,
        "adults": registration.adults,
        "name": registration.name,
        "email": registration.email,
        "postcode": registration.postcode,
        "time_slot": registration.time_slot_id,
        "sessions": [session.pk for session in registration.sessions.all()],
        "answers": registration.answers,
        "offer_expires_at": _moment(registration.offer_expires_at),
        "guardian_deadline": _moment(registration.guardian_deadline),
        "ticket": None
        if ticket is None
        else {
            "serial": ticket.serial,
            "secret": ticket.secret,
            "kind": ticket.kind,
            "headcount": ticket.headcount,
            "status": ticket.status,
            "issued_at": _moment(ticket.issued_at),
        },
        "ticket_url": settings.SITE_URL
        + reverse("ticketing:ticket", kwargs={"token": registration.manage_token}),
        "consents": [
            {
                "topic": consent.topic,
                "granted": consent.granted,
                "text": consent.text,
                "text_version": consent.text_version,
                "given_by": consent.given_by,
                "given_for": consent.given_for,
                "given_at": _moment(consent.given_at),
            }
            for consent in registration.consents.all()
        ],
    }


class OrganiserRegistrationSerializer(serializers.ModelSerializer):
    """A registration in the organiser's list (no medical notes: see the detail page)."""

    sessions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "status",
            "kind",
            "headcount",
            "name",
            "email",
            "phone",
            "postcode",
            "school",
            "grade",
            "time_slot",
            "sessions",
            "answers",
            "photo_consent",
            "share_contact_consent",
            "created_at",
            "confirmed_at",
            "waitlisted_at",
        ]


class RegistrationFilterSerializer(serializers.Serializer):
    query = serializers.CharField(required=False, default="")
    status = serializers.ChoiceField(
        choices=Registration.Status.choices, required=False, allow_blank=True, default=""
    )
    time_slot = serializers.IntegerField(required=False, allow_null=True, default=None)
    session = serializers.IntegerField(required=False, allow_null=True, default=None)


class ExportFilterSerializer(RegistrationFilterSerializer):
    file_format = serializers.ChoiceField(choices=list(exports.FORMATS), default="csv")
