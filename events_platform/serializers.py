"""Shapes of the core API: the public calendar read-side and the signed-in user."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from infra.input_limits import within_calendar

from .models import Event, EventSeries, Membership, Session, TargetGroup, TimeSlot, Venue


class EventFilterSerializer(serializers.Serializer):
    """The query parameters of the event list; only their shape is checked here."""

    town = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text="Town, any case."
    )
    kind = serializers.ChoiceField(
        choices=Event.Kind.choices, required=False, allow_blank=True, help_text="Kind of event."
    )
    target_group = serializers.SlugField(
        required=False, allow_blank=True, help_text="Target group short name (slug)."
    )
    date_from = serializers.DateField(
        required=False,
        validators=[within_calendar],
        help_text="Events not over before this day (Europe/Berlin), 2000-01-01 to 2100-12-31.",
    )
    date_to = serializers.DateField(
        required=False,
        validators=[within_calendar],
        help_text="Events starting on or before this day (Europe/Berlin), 2000-01-01 to "
        "2100-12-31.",
    )
    series = serializers.SlugField(
        required=False, allow_blank=True, help_text="Series short name (slug)."
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in title, description or town.",
    )

    def validate(self, attrs):
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise serializers.ValidationError(
                {"date_to": _("The end date must not be before the start date.")}
            )
        return attrs


class VenueSerializer(serializers.ModelSerializer):
    address = serializers.CharField(read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "town",
            "street",
            "postcode",
            "address",
            "latitude",
            "longitude",
            "accessibility_notes_de",
            "accessibility_notes_en",
        ]


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetGroup
        fields = ["slug", "name_de", "name_en"]


class TimeSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeSlot
        fields = ["id", "label", "starts_at", "ends_at", "capacity"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = [
            "id",
            "title_de",
            "title_en",
            "description_de",
            "description_en",
            "speaker",
            "room",
            "starts_at",
            "ends_at",
            "capacity",
        ]


class SeriesSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = EventSeries
        fields = ["slug", "title_de", "title_en"]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class EventSerializer(serializers.ModelSerializer):
    """An event as the calendar lists it."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    venue = VenueSerializer(read_only=True)
    series = SeriesSummarySerializer(read_only=True, allow_null=True)
    target_groups = TargetGroupSerializer(many=True, read_only=True)
    registration_open = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    ical_url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "kind",
            "kind_label",
            "status",
            "title_de",
            "title_en",
            "starts_at",
            "ends_at",
            "all_day",
            "same_hours_daily",
            "venue",
            "series",
            "target_groups",
            "capacity",
            "registration_required",
            "registration_open",
            "walk_ins_allowed",
            "registration_opens_at",
            "registration_closes_at",
            "min_age",
            "max_age",
            "web_url",
            "ical_url",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_registration_open(self, event: Event) -> bool:
        return event.registration_is_open()

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, event: Event) -> str:
        return _absolute(event.get_absolute_url())

    @extend_schema_field(serializers.URLField())
    def get_ical_url(self, event: Event) -> str:
        return _absolute(reverse("ical-event", kwargs={"slug": event.slug}))


class EventDetailSerializer(EventSerializer):
    """An event with both language texts, its time slots and sessions."""

    time_slots = TimeSlotSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = EventSerializer.Meta.fields + [
            "description_de",
            "description_en",
            "time_slots",
            "sessions",
        ]


class SeriesSerializer(serializers.ModelSerializer):
    ical_url = serializers.SerializerMethodField()

    class Meta:
        model = EventSeries
        fields = ["slug", "title_de", "title_en", "description_de", "description_en", "ical_url"]

    @extend_schema_field(serializers.URLField())
    def get_ical_url(self, series: EventSeries) -> str:
        return _absolute(reverse("ical-series", kwargs={"slug": series.slug}))


class SeriesDetailSerializer(SeriesSerializer):
    events = serializers.SerializerMethodField()

    class Meta(SeriesSerializer.Meta):
        fields = SeriesSerializer.Meta.fields + ["events"]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, series: EventSeries) -> list:
        return EventSerializer(self.context["events"], many=True, context=self.context).data


class MembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_name", "role"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    memberships = MembershipSerializer(many=True, read_only=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    places_left = serializers.IntegerField(
        required=False,
        help_text="Only when something is full (slot_full, session_full, event_full, "
        "group_too_large): the places still free there.",
    )
    requested = serializers.IntegerField(
        required=False, help_text="Beside places_left: the places the request asked for."
    )
