"""Check-in API for paired scanners: pair, device info, redeem, offline list and upload,
search, counters and walk-ins. Every scan goes through `services.redeem_ticket`.

A scanner authenticates with `Authorization: Device <token>` (from pairing); a revoked
device gets 401 on its next call. A single redeem answers 200 when the person may pass and
409 with the same body (stable `code`, human `message`) when not; a batch upload answers
200 with one answer per scan.
"""

import json
from datetime import timedelta

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from checkin.models import CheckinList, Device
from checkin.serializers import (
    AnswerSerializer,
    CountersSerializer,
    DeviceSerializer,
    OfflineListSerializer,
    PairedSerializer,
    PairSerializer,
    RedeemSerializer,
    SearchResultSerializer,
    UploadResultSerializer,
    UploadSerializer,
    WalkInSerializer,
)
from events_platform import audit, ticket_codes
from events_platform import services as core_services
from events_platform.api import LANG_PARAMETER, LanguageMixin
from events_platform.feeds import request_language
from events_platform.serializers import ErrorSerializer
from infra.input_limits import parse_json

from . import queries, services
from .services import invalid_codes

KEYWORD = b"device"


class DeviceAuthentication(BaseAuthentication):
    """`Authorization: Device <token>`: the paired scanner; revoked or unknown → 401."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed device token.")
        device = queries.device_by_token(header[1].decode("ascii", "replace"))
        if device is None or device.is_revoked:
            raise exceptions.AuthenticationFailed("This device is not paired or was revoked.")
        return (device.paired_by or _DeviceUser(), device)

    def authenticate_header(self, request):
        return "Device"


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the device token in the OpenAPI schema."""

    target_class = "checkin.api.DeviceAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Device <token>`, the token a scanner receives when it is paired.",
        }


class _DeviceUser:
    """The user of a device paired without a login (from an organiser's pairing QR)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None


class IsPairedDevice(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Device)


class DeviceView(LanguageMixin, APIView):
    authentication_classes = [DeviceAuthentication]
    permission_classes = [IsPairedDevice]

    @property
    def device(self) -> Device:
        return self.request.auth

    def checkin_list(self, list_id=None) -> CheckinList:
        lists = services.ensure_checkin_lists(event=self.device.event)
        if list_id:
            for item in lists:
                if str(item.pk) == str(list_id):
                    return item
            raise exceptions.NotFound()
        return queries.list_for_moment(self.device.event, timezone.now()) or lists[0]


def device_info(device: Device) -> dict:
    event = device.event
    lists = services.ensure_checkin_lists(event=event)
    current = queries.list_for_moment(event, timezone.now()) or lists[0]
    key = core_services.get_signing_key(event=event)
    return {
        "device": device.name,
        "event_id": event.pk,
        "event": event.title,
        "entrance": {"id": device.entrance.pk, "name": device.entrance.name}
        if device.entrance
        else None,
        "entrances": [{"id": e.pk, "name": e.name} for e in event.entrances.all()],
        "lists": [
            {
                "id": item.pk,
                "name": item.name,
                "day": item.day,
                "opens_at": item.opens_at,
                "closes_at": item.closes_at,
            }
            for item in lists
        ],
        "current_list": current.pk,
        "public_key": ticket_codes.public_key_text(key.public_key),
        "walk_ins_allowed": event.walk_ins_allowed,
        "counters": queries.counters(current).as_dict(),
    }


class PairView(LanguageMixin, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["check-in"],
        summary="Pair a scanner with a pairing token",
        request=PairSerializer,
        responses={201: PairedSerializer, 400: ErrorSerializer},
    )
    def post(self, request):
        data = PairSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, token = services.pair_device(
            token=data.validated_data["token"],
            name=data.validated_data.get("name", ""),
            now=timezone.now(),
        )
        # The organiser handed out the pairing code; the device itself makes this call.
        audit.record_action(
            actor=None,
            organisation=device.event.organisation,
            action="device_paired",
            target=device,
            details={"entrance": str(device.entrance or "")},
        )
        return Response(device_info(device) | {"device_token": token}, status=201)


class DeviceInfoView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="The paired scanner's event, key, lists and figures",
        parameters=[LANG_PARAMETER],
        responses={200: DeviceSerializer},
    )
    def get(self, request):
        services.touch_device(device=self.device, now=timezone.now())
        return Response(device_info(self.device))


def _redeem(device: Device, data: dict, checkin_list: CheckinList | None) -> dict:
    answer = services.redeem_ticket(
        device=device,
        nonce=data["nonce"],
        now=timezone.now(),
        secret=data.get("secret", ""),
        serial=data.get("serial"),
        kind=data.get("kind", 1),
        checkin_list=checkin_list,
        direction=data["direction"],
        scanned_at=data.get("scanned_at"),
        offline=data.get("offline", False),
    )
    return answer.as_dict() | {"nonce": data["nonce"]}


# Invalid (forged, unreadable or unknown) codes one device may send in a window of this many
# seconds (settings.CHECKIN_INVALID_SCAN_LIMIT is the count; the benchmark lifts it). The rule
# is checkin/services/invalid_codes.py, which the stand phones (leads) use as well.
INVALID_SCAN_WINDOW = invalid_codes.WINDOW
invalid_scan_limit = invalid_codes.limit


class RedeemView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="Scan a ticket or staff pass (entry or exit)",
        parameters=[LANG_PARAMETER],
        request=RedeemSerializer,
        responses={200: AnswerSerializer, 409: AnswerSerializer, 429: ErrorSerializer},
    )
    def post(self, request):
        data = RedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A device that keeps sending forged or unknown codes is someone trying codes, not
        # a door: above the threshold it is refused for a while (the door staff see 429).
        device_key = str(self.device.pk)
        if _invalid_scans_exceeded(device_key):
            return Response(_rate_limited(), status=429)
        list_id = data.validated_data.get("list")
        # Without a list the service picks it, after the code is verified: a forged code
        # costs no more than the device lookup and a cached key.
        checkin_list = self.checkin_list(list_id) if list_id else None
        answer = _redeem(self.device, data.validated_data, checkin_list)
        if _count_if_invalid(answer, self.device):
            return Response(_rate_limited(), status=429)
        return Response(answer, status=200 if answer["ok"] else 409)

    def dispatch(self, request, *args, **kwargs):
        """The door rush: a plain scan is answered without DRF's machinery (the same answer
        the DRF way gives); anything else, and every refusal of the device, goes that way."""
        response = _plain_scan(request)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)


def _rate_limited() -> dict:
    return invalid_codes.refusal()


def _invalid_scans_exceeded(device_key: str) -> bool:
    return invalid_codes.exceeded("checkin-invalid", device_key)


def _count_if_invalid(answer: dict, device: Device) -> bool:
    """Count an invalid or unknown code against the device; True when this code is over
    the limit, and the answer must be 429, not the code's (invalid_codes: the check is the
    count). The code that uses up the limit also marks the device refused for the window,
    in the database: the door-rush statement reads the device anyway, so a valid scan asks
    no cache for the limit."""
    count = invalid_codes.count("checkin-invalid", str(device.pk), answer["code"])
    if count == invalid_scan_limit():
        until = timezone.now() + timedelta(seconds=INVALID_SCAN_WINDOW)
        services.refuse_device(device=device, until=until)
    return invalid_codes.over(count)


PLAIN_SCAN_FIELDS = frozenset({"secret", "nonce", "direction", "kind", "offline", "scanned_at"})


def _plain_text(value, max_length: int) -> bool:
    """What RedeemSerializer's CharField takes unchanged: no blank, no trim, no NUL."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= max_length
        and value.isascii()
        and value == value.strip()
        and "\x00" not in value
    )


def _plain_scan_body(request) -> dict | None:
    """The body of an online entry scan by code, when RedeemSerializer would take it as is."""
    if request.content_type != "application/json":
        return None
    try:
        data = parse_json(request.body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.keys() <= PLAIN_SCAN_FIELDS:
        return None
    if not (_plain_text(data.get("nonce"), 64) and _plain_text(data.get("secret"), 400)):
        return None
    kind = data.get("kind", 1)
    if data.get("direction", "entry") != "entry" or type(kind) is not int or kind != 1:
        return None
    if data.get("offline", False) is not False:
        return None
    scanned_at = data.get("scanned_at")  # ignored online, but must be a time
    if scanned_at is not None:
        try:
            if not isinstance(scanned_at, str) or parse_datetime(scanned_at) is None:
                return None
        except ValueError:
            return None
    return data


def _plain_scan(request) -> HttpResponse | None:
    """Redeem a plain scan, or None for the DRF way (which also answers every 400/401/429).

    The device is the one this process kept for the token; the redeem service confirms it
    in its own read, so a revoked device is refused at its next scan all the same.
    """
    if request.method != "POST" or connection.vendor != "postgresql":
        return None
    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) != 2 or header[0].lower() != KEYWORD.decode():
        return None
    data = _plain_scan_body(request)
    if data is None:
        return None
    device = queries.kept_device(header[1])
    if device is None:
        return None
    translation.activate(request_language(request))
    try:
        answer = services.redeem_ticket(
            device=device,
            nonce=data["nonce"],
            now=timezone.now(),
            secret=data["secret"],
            device_confirmed=False,
        )
    except services.StaleDevice:
        queries.forget_device(header[1])
        return None
    body = answer.as_dict() | {"nonce": data["nonce"]}
    if _count_if_invalid(body, device):
        return None  # over the limit: the DRF way answers 429, as to every refused device
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
        status=200 if answer.ok else 409,
    )


class UploadView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="Upload scans made offline (idempotent by nonce)",
        parameters=[LANG_PARAMETER],
        request=UploadSerializer,
        responses={200: UploadResultSerializer, 429: ErrorSerializer},
    )
    def post(self, request):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Invalid codes in a batch count into the device's invalid-scan limit like live
        # scans, so a batch cannot be used to try codes faster. Once over the limit the
        # rest is refused with 429; what was redeemed stays (uploads are idempotent by
        # nonce), so the scanner sends the whole batch again later.
        device_key = str(self.device.pk)
        lists = {}
        results = []
        for scan in data.validated_data["scans"]:
            if _invalid_scans_exceeded(device_key):
                return Response(_rate_limited(), status=429)
            list_id = scan.get("list")
            if list_id and list_id not in lists:
                lists[list_id] = self.checkin_list(list_id)
            answer = _redeem(self.device, scan, lists.get(list_id))
            if _count_if_invalid(answer, self.device):
                return Response(_rate_limited(), status=429)
            results.append(answer)
        return Response({"results": results})


LIST_PARAMETER = OpenApiParameter("list", int, required=False, description="Check-in list id.")


class OfflineListView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="The minimal ticket list a scanner keeps for offline use",
        parameters=[LIST_PARAMETER, LANG_PARAMETER],
        responses={200: OfflineListSerializer},
    )
    def get(self, request):
        checkin_list = self.checkin_list(request.GET.get("list"))
        key = core_services.get_signing_key(event=self.device.event)
        return Response(
            {
                "list": checkin_list.pk,
                "event_id": self.device.event_id,
                "public_key": ticket_codes.public_key_text(key.public_key),
                "tickets": queries.offline_list(checkin_list),
            }
        )


class SearchView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="Find a ticket by name, e-mail, school or ticket number",
        parameters=[
            OpenApiParameter("q", str, required=True),
            LIST_PARAMETER,
            LANG_PARAMETER,
        ],
        responses={200: SearchResultSerializer(many=True)},
    )
    def get(self, request):
        checkin_list = self.checkin_list(request.GET.get("list"))
        return Response(queries.search(checkin_list, request.GET.get("q", "")))


class CountersView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="Live figures: inside now, checked in, registered, walk-ins",
        parameters=[LIST_PARAMETER],
        responses={200: CountersSerializer},
    )
    def get(self, request):
        checkin_list = self.checkin_list(request.GET.get("list"))
        return Response(queries.counters(checkin_list).as_dict())


class WalkInView(DeviceView):
    @extend_schema(
        tags=["check-in"],
        summary="Count a walk-in (optionally with postcode and interest)",
        parameters=[LANG_PARAMETER],
        request=WalkInSerializer,
        responses={201: CountersSerializer, 400: ErrorSerializer},
    )
    def post(self, request):
        data = WalkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        walk_in = services.count_walk_in(
            device=self.device, now=timezone.now(), **data.validated_data
        )
        return Response(queries.counters(walk_in.checkin_list).as_dict(), status=201)
