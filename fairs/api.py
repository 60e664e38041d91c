"""API of the exhibitor side: thin views over the same services as the HTML pages.
A DomainError becomes `{"code", "detail"}` in the project's exception handler."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from events_platform import queries as core_queries
from events_platform.api import LanguageMixin
from events_platform.models import Event
from infra.input_limits import BoundedJSONParser

from . import access, queries, services
from .models import Hall
from .serializers import (
    BookingRequestSerializer,
    BookingSerializer,
    CompanySerializer,
    CompanyUpdateSerializer,
    HallPlanSerializer,
    JobOfferSerializer,
    MessageSerializer,
    OrganiserCompanySerializer,
    StandSerializer,
    VerifySerializer,
)


class IsCompanyMember(permissions.BasePermission):
    """Signed in and acting for a company; the membership is put on `request.member`."""

    message = _("Only for users who act for a company.")

    def has_permission(self, request, view) -> bool:
        member = access.membership_for(request.user)
        request.member = member
        return member is not None


class IsOrganiser(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.core_access.is_organiser(request.user)


class CompanyProfileView(APIView):
    permission_classes = [IsCompanyMember]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=CompanySerializer, summary="Your company's profile")
    def get(self, request):
        return Response(CompanySerializer(request.member.company).data)

    @extend_schema(
        request=CompanyUpdateSerializer,
        responses=CompanySerializer,
        summary="Change your company's profile (multipart for a logo)",
    )
    def patch(self, request):
        serializer = CompanyUpdateSerializer(
            request.member.company, data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        logo = data.pop("logo", None)
        company = services.update_company_profile(
            company=request.member.company, data=data, logo=logo.read() if logo else None
        )
        return Response(CompanySerializer(company).data)


class HallStandsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=StandSerializer(many=True), summary="Stands of a hall with state")
    def get(self, request, pk):
        hall = get_object_or_404(Hall, pk=pk, fair__event__status=Event.Status.PUBLISHED)
        rows = []
        for view in queries.hall_plan(hall):
            view.stand.state = view.state
            rows.append(view.stand)
        return Response(StandSerializer(rows, many=True).data)


class EventPlanView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=HallPlanSerializer(many=True),
        summary="Halls of a public event's fair, each with its stands and their state",
    )
    def get(self, request, slug):
        fair = get_object_or_404(queries.public_fairs(), event__slug=slug)
        halls = []
        for hall in fair.halls.all():
            stands = []
            for view in queries.hall_plan(hall):
                view.stand.state = view.state
                stands.append(view.stand)
            hall.stand_list = stands
            halls.append(hall)
        return Response(HallPlanSerializer(halls, many=True).data)


class BookingListView(APIView):
    permission_classes = [IsCompanyMember]

    @extend_schema(responses=BookingSerializer(many=True), summary="Your company's bookings")
    def get(self, request):
        bookings = access.company_bookings(request.member.company).order_by("-requested_at")
        return Response(BookingSerializer(bookings, many=True).data)

    @extend_schema(
        request=BookingRequestSerializer,
        responses={201: BookingSerializer(many=True)},
        summary="Request one or more stands (several events of one series allowed)",
    )
    def post(self, request):
        serializer = BookingRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bookings = services.request_stands(
            company=request.member.company,
            stand_ids=data["stands"],
            extras=services.Extras(
                power_connections=data["power_connections"],
                tables=data["tables"],
                chairs=data["chairs"],
                parking_passes=data["parking_passes"],
            ),
            staff_passes=data["staff_passes"],
            day_contact_name=data["day_contact_name"],
            day_contact_phone=data["day_contact_phone"],
            by=request.user,
            now=timezone.now(),
        )
        return Response(BookingSerializer(bookings, many=True).data, status=status.HTTP_201_CREATED)


class BookingWithdrawView(APIView):
    permission_classes = [IsCompanyMember]

    @extend_schema(request=None, responses=BookingSerializer, summary="Withdraw your booking")
    def post(self, request, pk):
        booking = access.get_company_booking_or_404(request.member.company, pk)
        booking = services.withdraw_booking(booking=booking, by=request.user, now=timezone.now())
        return Response(BookingSerializer(booking).data)


class OrganiserBookingListView(generics.ListAPIView):
    permission_classes = [IsOrganiser]
    serializer_class = BookingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("event", OpenApiTypes.STR, description="event slug"),
            OpenApiParameter("status", OpenApiTypes.STR),
        ],
        summary="Bookings at your events",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        bookings = access.organiser_bookings(self.request.user).order_by("-requested_at", "pk")
        if event := self.request.query_params.get("event"):
            bookings = bookings.filter(fair__event__slug=event)
        if state := self.request.query_params.get("status"):
            bookings = bookings.filter(status=state)
        return bookings


class OrganiserDecisionView(APIView):
    """Confirm, reject or cancel a booking at one of your events."""

    permission_classes = [IsOrganiser]
    decision = "approve"

    @extend_schema(request=MessageSerializer, responses=BookingSerializer)
    def post(self, request, pk):
        booking = access.get_organiser_booking_or_404(request.user, pk)
        serializer = MessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message, now = serializer.validated_data["message"], timezone.now()
        if self.decision == "approve":
            booking = services.approve_booking(
                booking=booking, by=request.user, now=now, message=message
            )
        elif self.decision == "reject":
            booking = services.reject_booking(
                booking=booking, by=request.user, reason=message, now=now
            )
        else:
            booking = services.cancel_booking(
                booking=booking, by=request.user, reason=message, now=now
            )
        return Response(BookingSerializer(booking).data)


class OrganiserCompanyListView(generics.ListAPIView):
    """Companies with dealings with your events (or verified by your organisation)."""

    permission_classes = [IsOrganiser]
    serializer_class = OrganiserCompanySerializer

    @extend_schema(summary="Companies with dealings with your events")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return access.organiser_companies(self.request.user).order_by("name", "pk")


class OrganiserCompanyVerifyView(APIView):
    """Verify a company for your organisation (the one given, or each of yours it deals with)."""

    permission_classes = [IsOrganiser]

    @extend_schema(
        request=VerifySerializer,
        responses=OrganiserCompanySerializer,
        summary="Verify a company for your organisation",
    )
    def post(self, request, pk):
        companies = access.organiser_companies(request.user)
        company = get_object_or_404(companies, pk=pk)
        serializer = VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisations = access.verifying_organisations(
            request.user, company, chosen=serializer.validated_data.get("organisation")
        )
        if not organisations:
            raise Http404
        now = timezone.now()
        for organisation in organisations:
            services.verify_company(
                company=company, organisation=organisation, by=request.user, now=now
            )
        return Response(OrganiserCompanySerializer(companies.get(pk=pk)).data)


def _events_for(request, slugs):
    if slugs is None:
        return None
    events = list(Event.objects.filter(slug__in=slugs))
    if len(events) != len(set(slugs)):
        raise Http404
    return events


class JobOfferListView(LanguageMixin, APIView):
    permission_classes = [IsCompanyMember]

    @extend_schema(responses=JobOfferSerializer(many=True), summary="Your company's job offers")
    def get(self, request):
        offers = access.company_job_offers(request.member.company)
        return Response(JobOfferSerializer(offers, many=True).data)

    @extend_schema(request=JobOfferSerializer, responses={201: JobOfferSerializer})
    def post(self, request):
        serializer = JobOfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        events = _events_for(request, data.pop("event_slugs", []))
        offer = services.create_job_offer(company=request.member.company, data=data, events=events)
        return Response(JobOfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class JobOfferDetailView(LanguageMixin, APIView):
    permission_classes = [IsCompanyMember]

    def _offer(self, request, pk):
        return get_object_or_404(access.company_job_offers(request.member.company), pk=pk)

    @extend_schema(responses=JobOfferSerializer)
    def get(self, request, pk):
        return Response(JobOfferSerializer(self._offer(request, pk)).data)

    @extend_schema(request=JobOfferSerializer, responses=JobOfferSerializer)
    def patch(self, request, pk):
        offer = self._offer(request, pk)
        serializer = JobOfferSerializer(offer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        events = _events_for(request, data.pop("event_slugs", None))
        offer = services.update_job_offer(offer=offer, data=data, events=events)
        return Response(JobOfferSerializer(offer).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.delete_job_offer(offer=self._offer(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="search text"),
    OpenApiParameter("sector", OpenApiTypes.STR),
    OpenApiParameter("kind", OpenApiTypes.STR),
    OpenApiParameter("site", OpenApiTypes.STR, description="town of the site"),
]


class PublicJobWallView(generics.ListAPIView):
    """Job offers shown at a public event or series (companies with a confirmed stand)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = JobOfferSerializer
    scope = "event"

    @extend_schema(parameters=FILTER_PARAMETERS, summary="Public job wall")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        filters = queries.DirectoryFilter(
            query=params.get("q", "").strip()[:100],
            sector=params.get("sector", ""),
            kind=params.get("kind", ""),
            site=params.get("site", ""),
        )
        if self.scope == "event":
            event = get_object_or_404(core_queries.public_events(), slug=self.kwargs["slug"])
            return queries.job_wall(event=event, filters=filters)
        series = get_object_or_404(core_queries.public_series(), slug=self.kwargs["slug"])
        return queries.job_wall(series=series, filters=filters)
