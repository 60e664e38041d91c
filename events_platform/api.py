"""Core API: the public calendar read-side, token sign-in, the signed-in user, and the one
exception handler that maps DomainError to a JSON answer.

Every view answers in the language of `?lang=en` or Accept-Language, German by default.
"""

import sys

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as defaults_bad_request
from django.views.defaults import page_not_found
from django.views.defaults import server_error as defaults_server_error
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from infra.db_unavailable import database_unavailable_response, is_database_unavailable
from infra.errors import DomainError, InvalidInput
from infra.errors import ErrorCode as CommonErrorCode
from infra.http import error_response, request_language

from . import queries
from .errors import ErrorCode
from .models import Event, Venue
from .queries import EventFilter
from .serializers import (
    ErrorSerializer,
    EventDetailSerializer,
    EventFilterSerializer,
    EventSerializer,
    MeSerializer,
    SeriesDetailSerializer,
    SeriesSerializer,
    TargetGroupSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    VenueSerializer,
)


def exception_handler(exc, context):
    """Turn a DomainError into `{"code": …, "detail": …}` with its status; else DRF's default."""
    if isinstance(exc, DomainError):
        return Response(
            {**exc.data, "code": exc.code, "detail": str(exc.message)}, status=exc.status
        )
    response = drf_exception_handler(exc, context)
    # DRF's own errors (401, 403, 404, 405, 429) get a stable code too, like every other
    # error answer; validation errors keep their per-field messages.
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        if isinstance(exc, Http404):
            code = CommonErrorCode.NOT_FOUND
        elif isinstance(exc, DjangoPermissionDenied):
            code = CommonErrorCode.PERMISSION_DENIED
        else:
            code = exc.get_codes() if hasattr(exc, "get_codes") else None
        response.data.setdefault("code", code if isinstance(code, str) else "error")
    return response


def not_found(request, exception=None):
    """404 for a URL no route matches: JSON under /api/ (API clients read it), else the page."""
    return error_response(
        request,
        404,
        CommonErrorCode.NOT_FOUND,
        _("Not found."),
        lambda r: page_not_found(r, exception),
    )


def bad_request(request, exception=None):
    """handler400: a SuspiciousOperation; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(
            request, 413, CommonErrorCode.TOO_LARGE, _("The request is too large.")
        )
    return error_response(
        request,
        400,
        CommonErrorCode.BAD_REQUEST,
        _("The request is not valid."),
        invalid_address_page,
    )


def invalid_address_page(request):
    """The page for a 400 outside the API (400.html, in the visitor's language)."""
    return defaults_bad_request(request, None)


def server_error(request):
    """handler500: JSON under /api/, else the site's error page; a database that is away
    outside a view (a middleware, the session) is a 503 like in one (db_unavailable.py)."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return error_response(
        request,
        500,
        CommonErrorCode.SERVER_ERROR,
        _("Something went wrong on our side."),
        defaults_server_error,
    )


LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=["de", "en"],
    required=False,
    description="Language of error messages and labels (else Accept-Language, else German).",
)


class LanguageMixin:
    """Answer in the requested language; the locale middleware keeps German off-prefix."""

    def initial(self, request, *args, **kwargs):
        translation.activate(request_language(request))
        super().initial(request, *args, **kwargs)


class PublicReadMixin(LanguageMixin):
    permission_classes = [AllowAny]


@extend_schema_view(
    get=extend_schema(
        tags=["calendar"],
        summary="Public events",
        description="Published and cancelled events; without dates, those not yet over.",
        parameters=[EventFilterSerializer, LANG_PARAMETER],
        responses={200: EventSerializer(many=True), 400: ErrorSerializer},
    )
)
class EventListView(PublicReadMixin, generics.ListAPIView):
    serializer_class = EventSerializer

    def get_queryset(self) -> QuerySet:
        params = EventFilterSerializer(data=self.request.query_params)
        if not params.is_valid():
            field, errors = next(iter(params.errors.items()))
            raise InvalidInput(
                _("Invalid filter %(field)s: %(error)s") % {"field": field, "error": errors[0]},
                ErrorCode.INVALID_FILTER,
            )
        data = params.validated_data
        filters = EventFilter(
            town=data.get("town", ""),
            kind=data.get("kind", ""),
            target_group=data.get("target_group", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            series=data.get("series", ""),
            query=data.get("q", ""),
        )
        return queries.filter_public_events(filters)


@extend_schema_view(
    get=extend_schema(
        tags=["calendar"],
        summary="One public event",
        parameters=[LANG_PARAMETER],
        responses={200: EventDetailSerializer},
    )
)
class EventDetailView(PublicReadMixin, generics.RetrieveAPIView):
    serializer_class = EventDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        return queries.public_events().prefetch_related("time_slots", "sessions")


@extend_schema_view(
    get=extend_schema(
        tags=["calendar"], summary="Series with public events", parameters=[LANG_PARAMETER]
    )
)
class SeriesListView(PublicReadMixin, generics.ListAPIView):
    serializer_class = SeriesSerializer

    def get_queryset(self) -> QuerySet:
        return queries.public_series().order_by("title_de", "pk")


@extend_schema_view(
    get=extend_schema(
        tags=["calendar"], summary="One series with its public events", parameters=[LANG_PARAMETER]
    )
)
class SeriesDetailView(PublicReadMixin, generics.RetrieveAPIView):
    serializer_class = SeriesDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        return queries.public_series()

    def retrieve(self, request, *args, **kwargs):
        series = self.get_object()
        events = queries.series_events(series)
        context = self.get_serializer_context() | {"events": events}
        return Response(SeriesDetailSerializer(series, context=context).data)


@extend_schema_view(
    get=extend_schema(
        tags=["calendar"], summary="Venues with public events", parameters=[LANG_PARAMETER]
    )
)
class VenueListView(PublicReadMixin, generics.ListAPIView):
    serializer_class = VenueSerializer

    def get_queryset(self) -> QuerySet:
        return (
            Venue.objects.filter(
                events__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
            )
            .distinct()
            .order_by("town", "name", "pk")
        )


@extend_schema_view(
    get=extend_schema(
        tags=["calendar"], summary="Target groups of public events", parameters=[LANG_PARAMETER]
    )
)
class TargetGroupListView(PublicReadMixin, generics.ListAPIView):
    serializer_class = TargetGroupSerializer

    def get_queryset(self) -> QuerySet:
        return queries.public_target_groups().order_by("name_de", "pk")


class TokenObtainThrottle(AnonRateThrottle):
    """Slows down password guessing: a few attempts per minute and address."""

    scope = "token_obtain"
    rate = "10/minute"


class TokenObtainView(LanguageMixin, APIView):
    """Exchange a username and password for the user's API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Obtain an API token",
        description="Send it afterwards as `Authorization: Token <token>`.",
        auth=[],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
    )
    def post(self, request):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        if not credentials.is_valid():
            raise InvalidInput(
                _("Unable to sign in with these credentials."), ErrorCode.INVALID_CREDENTIALS
            )
        token, _created = Token.objects.get_or_create(user=credentials.validated_data["user"])
        return Response({"token": token.key})


class MeView(LanguageMixin, APIView):
    """The signed-in user (session or token) with organisations and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], summary="The signed-in user", responses={200: MeSerializer})
    def get(self, request):
        user = request.user
        memberships = user.memberships.select_related("organisation").order_by("organisation__name")
        return Response(
            MeSerializer(
                {"username": user.get_username(), "email": user.email, "memberships": memberships}
            ).data
        )


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local static files; its start-up script is a separate request (CSP)."""

    template_name = "events_platform/api/swagger_ui.html"


# Redoc styles itself with injected <style> elements (styled-components) and fails without
# them. Only on this page, styles (never scripts) may be inline; Swagger UI needs nothing.
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class RedocDocsView(SpectacularRedocView):
    """Redoc from local static files, started by its `<redoc>` element: no inline script."""

    template_name = "events_platform/api/redoc.html"
