"""Visitor-side API: register, the ticket by its secret link, cancel, accept an offer, and
the organiser's list and export. Thin: parse, call the same service as the HTML pages."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from events_platform import access
from events_platform.api import LANG_PARAMETER, LanguageMixin
from events_platform.serializers import ErrorSerializer

from . import queries, services
from .models import Registration
from .ratelimit import check_registration_rate, client_ip
from .serializers import (
    ChangeInputSerializer,
    ExportFilterSerializer,
    OrganiserRegistrationSerializer,
    RegisterInputSerializer,
    RegistrationFilterSerializer,
    VisitorRegistrationSerializer,
    visitor_answer,
)

ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def _registration(token: str) -> Registration:
    registration = queries.registration_by_token(token)
    if registration is None:
        raise Http404
    return registration


class RegisterView(APIView):
    """Register for a public event without an account."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # no session: no CSRF, and nothing to log in to

    @extend_schema(
        tags=["registrations"],
        summary="Register for an event",
        description=(
            "Confirmed when a place is free, `pending_guardian` for a minor at a camp, "
            "`waitlisted` when full. Rate-limited per IP address and per e-mail address "
            "(429 `rate_limited`). Errors: `registration_closed`, `slot_full`, "
            "`session_full`, `sessions_overlap`, `age_out_of_range`, `already_registered`, …. "
            "A full slot or workshop, or a group larger than the event (`group_too_large`), "
            "answers with `places_left` and `requested` beside the code. "
            "`share_contact_consent` counts only where the event has exhibitors; elsewhere it "
            "is stored as false and not recorded. The answer's `consents` list what was "
            "recorded, in the wording shown, by whom and for whom."
        ),
        request=RegisterInputSerializer,
        responses={
            201: VisitorRegistrationSerializer,
            429: ErrorSerializer,
            **ERRORS,
        },
    )
    def post(self, request, slug):
        event = queries.event_for_registration(slug)
        if event is None:
            raise Http404
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check_registration_rate(ip=client_ip(request), email=data["email"])
        # The answer is built inside the registration's transaction: once it has committed,
        # nothing can turn the success into an error (a lost database before the commit
        # rolls it all back and answers 503, so the client can simply send it again). It is
        # built from what register() wrote, without a query (tests/ticketing/test_api.py),
        # and register() has no savepoint of its own here: after it took its places, only
        # the commit goes to the database while the counter's row is locked.
        with transaction.atomic():
            registration = services.use_written(self.register(event, data))
            answer = visitor_answer(registration)
        return Response(answer, status=status.HTTP_201_CREATED)

    @staticmethod
    def register(event, data) -> Registration:
        return services.register(
            event=event,
            data=services.RegistrationInput(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                privacy_consent=data["privacy_consent"],
                photo_consent=data["photo_consent"],
                share_contact_consent=data["share_contact_consent"],
                answers={str(key): value for key, value in data["answers"].items()},
                time_slot_id=data["time_slot"],
                session_ids=data["sessions"],
                school=data["school"],
                grade=data["grade"],
                pupils=data["pupils"],
                adults=data["adults"],
                birth_date=data["birth_date"],
                guardian_name=data["guardian_name"],
                guardian_email=data["guardian_email"],
                guardian_phone=data["guardian_phone"],
                emergency_contact=data["emergency_contact"],
                medical_notes=data["medical_notes"],
                # Asked only of individual visitors of returnee days and fairs.
                postcode=data["postcode"] if queries.asks_postcode(event) else "",
            ),
            now=timezone.now(),
            savepoint=False,  # the view's transaction ends with it
        )


class TicketView(APIView):
    """A registration and its ticket, by the secret link token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["registrations"],
        summary="My registration and ticket",
        responses={200: VisitorRegistrationSerializer, 404: ErrorSerializer},
    )
    def get(self, request, token):
        return Response(VisitorRegistrationSerializer(_registration(token)).data)


class TicketCancelView(APIView):
    """Cancel through the secret link; the place goes to the waiting list."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["registrations"],
        summary="Cancel my registration",
        request=None,
        responses={200: VisitorRegistrationSerializer, **ERRORS},
    )
    # The answer (it reads rows) is built inside the use case's transaction: once that has
    # committed, nothing can turn the success into an error.
    @transaction.atomic
    def post(self, request, token):
        registration = services.cancel_registration(
            registration=_registration(token), now=timezone.now()
        )
        return Response(VisitorRegistrationSerializer(registration).data)


class TicketChangeView(LanguageMixin, APIView):
    """Change the time slot, the workshops or a school class's size through the secret link."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["registrations"],
        summary="Change my registration",
        description=(
            "Fields left out stay as they are; `pupils` and `adults` only for a school class. "
            "The places the registration holds count as free for itself. A confirmed class "
            "whose size changes gets a new ticket (the previous one is revoked). Errors: "
            "`slot_full`, `session_full`, `event_full`, `group_too_large` (with "
            "`places_left` and `requested`), `registration_closed`, `already_checked_in`, "
            "`not_a_school_class`, `slot_invalid`, `session_invalid`, `sessions_overlap`."
        ),
        request=ChangeInputSerializer,
        parameters=[LANG_PARAMETER],
        responses={200: VisitorRegistrationSerializer, **ERRORS},
    )
    # The answer (it reads rows) is built inside the use case's transaction: once that has
    # committed, nothing can turn the success into an error.
    @transaction.atomic
    def post(self, request, token):
        serializer = ChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registration = services.change_registration(
            registration=_registration(token),
            now=timezone.now(),
            time_slot_id=data["time_slot"],
            session_ids=data["sessions"],
            pupils=data["pupils"],
            adults=data["adults"],
        )
        return Response(VisitorRegistrationSerializer(registration).data)


class OfferAcceptView(APIView):
    """Take up a waiting-list offer through the secret link."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["registrations"],
        summary="Accept a waiting-list offer",
        request=None,
        responses={200: VisitorRegistrationSerializer, **ERRORS},
    )
    # The answer (it reads rows) is built inside the use case's transaction: once that has
    # committed, nothing can turn the success into an error.
    @transaction.atomic
    def post(self, request, token):
        registration = services.accept_offer(registration=_registration(token), now=timezone.now())
        return Response(VisitorRegistrationSerializer(registration).data)


class OfferDeclineView(APIView):
    """Turn down a waiting-list offer through the secret link."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=["registrations"],
        summary="Decline a waiting-list offer",
        description="The place goes to the next person on the waiting list. Error: `no_offer`.",
        request=None,
        responses={200: VisitorRegistrationSerializer, **ERRORS},
    )
    # The answer (it reads rows) is built inside the use case's transaction: once that has
    # committed, nothing can turn the success into an error.
    @transaction.atomic
    def post(self, request, token):
        registration = services.decline_offer(registration=_registration(token), now=timezone.now())
        return Response(VisitorRegistrationSerializer(registration).data)


class OrganiserRegistrationListView(generics.ListAPIView):
    """The registrations of one event, for its organisers (others get 404)."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrganiserRegistrationSerializer

    @extend_schema(
        tags=["organiser"],
        summary="Registrations of an event",
        parameters=[RegistrationFilterSerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        event = access.get_organiser_event_or_404(self.request.user, pk=self.kwargs["event_id"])
        filters = RegistrationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return queries.event_registrations(
            event, queries.RegistrationFilter(**filters.validated_data)
        )


class OrganiserExportView(APIView):
    """The general export of an event's registrations (never with medical notes)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["organiser"],
        summary="Export registrations (CSV or XLSX)",
        parameters=[ExportFilterSerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request, event_id):
        event = access.get_organiser_event_or_404(request.user, pk=event_id)
        params = ExportFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        options = dict(params.validated_data)
        file_format = options.pop("file_format")
        export = services.export_registrations(
            event=event,
            filters=queries.RegistrationFilter(**options),
            file_format=file_format,
            by=request.user,
        )
        return export.as_attachment()
